"""Each token has its own rate (ApiToken.rate_per_minute); staff share the "staff" rate.
The counts live in the shared cache, the same for every process."""

from django.core.cache import caches
from rest_framework.throttling import SimpleRateThrottle

from .tokens import ApiToken


class PerTokenThrottle(SimpleRateThrottle):
    scope = "staff"

    @property  # type: ignore[override]
    def cache(self):
        # Counted once for every process and server (settings.CACHES["shared"]), not per
        # gunicorn worker: a token's limit is its limit however many workers serve it.
        return caches["shared"]

    def allow_request(self, request, view):
        if isinstance(request.auth, ApiToken):
            self.num_requests, self.duration = request.auth.rate_per_minute, 60
        else:
            self.num_requests, self.duration = self.parse_rate(self.get_rate())
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            return f"api-throttle-token-{request.auth.pk}"
        if request.user and request.user.is_authenticated:
            return f"api-throttle-user-{request.user.pk}"
        return None  # refused by the permission check anyway
