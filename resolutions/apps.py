from django.apps import AppConfig


class ResolutionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "resolutions"
    verbose_name = "Sổ kết luận hội nghị"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import checks  # noqa: F401 - registers the system checks
        from .search import forget_indexes

        # A migration may have added or removed the RUM indexes the search looks for.
        post_migrate.connect(forget_indexes, sender=self)
