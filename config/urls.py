from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("resolutions.api.urls")),
    path("", include("resolutions.reading.urls")),
]

# Error pages in Vietnamese, inside the admin's frame (resolutions/errors_views.py).
handler400 = "resolutions.errors_views.bad_request"
handler403 = "resolutions.errors_views.permission_denied"
handler404 = "resolutions.errors_views.page_not_found"
handler500 = "resolutions.errors_views.server_error"
