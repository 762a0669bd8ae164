"""Tokens that let another system read one committee's records through the API.

A token is shown once, when it is made, and only its SHA-256 is stored: a stolen database
does not give the tokens away. The keys are 256 random bits, so a fast hash is enough (a slow
password hash protects guessable secrets; nothing here is guessable). The first characters are
kept in clear to find the row and to name the token in the admin.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.core.cache import cache
from django.db import models
from django.utils import timezone

PREFIX_LENGTH = 8
SCOPE_SECONDS = 60


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True)

    def matching(self, key: str) -> ApiToken | None:
        """The live token whose key this is, compared in constant time."""
        if len(key) <= PREFIX_LENGTH or len(key) > 200:
            return None
        wanted = digest(key)
        for token in self.usable().select_related("committee").filter(prefix=key[:PREFIX_LENGTH]):
            if hmac.compare_digest(token.key_hash, wanted):
                return token
        return None


class ApiToken(models.Model):
    name = models.CharField(
        "tên hệ thống", max_length=200, help_text="Hệ thống dùng khóa này, ví dụ “Cổng theo dõi”."
    )
    committee = models.ForeignKey(
        "resolutions.Committee",
        on_delete=models.PROTECT,
        related_name="api_tokens",
        verbose_name="cấp ủy",
        help_text="Khóa chỉ đọc được hồ sơ của cấp ủy này và các cấp ủy trực thuộc.",
    )
    prefix = models.CharField("mã nhận diện", max_length=PREFIX_LENGTH, editable=False)
    key_hash = models.CharField("mã băm SHA-256", max_length=64, unique=True, editable=False)
    rate_per_minute = models.PositiveIntegerField(
        "số yêu cầu mỗi phút", default=120, help_text="Vượt quá thì bị từ chối (mã 429)."
    )
    created_at = models.DateTimeField("thời điểm tạo", default=timezone.now, editable=False)
    revoked_at = models.DateTimeField("thu hồi lúc", null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField("dùng lần cuối", null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        app_label = "resolutions"
        ordering = ["-created_at", "-id"]
        verbose_name = "khóa truy cập API"
        verbose_name_plural = "khóa truy cập API"
        indexes = [
            # Each API request finds its token by the key's first characters.
            models.Index(fields=["prefix"], name="resolutions_apitoken_prefix"),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def issue_key(self) -> str:
        """A new key for this token: stored hashed, returned once for the office to hand over."""
        key = secrets.token_urlsafe(32)
        self.prefix, self.key_hash = key[:PREFIX_LENGTH], digest(key)
        return key

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])

    def committee_ids(self) -> set[int]:
        """The token's committee and every committee under it. Kept a minute in the cache:
        committees are reorganised rarely, and every request of the token asks."""
        key = f"api-token-committees-{self.committee_id}"
        ids = cache.get(key)
        if ids is None:
            ids = self._committee_tree()
            cache.set(key, ids, SCOPE_SECONDS)
        return ids

    def _committee_tree(self) -> set[int]:
        from resolutions.models import Committee

        found, frontier = {self.committee_id}, {self.committee_id}
        while frontier:
            frontier = (
                set(Committee.objects.filter(parent__in=frontier).values_list("pk", flat=True))
                - found
            )
            found |= frontier
        return found
