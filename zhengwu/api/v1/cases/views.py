"""/api/v1/cases/…: the case list and page, actions calling the same services as the pages and the CLI, supervision
counts, and the public catalog and progress-by-query-code reads."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes, throttle_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from zhengwu.api.throttling import PUBLIC_INTAKE, PublicThrottle
from zhengwu.cases import selectors
from zhengwu.cases import services as svc
from zhengwu.cases.models import Case
from zhengwu.cases.services.clock import case_clock
from zhengwu.cases.states import Decision, ProcedureKind
from zhengwu.catalog.models import ServiceItem
from zhengwu.catalog.selectors import guide_get, guide_list
from zhengwu.core.errors import InvalidInput
from zhengwu.orgs.selectors import org_get_for_actor
from zhengwu.workdays.serializers import DueDateSerializer


class CaseSerializer(serializers.ModelSerializer):
    org = serializers.CharField(source="org.code", read_only=True)
    item = serializers.CharField(source="item.code", read_only=True)
    item_name = serializers.CharField(source="item_version.name", read_only=True)
    item_version = serializers.IntegerField(source="item_version.number", read_only=True)
    applicant_name = serializers.CharField(source="applicant_name_masked", read_only=True)
    clock_state = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "ref",
            "query_code",
            "org",
            "item",
            "item_name",
            "item_version",
            "status",
            "channel",
            "applicant_name",
            "submitted_at",
            "accepted_at",
            "rejected_at",
            "concluded_at",
            "decision",
            "mode",
            "statutory_limit_days",
            "promised_limit_days",
            "due_on",
            "visits",
            "on_site",
            "fee_yuan",
            "clock_state",
        ]

    def get_clock_state(self, case: Case) -> str | None:
        return getattr(case, "clock_state", None)


class CaseDetailSerializer(CaseSerializer):
    due = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "opinion", "due"]

    def get_due(self, case: Case) -> dict[str, Any] | None:
        clock = case_clock(case)
        return DueDateSerializer(clock).data if clock is not None else None


def _case(request: Request, pk: int) -> Case:
    case = selectors.case_get_for_actor(request.user, pk)  # type: ignore[arg-type]
    if case is None:
        raise Http404
    return case


@extend_schema(
    parameters=[
        OpenApiParameter("state", str, description="pending | on_time | warning | overdue | paused"),
        OpenApiParameter("status", str, description="a status, `open` (default) or `all`"),
        OpenApiParameter("q", str),
        OpenApiParameter("page", int),
    ],
    responses=CaseSerializer(many=True),
)
@api_view(["GET"])
def case_list(request: Request) -> Response:
    """The caller's cases, most urgent first; `next` is set when another page follows (no total is counted)."""
    try:
        page_number = max(1, int(request.query_params.get("page", "1")))
    except ValueError as exc:
        raise InvalidInput(_("页码应为正整数。"), detail={"page": ["invalid"]}) from exc
    filters = selectors.CaseFilter(
        state=request.query_params.get("state", ""),
        status=request.query_params.get("status", "open"),
        q=request.query_params.get("q", ""),
    )
    page = selectors.case_list_for_staff(request.user, filters, page=page_number)  # type: ignore[arg-type]
    return Response(
        {
            "page": page.number,
            "next": page.number + 1 if page.has_next else None,
            "results": CaseSerializer(page.cases, many=True).data,
        }
    )


@extend_schema(responses=CaseDetailSerializer)
@api_view(["GET"])
def case_detail(request: Request, pk: int) -> Response:
    return Response(CaseDetailSerializer(_case(request, pk)).data)


class CaseActionSerializer(serializers.Serializer):
    expected = serializers.CharField(required=False, help_text="The status the caller saw; a stale one gets 409.")
    opinion = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    missing = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    kind = serializers.ChoiceField(choices=ProcedureKind.choices, required=False)
    workdays = serializers.IntegerField(required=False)
    decision = serializers.ChoiceField(choices=Decision.choices, required=False)
    result_document = serializers.CharField(required=False, allow_blank=True, default="")
    on_site = serializers.BooleanField(required=False, default=False)
    to_org = serializers.CharField(required=False)
    step = serializers.CharField(required=False)


ACTIONS = (
    "accept",
    "reject",
    "request-correction",
    "receive-correction",
    "pause",
    "resume",
    "extend",
    "forward",
    "conclude",
    "visit",
)


@extend_schema(request=CaseActionSerializer, responses=CaseDetailSerializer)
@api_view(["POST"])
def case_action(request: Request, pk: int, action: str) -> Response:
    """One use-case on the case: accept, reject, request-correction, receive-correction, pause, resume, extend,
    forward, conclude or visit. Errors follow {code, message, detail}; a stale `expected` gets 409 conflict."""
    if action not in ACTIONS:
        raise Http404
    case = _case(request, pk)
    body = CaseActionSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    d = body.validated_data
    actor: Any = request.user
    expected = d.get("expected") or None
    if action == "accept":
        case = svc.case_accept(actor=actor, case=case, opinion=d["opinion"], expected=expected)
    elif action == "reject":
        case = svc.case_reject(actor=actor, case=case, reason=d["reason"], expected=expected)
    elif action == "request-correction":
        case = svc.case_request_correction(
            actor=actor, case=case, missing=d["missing"], note=d["opinion"], expected=expected
        )
    elif action == "receive-correction":
        case = svc.case_receive_correction(actor=actor, case=case, at_window=True, expected=expected)
    elif action == "pause":
        case = svc.case_pause(actor=actor, case=case, kind=d.get("kind", ""), reason=d["reason"], expected=expected)
    elif action == "resume":
        case = svc.case_resume(actor=actor, case=case, expected=expected)
    elif action == "extend":
        case = svc.case_extend(actor=actor, case=case, workdays=d.get("workdays", 0), reason=d["reason"])
    elif action == "forward":
        to_org = org_get_for_actor(actor, d.get("to_org", ""))
        if to_org is None:
            raise InvalidInput(_("机构不存在。"), detail={"to_org": ["not_found"]})
        case = svc.case_forward(
            actor=actor, case=case, to_org=to_org, step=d.get("step", ""), opinion=d["opinion"], expected=expected
        )
    elif action == "conclude":
        case = svc.case_conclude(
            actor=actor,
            case=case,
            decision=d.get("decision", ""),
            opinion=d["opinion"],
            result_document=d["result_document"],
            on_site=d["on_site"],
            expected=expected,
        )
    else:
        case = svc.case_record_visit(actor=actor, case=case, reason=d["reason"])
    return Response(CaseDetailSerializer(_case(request, case.pk)).data)


@extend_schema(
    parameters=[OpenApiParameter("org", str, description="Only this org's subtree (by code).")],
    responses={200: OpenApiTypes.OBJECT},
)
@api_view(["GET"])
def supervision_counts(request: Request) -> Response:
    """Open cases by clock state per department and per window (needs `cases.supervise`)."""
    from zhengwu.orgs import policies

    if not policies.can_anywhere(request.user, "cases.supervise"):  # type: ignore[arg-type]
        from zhengwu.core.errors import PermissionDenied

        raise PermissionDenied(_("您没有电子监察的岗位。"), detail={"permission": "cases.supervise"})
    code = request.query_params.get("org", "")
    org = org_get_for_actor(request.user, code) if code else None  # type: ignore[arg-type]
    return Response(selectors.supervision_counts(request.user, org=org))  # type: ignore[arg-type]


class ItemSerializer(serializers.ModelSerializer):
    org = serializers.CharField(source="org.code", read_only=True)
    name = serializers.CharField(source="current.name", read_only=True)
    category = serializers.CharField(source="current.category", read_only=True)
    version = serializers.IntegerField(source="current.number", read_only=True)
    mode = serializers.CharField(source="current.mode", read_only=True)
    statutory_limit_days = serializers.IntegerField(source="current.statutory_limit_days", read_only=True)
    promised_limit_days = serializers.IntegerField(source="current.promised_limit_days", read_only=True)
    online = serializers.BooleanField(source="current.online", read_only=True)
    materials = serializers.SerializerMethodField()

    class Meta:
        model = ServiceItem
        fields = [
            "code",
            "org",
            "name",
            "category",
            "version",
            "mode",
            "statutory_limit_days",
            "promised_limit_days",
            "online",
            "materials",
        ]

    def get_materials(self, item: ServiceItem) -> list[dict[str, Any]]:
        assert item.current is not None
        return [
            {"name": m.name, "originals": m.originals, "copies": m.copies, "required": m.required}
            for m in item.current.materials.all()
        ]


@extend_schema(parameters=[OpenApiParameter("q", str)], responses=ItemSerializer(many=True))
@api_view(["GET"])
@permission_classes([AllowAny])
def item_list(request: Request) -> Response:
    """The public catalog (active items), searchable by name or keyword; at most 100 per call."""
    qs = guide_list(query=request.query_params.get("q", "")).prefetch_related("current__materials")
    return Response(ItemSerializer(qs[:100], many=True).data)


@extend_schema(responses=ItemSerializer)
@api_view(["GET"])
@permission_classes([AllowAny])
def item_detail(request: Request, code: str) -> Response:
    item = guide_get(code=code)
    if item is None:
        raise Http404
    return Response(ItemSerializer(item).data)


class ProgressSerializer(serializers.ModelSerializer):
    item_name = serializers.CharField(source="item_version.name", read_only=True)
    org_name = serializers.CharField(source="org.name", read_only=True)
    applicant_name = serializers.CharField(source="applicant_name_masked", read_only=True)

    class Meta:
        model = Case
        fields = [
            "ref",
            "item_name",
            "org_name",
            "applicant_name",
            "status",
            "decision",
            "submitted_at",
            "accepted_at",
            "concluded_at",
            "due_on",
        ]


@extend_schema(responses=ProgressSerializer)
@api_view(["GET"])
@permission_classes([AllowAny])
@throttle_classes([PublicThrottle])
def case_progress(request: Request, query_code: str) -> Response:
    """The applicant's view of a case by its query code (no account); limited per client address."""
    case = selectors.case_by_query_code(query_code)
    if case is None:
        raise Http404
    return Response(ProgressSerializer(case).data)


case_progress.cls.throttle_scope = PUBLIC_INTAKE  # type: ignore[attr-defined]
