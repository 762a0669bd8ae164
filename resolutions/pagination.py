"""Counting rows without counting a million of them on every page."""

from django.core.paginator import Paginator
from django.db import connection
from django.utils.functional import cached_property

# Past this many matching rows the page says "about" rather than counting them all.
COUNT_LIMIT = 10_000


class EstimatedCountPaginator(Paginator):
    """An exact count up to COUNT_LIMIT rows; past it, PostgreSQL's own estimate of the table
    when nothing narrows it, else the limit itself. The admin then shows the right pages for
    every search a person makes, and the first pages of the rest, without a full scan."""

    @cached_property
    def count(self):
        queryset = self.object_list
        if not hasattr(queryset, "query"):
            return super().count
        bounded = queryset.order_by()[: COUNT_LIMIT + 1].count()
        if bounded <= COUNT_LIMIT:
            return bounded
        if connection.vendor == "postgresql" and not queryset.query.where:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                    [queryset.model._meta.db_table],
                )
                estimate = cursor.fetchone()[0]
            return max(estimate, bounded)
        return bounded
