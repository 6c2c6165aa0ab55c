"""OpenAPI generation: every operation documents the error contract next to its success response."""

from __future__ import annotations

from typing import Any

from drf_spectacular import openapi
from drf_spectacular.authentication import SessionScheme as _SessionScheme
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """{"code", "message", "detail"} — STYLE rule 9; `detail` maps fields to messages for `invalid`."""

    code = serializers.CharField(help_text="Stable machine-readable code, e.g. invalid, not_found, rate_limited.")
    message = serializers.CharField(help_text="Human-readable message (Chinese by default).")
    detail = serializers.JSONField(allow_null=True, help_text="Per-field messages or extra data; may be null.")


_ERROR = OpenApiResponse(ErrorSerializer, description="Error: {code, message, detail}")


class AutoSchema(openapi.AutoSchema):
    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        codes = ["401", "403", "429"]
        if self.method in {"POST", "PUT", "PATCH"}:
            codes += ["400", "415"]
        if "{" in self.path or self.method != "GET":
            codes.append("404")
        for code in codes:
            responses.setdefault(code, self._get_response_for_code(_ERROR, code, direction=direction))
        return responses


class SessionScheme(_SessionScheme):
    """Our session authentication (a distinct CSRF error code) is documented like DRF's."""

    target_class = "zhengwu.api.authentication.SessionAuthentication"
