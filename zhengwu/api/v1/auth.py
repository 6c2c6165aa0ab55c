"""/api/v1/auth/token/: staff exchange username and password for an API token (POST) and revoke it (DELETE)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from zhengwu.api import throttling, tokens


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text='Send as "Authorization: Token <token>".')
    username = serializers.CharField()


class TokenView(APIView):
    throttle_scope = throttling.AUTH_TOKEN

    def get_authenticators(self) -> list[Any]:
        # Obtaining a token needs no prior login, so no session (and no CSRF check) is involved.
        request = getattr(self, "request", None)  # absent while the schema generator builds its mock request
        if request is not None and request.method == "POST":
            return []
        return super().get_authenticators()

    def get_permissions(self) -> list[Any]:
        if self.request.method == "POST":
            return [permissions.AllowAny()]
        return list(super().get_permissions())

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer}, auth=[])
    def post(self, request: Request) -> Response:
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token = tokens.token_issue(
            username=data.validated_data["username"],
            password=data.validated_data["password"],
            request=request._request,
        )
        return Response({"token": token.key, "username": token.user.get_username()})

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request) -> Response:
        tokens.token_revoke(actor=request.user)  # type: ignore[arg-type]
        return Response(status=204)
