"""The pages shown when a request cannot be served: in Vietnamese, inside the admin's frame,
with a way back (Django's defaults are bare English pages)."""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def _page(request, status, title, message):
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = reverse("admin:index")
    context = {"title": title, "message": message, "back": back}
    # The admin's header, user links and sidebar, for a person who is logged in; a 500 page
    # reads nothing from the database, which may be what failed.
    if status != 500 and getattr(request, "user", None) and request.user.is_active:
        context.update(admin.site.each_context(request))
        context["title"] = title
    return TemplateResponse(request, "admin/resolutions/error.html", context, status=status)


def bad_request(request, exception=None):
    return _page(request, 400, "Yêu cầu không hợp lệ", "Trang không hiểu được yêu cầu vừa gửi.")


def permission_denied(request, exception=None):
    return _page(
        request,
        403,
        "Không có quyền",
        "Tài khoản của bạn không được phép mở trang này hoặc làm thao tác này. "
        "Nếu công việc cần, hãy đề nghị quản trị viên cấp quyền.",
    )


def page_not_found(request, exception=None):
    return _page(
        request,
        404,
        "Không tìm thấy trang",
        "Không có trang nào ở địa chỉ này. Có thể bản ghi đã bị xóa hoặc địa chỉ gõ chưa đúng.",
    )


def server_error(request):
    response = _page(
        request,
        500,
        "Lỗi hệ thống",
        "Đã có lỗi khi xử lý yêu cầu; không có gì được ghi. Hãy thử lại sau ít phút; nếu lỗi "
        "còn lặp lại, hãy báo quản trị viên.",
    )
    return response.render()


def csrf_failure(request, reason=""):
    """Django's own page explains cookies and Referer headers in English; a clerk needs to
    know what to do."""
    return _page(
        request,
        403,
        "Trang đã hết hạn",
        "Không ghi được vì trang này đã mở quá lâu hoặc trình duyệt chặn cookie của trang. "
        "Hãy tải lại trang (F5), điền lại nếu cần, rồi bấm lưu một lần nữa.",
    ).render()
