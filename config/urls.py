from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
]

# Error pages in Vietnamese, inside the admin's frame (resolutions/errors_views.py).
handler400 = "resolutions.errors_views.bad_request"
handler403 = "resolutions.errors_views.permission_denied"
handler404 = "resolutions.errors_views.page_not_found"
handler500 = "resolutions.errors_views.server_error"
