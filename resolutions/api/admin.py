"""Tokens for systems, managed by the office's administrators in the admin: made (the key is
shown once), revoked, never deleted (what used the API stays known)."""

from django.contrib import admin, messages
from django.utils import timezone

from .tokens import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "committee",
        "prefix",
        "rate_per_minute",
        "created_at",
        "last_used_at",
        "state",
    )
    list_filter = ("committee",)
    list_select_related = ("committee",)
    search_fields = ("name", "prefix")
    autocomplete_fields = ("committee",)
    readonly_fields = ("prefix", "created_at", "last_used_at", "revoked_at")
    actions = ("revoke",)

    @admin.display(description="tình trạng", ordering="revoked_at")
    def state(self, obj):
        if obj.revoked_at is None:
            return "Đang dùng"
        return f"Đã thu hồi {timezone.localtime(obj.revoked_at):%d/%m/%Y %H:%M}"

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:  # the committee is the token's scope: a new token for another
            return (*self.readonly_fields, "committee")
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            key = obj.issue_key()
            super().save_model(request, obj, form, change)
            self.message_user(
                request,
                f"Khóa truy cập cho “{obj.name}”: {key} — hãy chép và trao cho hệ thống ngay; "
                "khóa chỉ hiện một lần này (sổ chỉ lưu mã băm).",
                messages.WARNING,
            )
            return
        super().save_model(request, obj, form, change)

    @admin.action(description="Thu hồi các khóa đã chọn", permissions=("change",))
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, f"Đã thu hồi {count} khóa.", messages.SUCCESS)

    def has_delete_permission(self, request, obj=None):
        return False
