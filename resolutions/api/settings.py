"""Django REST Framework's and drf-spectacular's settings, imported by config/settings.py."""

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "resolutions.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["resolutions.api.permissions.ReadsRegister"],
    "DEFAULT_THROTTLE_CLASSES": ["resolutions.api.throttling.PerTokenThrottle"],
    # Staff reading the API with their admin login; tokens carry their own rate.
    "DEFAULT_THROTTLE_RATES": {"staff": "600/minute"},
    "DEFAULT_PAGINATION_CLASS": "resolutions.api.pagination.NewestFirstCursor",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Sổ kết luận Hội nghị Ban Chấp hành — API đọc",
    "DESCRIPTION": (
        "Đọc hội nghị, báo cáo, chỉ tiêu, nhiệm vụ (kèm tình trạng thực hiện), đơn vị và lĩnh "
        "vực của các cấp ủy mà khóa truy cập được giao. Chỉ đọc: việc ghi làm trong trang quản "
        "trị. Gửi khóa trong tiêu đề `Authorization: Bearer <khóa>`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
}
