"""Counting a request's queries of the register, apart from its rate count."""

from resolutions.db_router import SHARED_CACHE_TABLE


def register_queries(captured) -> list[str]:
    """The queries that read the register: without the rate counts kept in the shared cache's
    table (resolutions_shared_cache, the same few for every request) and the savepoints
    around them."""
    return [
        q["sql"]
        for q in captured
        if SHARED_CACHE_TABLE not in q["sql"] and "SAVEPOINT" not in q["sql"]
    ]
