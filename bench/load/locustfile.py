"""Load on the read API and the public reading room, as systems and readers make it.

Not a test: run by bench/load/run.sh against gunicorn on 127.0.0.1, headless, bounded in time
(--run-time) and in requests (MAX_REQUESTS). Directive and meeting ids are drawn from the
files of ids the script samples from the database (DIRECTIVE_IDS, PUBLIC_MEETING_IDS).
"""

import os
import random

from load_queries import QUERIES  # beside this file (locust puts its folder on the path)
from locust import HttpUser, between, events, task

MAX_REQUESTS = int(os.environ.get("MAX_REQUESTS", "20000"))


def _ids(name):
    with open(os.environ[name]) as lines:
        return [int(line) for line in lines if line.strip()]


@events.request.add_listener
def _stop_at_the_bound(**kwargs):
    runner = _stop_at_the_bound.environment.runner
    if runner is not None and runner.stats.total.num_requests >= MAX_REQUESTS:
        runner.quit()


@events.init.add_listener
def _remember(environment, **kwargs):
    _stop_at_the_bound.environment = environment


class System(HttpUser):
    """A system polling the API with its token: searches, filters, directive pages."""

    weight = 1
    wait_time = between(0.05, 0.2)

    def on_start(self):
        self.client.headers["Authorization"] = f"Bearer {os.environ['API_KEY']}"
        self.directives = _ids("DIRECTIVE_IDS")

    @task(3)
    def search(self):
        self.client.get(
            "/api/v1/directives/", params={"q": random.choice(QUERIES)}, name="api search"
        )

    @task(3)
    def directive(self):
        self.client.get(
            f"/api/v1/directives/{random.choice(self.directives)}/", name="api directive"
        )

    @task(1)
    def overdue(self):
        self.client.get("/api/v1/directives/", params={"tinh_trang": "overdue"}, name="api filter")


class Reader(HttpUser):
    """A person in the reading room: searches and conclusions."""

    weight = 1
    wait_time = between(0.05, 0.2)

    def on_start(self):
        self.meetings = _ids("PUBLIC_MEETING_IDS")

    @task(2)
    def search(self):
        self.client.get("/", params={"q": random.choice(QUERIES)}, name="reading search")

    @task(3)
    def conclusion(self):
        self.client.get(f"/ket-luan/{random.choice(self.meetings)}/", name="reading conclusion")
