from django.contrib.admin.apps import AdminConfig


class RegisterAdminConfig(AdminConfig):
    """django.contrib.admin with the register's own site as ``admin.site``.

    The site's class lives outside the ``resolutions.admin`` package: importing the package
    registers the register's models with ``admin.site``, which would then be built twice (once
    while its own class is being imported) and the registrations lost."""

    default_site = "resolutions.sites.RegisterSite"
