"""The API's error contract (STYLE rule 9): every error is {"code", "message", "detail"} with a 4xx status."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
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


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApplicationError):
        return Response(exc.as_dict(), status=exc.http_status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.APIException):
        code = next((c for cls, c in _CODES.items() if isinstance(exc, cls)), "error")
        detail: Any
        if isinstance(exc, exceptions.ValidationError):
            message, detail = "请求数据有误。", exc.detail
        else:
            message, detail = str(exc.detail), None
        headers = {}
        wait = getattr(exc, "wait", None)
        if isinstance(exc, exceptions.Throttled) and wait:
            headers["Retry-After"] = str(int(wait))
            detail = {"retry_after": int(wait)}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header  # type: ignore[attr-defined]
        return Response({"code": code, "message": message, "detail": detail}, status=exc.status_code, headers=headers)
    log.exception("unhandled API error")
    return Response(
        {"code": "server_error", "message": "服务器内部错误，已记录。", "detail": None},
        status=status.HTTP_500_INTERNAL_SERVER_ERROR,
    )
