"""The office's roles, as Django groups with their permissions (``manage.py setup_roles``).

| role          | group name              | may                                                   |
| ------------- | ----------------------- | ----------------------------------------------------- |
| clerk         | Chuyên viên văn phòng   | add and change meetings and their parts, import      |
|               |                         | conclusions and spreadsheets of meeting parts, record |
|               |                         | follow-up; read the reference data                    |
| archivist     | Văn thư lưu trữ         | read everything, export, and export and restore the   |
|               |                         | whole-archive workbook                                |
| viewer        | Người xem               | read and export, change nothing                       |
| administrator | Quản trị viên           | everything in the register, and manage users          |
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

REGISTER = (
    "meeting",
    "report",
    "indicator",
    "directive",
    "finding",
    "progressnote",
    "issuance",
    "registerednumber",
    # Indicator series, their matches and the figures tasks aim at (resolutions/series).
    "indicatorseries",
    "seriesmatch",
    "directivetarget",
)
REFERENCE = ("topic", "committee", "unit", "issuingprofile")
EVERY_MODEL = REGISTER + REFERENCE


def _codes(actions, models):
    return [f"{action}_{model}" for model in models for action in actions]


ROLES = {
    "clerk": (
        "Chuyên viên văn phòng",
        [
            *_codes(("view", "add", "change"), REGISTER),
            # Rows of a meeting are removed from its page; meetings themselves are not.
            *_codes(("delete",), REGISTER[1:]),
            *_codes(("view",), REFERENCE),
            "import_conclusion",
        ],
    ),
    "archivist": (
        "Văn thư lưu trữ",
        [*_codes(("view",), EVERY_MODEL), "manage_archive"],
    ),
    "viewer": ("Người xem", _codes(("view",), EVERY_MODEL)),
    "administrator": (
        "Quản trị viên",
        [
            *_codes(("view", "add", "change", "delete"), EVERY_MODEL),
            # Tokens of the read API: made and revoked, never deleted (resolutions/api/admin.py).
            *_codes(("view", "add", "change"), ("apitoken",)),
            "manage_archive",
            "import_conclusion",
        ],
    ),
}
# Administrators also manage who may log in.
ADMINISTRATOR_AUTH = _codes(("view", "add", "change", "delete"), ("user", "group"))


def setup_roles() -> dict[str, int]:
    """Create or update each role's group to hold exactly its permissions; idempotent."""
    permissions = {
        (p.content_type.app_label, p.codename): p
        for p in Permission.objects.select_related("content_type").filter(
            content_type__app_label__in=("resolutions", "auth")
        )
    }
    counts = {}
    for key, (name, codes) in ROLES.items():
        wanted = [permissions[("resolutions", code)] for code in codes]
        if key == "administrator":
            wanted += [permissions[("auth", code)] for code in ADMINISTRATOR_AUTH]
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(wanted)
        counts[name] = len(wanted)
    return counts


def role_group(key: str) -> Group:
    return Group.objects.get(name=ROLES[key][0])
