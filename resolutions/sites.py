"""The admin site of the register: its index in the order of the office's work."""

from django.contrib import admin
from django.urls import reverse

# The order a clerk meets things in: the meeting and what it decided, then follow-up, then the
# reference data that is set up once. Models not listed keep Django's order after these.
MODEL_ORDER = (
    "meeting",
    "directive",
    "indicator",
    "indicatorseries",
    "seriesmatch",
    "directivetarget",
    "finding",
    "report",
    "registerednumber",
    "issuance",
    "unit",
    "committee",
    "issuingprofile",
    "topic",
    "apitoken",
)


class RegisterSite(admin.AdminSite):
    site_header = "Sổ kết luận Hội nghị Ban Chấp hành"
    site_title = "Sổ kết luận"
    index_title = "Quản lý kết luận hội nghị"
    site_url = None  # no public site: the admin is the whole application
    index_template = "admin/resolutions/index.html"

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        rank = {name: i for i, name in enumerate(MODEL_ORDER)}
        for app in apps:
            if app["app_label"] == "resolutions":
                app["models"].sort(key=lambda m: rank.get(m["object_name"].lower(), len(rank)))
        # The register before the users and groups that only an administrator sees.
        apps.sort(key=lambda app: app["app_label"] != "resolutions")
        return apps

    def tools(self, request) -> list[tuple[str, str]]:
        """The register's own pages that this user may open, as (label, address)."""
        user = request.user
        tools = []
        if user.has_perm("resolutions.import_conclusion"):
            tools.append(
                ("Nhập kết luận từ văn bản", reverse("admin:resolutions_meeting_import_text"))
            )
        if user.has_perm("resolutions.view_directive"):
            tools.append(
                ("Báo cáo theo dõi thực hiện", reverse("admin:resolutions_directive_follow_up"))
            )
        if user.has_perm("resolutions.view_directive"):
            repeated = reverse("admin:resolutions_directive_repeated")
            tools.append(("Nhiệm vụ được giao lại nhiều lần", repeated))
        if user.has_perm("resolutions.manage_archive"):
            tools.append(("Tệp lưu trữ", reverse("admin:resolutions_meeting_archive")))
            tools.append(("Gói nộp lưu", reverse("admin:resolutions_meeting_handover")))
        return tools

    def get_urls(self):
        from .handover.views import urls as handover_urls
        from .issuing.views import urls

        return [*urls(self), *handover_urls(self), *super().get_urls()]

    def index(self, request, extra_context=None):
        return super().index(request, {"tools": self.tools(request), **(extra_context or {})})
