"""How the API answers a refused request, in Vietnamese, the same way for every resource:
400 {field: [messages]} for invalid data, 401 without credentials, 403 inside the scope without
the right, 404 outside it, 405 for an unknown method, 409 for a stale write (the object's
version changed since its ETag was read), 428 when a write does not say which version it read.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.concurrency import EditConflict


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy(
        "Chưa lưu: đối tượng đã được người khác sửa sau khi bạn đọc (ETag đã đổi). Hãy đọc lại "
        "rồi gửi lại với If-Match mới."
    )
    default_code = "conflict"


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = gettext_lazy(
        "Cần tiêu đề If-Match chứa ETag của lần đọc gần nhất (chống ghi đè)."
    )
    default_code = "precondition_required"


class Forbidden(exceptions.PermissionDenied):
    default_detail = gettext_lazy("Bạn không có quyền thực hiện thao tác này.")


def exception_handler(exc, context):
    if isinstance(exc, EditConflict):
        exc = Conflict(str(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Không tìm thấy trong phạm vi của bạn."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = Forbidden()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.MethodNotAllowed):
        response.data = {
            "detail": _("Phương thức %(method)s không được hỗ trợ ở địa chỉ này.")
            % {"method": context["request"].method}
        }
    return response


def bad_request(errors: dict[str, list[str]]) -> Response:
    """A service's refusal of the data, keyed by field ("" = the whole object)."""
    data = {(key or "non_field_errors"): [str(m) for m in msgs] for key, msgs in errors.items()}
    return Response(data, status=status.HTTP_400_BAD_REQUEST)
