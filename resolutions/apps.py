from django.apps import AppConfig


class ResolutionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "resolutions"
    verbose_name = "Sổ kết luận hội nghị"

    def ready(self):
        from .series import admin  # noqa: F401  (its pages, on the register's admin site)
