"""/api/v1/orgs/ and /api/v1/me/: the org tree as the caller may see it."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from zhengwu.orgs import selectors, services
from zhengwu.orgs.models import Org, OrgKind


class OrgSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField[Org](slug_field="code", read_only=True)  # type: ignore[assignment]

    class Meta:
        model = Org
        fields = ["code", "name", "short_name", "kind", "parent", "depth", "office_hours", "is_active"]


class OrgCreateSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=OrgKind.choices)
    parent = serializers.CharField(max_length=40)  # type: ignore[assignment]
    division = serializers.CharField(max_length=12, required=False, allow_blank=True)


class OrgViewSet(viewsets.ReadOnlyModelViewSet):
    """Orgs visible to the caller; `?under=CODE` limits to a subtree."""

    serializer_class = OrgSerializer
    lookup_field = "code"
    lookup_value_regex = r"[A-Za-z0-9_.-]+"

    def get_queryset(self) -> Any:
        qs = selectors.org_list_for_actor(self.request.user).select_related("parent")  # type: ignore[arg-type]
        under = self.request.query_params.get("under")
        if under:
            root = qs.filter(code=under).first()
            qs = qs.filter(path__startswith=root.path) if root else qs.none()
        return qs.order_by("path")

    @extend_schema(request=OrgCreateSerializer, responses={201: OrgSerializer})
    def create(self, request: Request) -> Response:
        data = OrgCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        org = services.org_create(actor=request.user, **data.validated_data)  # type: ignore[arg-type]
        return Response(OrgSerializer(org).data, status=201)


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField()
    memberships = serializers.ListField(child=serializers.DictField())


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
def me(request: Request) -> Response:
    """The caller and their roles."""
    user = request.user
    memberships = [
        {"org": m.org.code, "org_name": m.org.name, "role": m.role, "scope": m.scope}
        for m in user.memberships.select_related("org").order_by("org__path", "role")  # type: ignore[union-attr]
    ]
    return Response(
        {"username": user.get_username(), "full_name": getattr(user, "full_name", ""), "memberships": memberships}
    )
