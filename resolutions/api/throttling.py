"""Each token has its own rate (ApiToken.rate_per_minute); staff share the "staff" rate."""

from rest_framework.throttling import SimpleRateThrottle

from .tokens import ApiToken


class PerTokenThrottle(SimpleRateThrottle):
    scope = "staff"

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
