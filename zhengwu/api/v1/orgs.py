"""/api/v1/orgs/ and /api/v1/me/: the org tree as the caller may see it; new orgs through `org_create`."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.views.decorators.csrf import ensure_csrf_cookie
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.request import Request
from rest_framework.response import Response

from zhengwu.core.errors import InvalidInput
from zhengwu.orgs import selectors, services
from zhengwu.orgs.models import Division, Membership, Org, OrgKind
from zhengwu.orgs.models.org import ORG_CODE_RE

CODE_REGEX = r"[A-Za-z0-9][A-Za-z0-9_.-]{0,39}"


class OrgSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField[Org](slug_field="code", read_only=True)  # type: ignore[assignment]
    division = serializers.SlugRelatedField[Division](slug_field="code", read_only=True)

    class Meta:
        model = Org
        fields = [
            "code",
            "name",
            "short_name",
            "kind",
            "parent",
            "division",
            "depth",
            "office_hours",
            "address",
            "phone",
            "is_active",
        ]


class OrgCreateSerializer(serializers.Serializer):
    code = serializers.RegexField(ORG_CODE_RE, max_length=40)
    name = serializers.CharField(max_length=200)
    short_name = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    kind = serializers.ChoiceField(choices=OrgKind.choices)
    parent = serializers.CharField(max_length=40, required=False, allow_null=True, default=None)  # type: ignore[assignment]
    division = serializers.CharField(max_length=12, required=False, allow_blank=True, default="")
    office_hours = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class OrgFilterSerializer(serializers.Serializer):
    under = serializers.CharField(max_length=40, required=False)


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("under", str, description="Only this org's subtree (by code).")],
    ),
)
class OrgViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Orgs the caller may see (`orgs.view`); create needs `orgs.manage` on the parent."""

    serializer_class = OrgSerializer
    lookup_field = "code"
    lookup_value_regex = CODE_REGEX

    def get_queryset(self) -> Any:
        qs = selectors.org_list_for_actor(self.request.user).select_related("parent", "division")  # type: ignore[arg-type]
        if self.action == "list":
            params = OrgFilterSerializer(data=self.request.query_params)
            params.is_valid(raise_exception=True)
            under = params.validated_data.get("under")
            if under:
                root = qs.filter(code=under).first()
                qs = qs.filter(path__startswith=root.path) if root else qs.none()
        return qs.order_by("path")

    @extend_schema(request=OrgCreateSerializer, responses={201: OrgSerializer})
    def create(self, request: Request) -> Response:
        data = OrgCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        parent_code = values.pop("parent")
        parent: Org | str | None = None
        if parent_code:
            # An org the caller cannot see answers like one that does not exist: codes of other counties stay hidden.
            parent = selectors.org_get_for_actor(request.user, parent_code)  # type: ignore[arg-type]
            if parent is None:
                raise InvalidInput(
                    _("上级机构不存在：%(code)s") % {"code": parent_code}, detail={"parent": ["not_found"]}
                )
        org = services.org_create(actor=request.user, parent=parent, **values)  # type: ignore[arg-type]
        return Response(OrgSerializer(org).data, status=201)

    @extend_schema(responses=OrgSerializer(many=True))
    @action(detail=True, methods=["get"])
    def children(self, request: Request, code: str) -> Response:
        """The org's direct children that the caller may see."""
        org = self.get_object()
        qs = self.get_queryset().filter(parent=org)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(OrgSerializer(page, many=True).data)


class MembershipSerializer(serializers.ModelSerializer):
    org = serializers.SlugRelatedField[Org](slug_field="code", read_only=True)
    org_name = serializers.CharField(source="org.name", read_only=True)

    class Meta:
        model = Membership
        fields = ["org", "org_name", "role", "scope"]


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField()
    is_superuser = serializers.BooleanField()
    memberships = MembershipSerializer(many=True)


@extend_schema(responses=MeSerializer)
@ensure_csrf_cookie
@api_view(["GET"])
def me(request: Request) -> Response:
    """The caller and their roles. Also sets the `csrftoken` cookie that session (browser) clients send back as
    the X-CSRFToken header on writes."""
    user = request.user
    memberships = user.memberships.select_related("org").order_by("org__path", "role")  # type: ignore[union-attr]
    return Response(
        MeSerializer(
            {
                "username": user.get_username(),
                "full_name": getattr(user, "full_name", ""),
                "is_superuser": bool(getattr(user, "is_superuser", False)),
                "memberships": memberships,
            }
        ).data
    )
