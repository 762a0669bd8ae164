"""Who reads what: a system by its token (its committees only, see views.ScopedViewSet), a
member of staff by the view permission of their role."""

from rest_framework import permissions

from .tokens import ApiToken


class ReadsRegister(permissions.BasePermission):
    message = "Tài khoản này không có quyền xem dữ liệu này."

    def has_permission(self, request, view):
        if request.method not in permissions.SAFE_METHODS:
            return False  # writes stay in the admin
        if isinstance(request.auth, ApiToken):
            return True
        user = request.user
        if not (user and user.is_authenticated and user.is_active and user.is_staff):
            return False
        model = view.get_queryset().model
        return user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")
