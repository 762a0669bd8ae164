from django.apps import AppConfig


class ResolutionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "resolutions"
    verbose_name = "Sổ kết luận hội nghị"

    def ready(self):
        # The issuing package keeps its admin pages beside its models.
        from .issuing import admin  # noqa: F401
