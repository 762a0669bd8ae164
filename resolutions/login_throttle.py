"""Login throttling (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for one login name
from one address, that name is refused from that address, even with the right password, for
LOGIN_COOLOFF_MINUTES; the refusal is a Vietnamese page in the admin's look."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_client_username, get_cool_off
from django.conf import settings
from django.contrib import admin
from django.shortcuts import render


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' check, for logins that come with a request (every login page does).
    A call without one (``authenticate()`` from a shell, the test client's ``login``) is no
    one guessing passwords over the network, and is left to the next backend."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def locked_out(request, original_response=None, credentials=None):
    """The page a locked-out login gets (settings.AXES_LOCKOUT_CALLABLE)."""
    username = get_client_username(request, credentials) or ""
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    wait = f"trong {minutes} phút" if minutes else "cho đến khi quản trị viên mở khóa"
    context = {
        **admin.site.each_context(request),
        "title": "Tạm khóa đăng nhập",
        "message": (
            f"Đã nhập sai mật khẩu {settings.AXES_FAILURE_LIMIT} lần cho tên đăng nhập "
            f"“{username}” từ máy này, nên tên này tạm thời không đăng nhập được từ máy này "
            f"{wait}, kể cả với mật khẩu đúng. Hãy thử lại sau; nếu quên mật khẩu, hãy nhờ "
            "quản trị viên đặt lại."
        ),
    }
    # Rendered now: the middleware returns it after the view's own response was rendered.
    return render(
        request,
        "admin/resolutions/refused.html",
        context,
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
