from django.contrib.admin.apps import AdminConfig


class RegisterAdminConfig(AdminConfig):
    """django.contrib.admin with the register's own site as ``admin.site``."""

    default_site = "resolutions.sites.RegisterSite"
