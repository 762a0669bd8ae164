"""Cursor pagination: a system walking a million directives page by page reads each page by
an index range, not by skipping every row before it, and sees no row twice when rows are
added meanwhile."""

from rest_framework.pagination import CursorPagination


class NewestFirstCursor(CursorPagination):
    ordering = ("-id",)
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_cursor_message = "Con trỏ trang (cursor) không hợp lệ."

    def get_ordering(self, request, queryset, view):
        # A search lists its best matches first; ties (same rank) keep a fixed order by id.
        if "rank" in queryset.query.annotations:
            return ("-rank", "id")
        return self.ordering
