"""What a server process does once its application is loaded (config/wsgi.py, config/asgi.py).

Everything loaded by then — apps, models, the admin, the URL patterns — lives as long as the
process. ``gc.freeze()`` moves it out of the collector's reach, so the full collections that a
page making many objects triggers (a meeting's page draws some 550 form fields) no longer walk
it each time: the seed meeting's page at the 95th percentile went from 335–424 ms to
287–311 ms on one machine, the median unchanged (``benchmark_pages`` does the same).
"""

import gc

from django.urls import get_resolver


def settle() -> None:
    get_resolver().url_patterns  # noqa: B018 (the URLconf is imported on first use)
    gc.collect()
    gc.freeze()
