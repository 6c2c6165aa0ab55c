"""/api/v1/audit/: the audit trail as the caller may see it (`audit.view`), and a chain check for the operator."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from zhengwu.core.models import AuditEvent
from zhengwu.core.tasks import audit_verify_enqueue
from zhengwu.orgs import policies
from zhengwu.orgs.models import Org


class AuditEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_label", read_only=True)
    org = serializers.SlugRelatedField[Org](slug_field="code", read_only=True)
    old = serializers.JSONField(read_only=True, allow_null=True)
    new = serializers.JSONField(read_only=True, allow_null=True)

    class Meta:
        model = AuditEvent
        fields = ["id", "at", "actor", "org", "object_type", "object_id", "action", "old", "new", "reason", "hash"]


class AuditFilterSerializer(serializers.Serializer):
    object_type = serializers.CharField(max_length=100, required=False)
    object_id = serializers.CharField(max_length=64, required=False)
    action = serializers.CharField(max_length=64, required=False)


_FILTERS = [
    OpenApiParameter("object_type", str, description="e.g. orgs.org"),
    OpenApiParameter("object_id", str, description="The object's id (with object_type)."),
    OpenApiParameter("action", str, description="e.g. org.create"),
]


@extend_schema_view(list=extend_schema(parameters=_FILTERS))
class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    """Events of orgs the caller may audit, newest first; events with no org only for the platform operator."""

    serializer_class = AuditEventSerializer
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self) -> Any:
        qs = policies.scope(self.request.user, "audit.view", AuditEvent.objects.select_related("org"))  # type: ignore[arg-type]
        if self.action == "list":
            params = AuditFilterSerializer(data=self.request.query_params)
            params.is_valid(raise_exception=True)
            qs = qs.filter(**params.validated_data)
        return qs.order_by("-id")


class VerifyQueuedSerializer(serializers.Serializer):
    task_id = serializers.CharField(allow_null=True)
    status = serializers.CharField()


@extend_schema(request=None, responses={202: VerifyQueuedSerializer})
@api_view(["POST"])
def audit_verify(request: Request) -> Response:
    """Queue a check of the whole hash chain (platform operator only); the result is recorded as `audit.verify`."""
    result = audit_verify_enqueue(actor=request.user)  # type: ignore[arg-type]
    return Response({"task_id": result.id if result else None, "status": "queued"}, status=202)
