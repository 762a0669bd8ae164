from django.apps import AppConfig


class ResolutionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "resolutions"
    verbose_name = "Sổ kết luận hội nghị"

    def ready(self):
        from django.conf import settings

        from . import (
            checks,  # noqa: F401  (registers the system checks)
            upload_safety,
        )
        from .api import admin as api_admin  # noqa: F401  (the API tokens' admin page)

        # The parser knows no Django: the limits reach it through this Django-free module.
        upload_safety.LIMITS.update(getattr(settings, "UPLOAD_LIMITS", {}))

        # The issuing package keeps its admin pages beside its models.
        from .issuing import admin  # noqa: F401

        # Rows a spreadsheet wrote in bulk are matched to series and repeats as an import's.
        from .series import matching
        from .spreadsheets.signals import rows_written

        rows_written.connect(matching.follow_written_rows, dispatch_uid="series-follow-rows")
