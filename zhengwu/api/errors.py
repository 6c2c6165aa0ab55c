"""The API's error contract (STYLE rule 9): every error is {"code", "message", "detail"} with a 4xx status."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response

from zhengwu.core.errors import ApplicationError

log = logging.getLogger("zhengwu.api")

_CODES = {
    exceptions.ParseError: "malformed_request",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.PermissionDenied: "forbidden",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "rate_limited",
    exceptions.ValidationError: "invalid",
}


def _code(exc: exceptions.APIException) -> str:
    own = getattr(type(exc), "default_code", "")
    # A subclass with its own code (e.g. csrf_failed) keeps it; DRF's own classes map to the table.
    if type(exc) not in _CODES and own and own not in {"error", "permission_denied"}:
        return str(own)
    return next((c for cls, c in _CODES.items() if isinstance(exc, cls)), "error")


def _error(code: str, message: str, detail: Any, status_code: int, headers: dict[str, str] | None = None) -> Response:
    return Response({"code": code, "message": message, "detail": detail}, status=status_code, headers=headers)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApplicationError):
        return _error(exc.code, exc.message, exc.detail, exc.http_status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("对象不存在或您无权查看。"))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        # A model's full_clean() reached the view: still bad input, never a 500.
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(fields)
    elif isinstance(exc, RequestDataTooBig):
        return _error("request_too_large", _("请求数据过大。"), None, status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    elif isinstance(exc, SuspiciousOperation):
        return _error("bad_request", _("请求无效。"), None, status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, exceptions.APIException):
        code = _code(exc)
        detail: Any = None
        if isinstance(exc, exceptions.ValidationError):
            message, detail = _("请求数据有误。"), exc.detail
            if not isinstance(detail, dict):
                detail = {"non_field_errors": detail}
        else:
            message = str(exc.detail)
        headers: dict[str, str] = {}
        if isinstance(exc, exceptions.Throttled):
            wait = max(1, int(getattr(exc, "wait", None) or 1))
            headers["Retry-After"] = str(wait)
            detail = {"retry_after": wait}
        auth_header = getattr(exc, "auth_header", None)
        if auth_header:
            headers["WWW-Authenticate"] = auth_header
        return _error(code, message, detail, exc.status_code, headers)
    log.exception("unhandled API error")
    return _error("server_error", _("服务器内部错误，已记录。"), None, status.HTTP_500_INTERNAL_SERVER_ERROR)
