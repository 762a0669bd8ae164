"""Each request kind of the load test (locustfile.py), timed alone: one request at a time, so
what is printed is the cost of a request, not of waiting behind others.

    python3 bench/load/probe.py http://127.0.0.1:8017 [COUNT]
    (API_KEY, DIRECTIVE_IDS and PUBLIC_MEETING_IDS as for run.sh, which runs it with `probe`)

Prints, per kind, the requests made, the statuses other than 200, and p50 / p95 / max in ms.
Standard library only: it runs with the system's Python, beside the server it measures.
"""

import os
import random
import statistics
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from load_queries import QUERIES

# Requests of each kind made before timing: a gunicorn worker's first request of a kind costs
# a few hundred ms more (Django's and DRF's lazy start), once per worker.
WARM_UP = int(os.environ.get("WARM_UP", "9"))


def _ids(name):
    with open(os.environ[name]) as lines:
        return [int(line) for line in lines if line.strip()]


def kinds():
    directives, meetings = _ids("DIRECTIVE_IDS"), _ids("PUBLIC_MEETING_IDS")
    return {
        "api search": lambda: (
            "/api/v1/directives/?" + urllib.parse.urlencode({"q": random.choice(QUERIES)})
        ),
        "api directive": lambda: f"/api/v1/directives/{random.choice(directives)}/",
        "api filter": lambda: "/api/v1/directives/?tinh_trang=overdue",
        "reading search": lambda: "/?" + urllib.parse.urlencode({"q": random.choice(QUERIES)}),
        "reading conclusion": lambda: f"/ket-luan/{random.choice(meetings)}/",
    }


def timed(base, path, key):
    request = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {key}"})
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return (time.perf_counter() - start) * 1000, status


def main():
    base = sys.argv[1].rstrip("/")
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    key = os.environ["API_KEY"]
    random.seed(17)
    print(f"{'request':<22}{'count':>7}{'not 200':>9}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    for name, url in kinds().items():
        for _ in range(WARM_UP):  # every worker past its first request of the kind
            timed(base, url(), key)
        results = [timed(base, url(), key) for _ in range(count)]
        times = sorted(ms for ms, _ in results)
        failed = sum(1 for _, status in results if status != 200)
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        print(
            f"{name:<22}{count:>7}{failed:>9}{statistics.median(times):>9.0f}"
            f"{p95:>9.0f}{times[-1]:>9.0f}"
        )


if __name__ == "__main__":
    main()
