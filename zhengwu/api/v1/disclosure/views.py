"""/api/v1/disclosure/…: requests and every legal step (staff), the public intake (rate limited, idempotent), progress
by query code, the public catalog, and disputes. Views parse, call the services, render."""

from __future__ import annotations

from typing import Any, cast

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from zhengwu.api.pagination import Pagination
from zhengwu.api.throttling import PUBLIC_INTAKE, PublicThrottle
from zhengwu.core.errors import InvalidInput, NotFound
from zhengwu.core.querycode import format_query_code
from zhengwu.disclosure import selectors
from zhengwu.disclosure.models import DisclosureRequest, Dispute, Publication
from zhengwu.disclosure.services import disputes as dispute_svc
from zhengwu.disclosure.services import requests as svc
from zhengwu.disclosure.services.clock import request_clock
from zhengwu.disclosure.states import (
    REPLY_OUTCOMES,
    ApplicantKind,
    Channel,
    DeliveryForm,
    DisputeKind,
    DisputeResult,
    FeeMethod,
)
from zhengwu.orgs import policies
from zhengwu.orgs.models import Org, Staff


def _actor(request: Request) -> Staff:
    return cast(Staff, request.user)


class DisclosureRequestSerializer(serializers.ModelSerializer):
    org = serializers.SlugRelatedField[Org](slug_field="code", read_only=True)
    id_number = serializers.CharField(source="id_number_masked", read_only=True)
    contact_phone = serializers.CharField(source="contact_phone_masked", read_only=True)
    clock = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()

    class Meta:
        model = DisclosureRequest
        fields = [
            "id", "org", "ref", "status", "applicant_kind", "applicant_name", "id_number", "contact_phone",
            "channel", "submitted_on", "received_on", "acknowledged_on", "subject", "delivery_form", "due_on",
            "replied_on", "outcome", "fee_yuan", "clock", "steps", "documents",
        ]  # fmt: skip

    def get_clock(self, obj: DisclosureRequest) -> dict[str, Any] | None:
        clock = request_clock(obj)
        if clock is None:
            return None
        data = clock.as_dict()
        if obj.replied_on is not None:
            data["state"] = clock.state(done_on=obj.replied_on).value
        data["explanation"] = clock.explain().lines()
        return data

    def get_steps(self, obj: DisclosureRequest) -> list[dict[str, Any]]:
        steps: list[dict[str, Any]] = []
        for c in obj.clarifications.all():
            steps.append(
                {"kind": "clarification", "sent_on": c.sent_on, "deadline": c.deadline, "received_on": c.received_on}
            )
        for k in obj.consultations.all():
            steps.append(
                {
                    "kind": "consultation",
                    "third_party": k.third_party,
                    "from_on": k.from_on,
                    "to_on": k.to_on,
                    "deadline": k.deadline,
                }
            )
        for e in obj.extensions.all():
            steps.append(
                {"kind": "extension", "workdays": e.workdays, "granted_on": e.granted_on, "approved_by": e.approved_by}
            )
        for f in obj.fee_notices.all():
            steps.append(
                {
                    "kind": "fee_notice",
                    "method": f.method,
                    "amount": str(f.amount),
                    "issued_on": f.issued_on,
                    "pay_by": f.pay_by,
                    "paid_on": f.paid_on,
                    "waived_on": f.waived_on,
                    "waived_reason": f.waived_reason,
                }
            )
        reply = getattr(obj, "reply", None)
        if reply is not None:
            steps.append(
                {
                    "kind": "reply",
                    "outcome": reply.outcome,
                    "legal_basis": reply.legal_basis,
                    "delivered_items": reply.delivered_items,
                    "replied_on": reply.replied_on,
                    "late": reply.late,
                }
            )
        return steps

    def get_documents(self, obj: DisclosureRequest) -> list[dict[str, Any]]:
        return [{"id": d.pk, "kind": d.kind, "issued_on": d.issued_on} for d in obj.documents.all()]


class DisclosureRegisterSerializer(serializers.Serializer):
    org = serializers.CharField(max_length=40)
    channel = serializers.ChoiceField(choices=Channel.choices)
    applicant_kind = serializers.ChoiceField(choices=ApplicantKind.choices)
    applicant_name = serializers.CharField(max_length=200)
    subject = serializers.CharField(max_length=5000)
    submitted_on = serializers.DateField(required=False, allow_null=True, default=None)
    signed_on = serializers.DateField(required=False, allow_null=True, default=None)
    confirmed_on = serializers.DateField(required=False, allow_null=True, default=None)
    id_number = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    contact_email = serializers.EmailField(required=False, allow_blank=True, default="")
    contact_address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    delivery_form = serializers.ChoiceField(choices=DeliveryForm.choices, required=False, default=DeliveryForm.PAPER)
    ref = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")


def _org_visible(actor: Staff, code: str, permission: str) -> Org:
    org = Org.objects.filter(code=code).first()
    if org is None or not policies.can(actor, permission, org):
        raise InvalidInput(_("机构不存在：%(c)s") % {"c": code}, detail={"org": ["not_found"]})
    return org


class RequestListView(APIView):
    """Requests the caller may see (`disclosure.view`), by due date; POST registers one (`disclosure.handle`)."""

    serializer_class = DisclosureRequestSerializer

    @extend_schema(
        parameters=[OpenApiParameter("open", bool, description="Only open requests.")],
        responses=DisclosureRequestSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        qs = (
            selectors.request_list_for_staff(_actor(request))
            .prefetch_related("clarifications", "consultations", "extensions", "fee_notices", "documents")
            .select_related("reply")
        )
        if request.query_params.get("open") in {"1", "true"}:
            from zhengwu.disclosure.states import OPEN

            qs = qs.filter(status__in=OPEN)
        paginator = Pagination()
        page = paginator.paginate_queryset(qs.order_by("due_on", "id"), request, view=self)
        return paginator.get_paginated_response(DisclosureRequestSerializer(page, many=True).data)

    @extend_schema(request=DisclosureRegisterSerializer, responses={201: DisclosureRequestSerializer})
    def post(self, request: Request) -> Response:
        data = DisclosureRegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        org = _org_visible(_actor(request), values.pop("org"), "disclosure.handle")
        created = svc.request_register(actor=_actor(request), org=org, **values)
        return Response(DisclosureRequestSerializer(_reload(created.pk)).data, status=status.HTTP_201_CREATED)


def _reload(pk: int) -> DisclosureRequest:
    return (
        DisclosureRequest.objects.select_related("org__division", "reply")
        .prefetch_related("clarifications", "consultations", "extensions", "fee_notices", "documents")
        .get(pk=pk)
    )


class RequestDetailView(APIView):
    serializer_class = DisclosureRequestSerializer

    @extend_schema(responses=DisclosureRequestSerializer)
    def get(self, request: Request, pk: int) -> Response:
        found = selectors.request_get_for_staff(_actor(request), pk)
        if found is None:
            raise Http404
        return Response(DisclosureRequestSerializer(found).data)


class DisclosureActionSerializer(serializers.Serializer):
    """The fields each action takes; `expected` is the status the caller saw (409 when it changed)."""

    expected = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    confirmed_on = serializers.DateField(required=False, allow_null=True, default=None)
    items = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    sent_on = serializers.DateField(required=False, allow_null=True, default=None)
    deadline = serializers.DateField(required=False, allow_null=True, default=None)
    received_on = serializers.DateField(required=False, allow_null=True, default=None)
    clarified_subject = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    third_party = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    from_on = serializers.DateField(required=False, allow_null=True, default=None)
    to_on = serializers.DateField(required=False, allow_null=True, default=None)
    opinion = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    workdays = serializers.IntegerField(min_value=1, max_value=20, required=False, default=None)
    approved_by = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    method = serializers.ChoiceField(choices=FeeMethod.choices, required=False, default=FeeMethod.PER_REQUEST)
    pages = serializers.IntegerField(min_value=0, max_value=10_000_000, required=False, default=None)
    paid_on = serializers.DateField(required=False, allow_null=True, default=None)
    outcome = serializers.ChoiceField(choices=sorted(REPLY_OUTCOMES), required=False, default=None)
    legal_basis = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    delivered_items = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    replied_on = serializers.DateField(required=False, allow_null=True, default=None)
    to_org = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")


ACTION_NAMES = [
    "acknowledge",
    "clarify",
    "receive-clarification",
    "close-unclarified",
    "consult",
    "end-consultation",
    "extend",
    "fee-notice",
    "fee-pay",
    "fee-waive",
    "close-fee-unpaid",
    "reply",
    "transfer",
]


def _run(action: str, req: DisclosureRequest, actor: Staff, d: dict[str, Any]) -> DisclosureRequest:
    exp = d["expected"] or None
    if action == "acknowledge":
        return svc.request_acknowledge(request=req, actor=actor, confirmed_on=d["confirmed_on"], expected=exp)
    if action == "clarify":
        return svc.request_ask_clarification(
            request=req, actor=actor, items=d["items"], sent_on=d["sent_on"], deadline=d["deadline"], expected=exp
        )
    if action == "receive-clarification":
        return svc.request_receive_clarification(
            request=req,
            actor=actor,
            received_on=d["received_on"],
            clarified_subject=d["clarified_subject"],
            expected=exp,
        )
    if action == "close-unclarified":
        return svc.request_close_unclarified(request=req, actor=actor, expected=exp)
    if action == "consult":
        return svc.request_start_consultation(
            request=req, actor=actor, third_party=d["third_party"], from_on=d["from_on"], expected=exp
        )
    if action == "end-consultation":
        return svc.request_end_consultation(
            request=req, actor=actor, to_on=d["to_on"], opinion=d["opinion"], expected=exp
        )
    if action == "extend":
        if d["workdays"] is None:
            raise InvalidInput(_("请填写延期工作日。"), detail={"workdays": ["required"]})
        return svc.request_extend(
            request=req,
            actor=actor,
            workdays=d["workdays"],
            approved_by=d["approved_by"],
            reason=d["reason"],
            expected=exp,
        )
    if action == "fee-notice":
        return svc.fee_notice_issue(request=req, actor=actor, method=d["method"], pages=d["pages"], expected=exp)
    if action == "fee-pay":
        return svc.fee_notice_pay(request=req, actor=actor, paid_on=d["paid_on"], expected=exp)
    if action == "fee-waive":
        return svc.fee_notice_waive(request=req, actor=actor, reason=d["reason"], expected=exp)
    if action == "close-fee-unpaid":
        return svc.request_close_fee_unpaid(request=req, actor=actor, expected=exp)
    if action == "reply":
        return svc.request_reply(
            request=req, actor=actor, outcome=d["outcome"] or "", legal_basis=d["legal_basis"],
            delivered_items=d["delivered_items"], replied_on=d["replied_on"], expected=exp,
        )  # fmt: skip
    if action == "transfer":
        to = _org_visible(actor, d["to_org"], "orgs.view") if d["to_org"] else None
        if to is None:
            raise InvalidInput(_("请填写转至的机构代码。"), detail={"to_org": ["required"]})
        return svc.request_transfer(request=req, actor=actor, to_org=to, reason=d["reason"], expected=exp)
    raise NotFound(_("没有这个操作。"))


class RequestActionView(APIView):
    """One legal step of a request: acknowledge, clarify, receive-clarification, close-unclarified, consult,
    end-consultation, extend, fee-notice, fee-pay, fee-waive, close-fee-unpaid, reply, transfer."""

    serializer_class = DisclosureActionSerializer

    @extend_schema(
        request=DisclosureActionSerializer,
        responses=DisclosureRequestSerializer,
        operation_id="v1_disclosure_requests_action",
    )
    def post(self, request: Request, pk: int, action: str) -> Response:
        if action not in ACTION_NAMES:
            raise NotFound(_("没有这个操作。"))
        found = selectors.request_get_for_staff(_actor(request), pk)
        if found is None:
            raise Http404
        data = DisclosureActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = _run(action, found, _actor(request), dict(data.validated_data))
        return Response(DisclosureRequestSerializer(_reload(result.pk)).data)


# --- public -------------------------------------------------------------------------------------------------------
class DisclosureSubmitSerializer(serializers.Serializer):
    org = serializers.CharField(max_length=40)
    client_token = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    applicant_kind = serializers.ChoiceField(choices=ApplicantKind.choices)
    applicant_name = serializers.CharField(max_length=200)
    id_number = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    contact_email = serializers.EmailField(required=False, allow_blank=True, default="")
    contact_address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    subject = serializers.CharField(max_length=5000)
    purpose = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    delivery_form = serializers.ChoiceField(choices=DeliveryForm.choices, required=False, default=DeliveryForm.PAPER)


class DisclosureProgressSerializer(serializers.Serializer):
    query_code = serializers.CharField()
    ref = serializers.CharField()
    org = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    applicant_name = serializers.CharField()
    submitted_on = serializers.DateField(allow_null=True)
    received_on = serializers.DateField(allow_null=True)
    due_on = serializers.DateField(allow_null=True)
    replied_on = serializers.DateField(allow_null=True)
    outcome = serializers.CharField()
    transferred_to = serializers.CharField(allow_null=True)


def progress_data(req: DisclosureRequest) -> dict[str, Any]:
    moved = selectors.request_following(req)
    clock = request_clock(req)
    return {
        "query_code": format_query_code(req.query_code),
        "ref": req.ref,
        "org": req.org.name,
        "status": req.status,
        "status_label": req.get_status_display(),
        "applicant_name": req.applicant_name_public,
        "submitted_on": req.submitted_on,
        "received_on": req.received_on,
        "due_on": clock.due_on if clock is not None else None,
        "replied_on": req.replied_on,
        "outcome": req.outcome,
        "transferred_to": moved.org.name if moved.pk != req.pk else None,
    }


class PublicSubmitView(APIView):
    """A citizen's request for information. Rate limited per address; idempotent: send the same
    `Idempotency-Key` header (or `client_token`) when retrying and the first request is returned, never a second."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [PublicThrottle]
    throttle_scope = PUBLIC_INTAKE
    serializer_class = DisclosureSubmitSerializer

    @extend_schema(
        request=DisclosureSubmitSerializer,
        responses={201: DisclosureProgressSerializer, 200: DisclosureProgressSerializer},
        parameters=[OpenApiParameter("Idempotency-Key", str, location=OpenApiParameter.HEADER, required=False)],
    )
    def post(self, request: Request) -> Response:
        data = DisclosureSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        token = request.headers.get("Idempotency-Key", "") or values.pop("client_token")
        values.pop("client_token", None)
        if not token:
            raise InvalidInput(
                _("请在 Idempotency-Key 请求头或 client_token 字段中提供提交令牌。"),
                detail={"client_token": ["required"]},
            )
        org = Org.objects.filter(code=values.pop("org"), is_active=True).first()
        if org is None:
            raise InvalidInput(_("机构不存在。"), detail={"org": ["not_found"]})
        req, created = svc.request_submit(org=org, client_token=token, **values)
        return Response(progress_data(req), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class PublicProgressView(APIView):
    """Progress of a request by its query code (no account)."""

    permission_classes = [AllowAny]
    throttle_classes = [PublicThrottle]
    throttle_scope = PUBLIC_INTAKE
    serializer_class = DisclosureProgressSerializer

    @extend_schema(responses=DisclosureProgressSerializer)
    def get(self, request: Request, code: str) -> Response:
        found = selectors.request_by_query_code(code)
        if found is None:
            raise NotFound(_("查询码不正确。"))
        return Response(progress_data(found))


class DisclosurePublicationSerializer(serializers.ModelSerializer):
    org = serializers.SlugRelatedField[Org](slug_field="code", read_only=True)
    column = serializers.CharField(source="column.name", read_only=True)

    class Meta:
        model = Publication
        fields = [
            "id", "org", "index_no", "title", "document_no", "issuing_org_name", "doc_type", "column", "status",
            "formed_on", "published_on", "repealed_on",
        ]  # fmt: skip


class DisclosurePublicationDetailSerializer(DisclosurePublicationSerializer):
    class Meta(DisclosurePublicationSerializer.Meta):
        fields = [*DisclosurePublicationSerializer.Meta.fields, "body"]


class DisclosurePublicationPageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True, help_text="the next page, null on the last")
    previous = serializers.URLField(allow_null=True)
    results = DisclosurePublicationSerializer(many=True)


class PublicationListView(APIView):
    """The public catalog: published publications, searchable (title first), by org (with `subtree`, the orgs under
    it too) and column. Paged without a total count: `next` is null on the last page."""

    permission_classes = [AllowAny]
    serializer_class = DisclosurePublicationSerializer
    page_size = 50  # as the other lists (REST_FRAMEWORK PAGE_SIZE)
    max_page_size = 100

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str),
            OpenApiParameter("org", str, description="org code"),
            OpenApiParameter("subtree", bool, description="with org: also the orgs under it"),
            OpenApiParameter("column", str, description="column code (with org)"),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int, description="default 50, at most 100"),
        ],
        responses=DisclosurePublicationPageSerializer,
    )
    def get(self, request: Request) -> Response:
        org = None
        column = None
        code = request.query_params.get("org", "")[:40]
        if code:
            org = Org.objects.filter(code=code).first()
            if org is None:
                raise NotFound(_("机构不存在。"))
            col_code = request.query_params.get("column", "")[:40]
            if col_code:
                column = selectors.catalog_columns(org).filter(code=col_code).first()
        subtree = request.query_params.get("subtree", "").lower() in {"1", "true", "yes"}
        results = selectors.catalog_publications(
            org=org, column=column, query=request.query_params.get("q", "")[:100], subtree=subtree
        )
        try:
            size = min(max(1, int(request.query_params.get("page_size", self.page_size))), self.max_page_size)
        except ValueError:
            size = self.page_size
        page = results.page(request.query_params.get("page"), size)
        url = request.build_absolute_uri()
        return Response(
            {
                "next": replace_query_param(url, "page", page.next_page_number()) if page.has_next else None,
                "previous": (
                    replace_query_param(url, "page", page.previous_page_number()) if page.has_previous else None
                ),
                "results": DisclosurePublicationSerializer(page.object_list, many=True).data,
            }
        )


class PublicationDetailView(APIView):
    permission_classes = [AllowAny]
    serializer_class = DisclosurePublicationDetailSerializer

    @extend_schema(responses=DisclosurePublicationDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        found = selectors.catalog_publication(pk)
        if found is None:
            raise Http404
        return Response(DisclosurePublicationDetailSerializer(found).data)


class DisclosureDisputeSerializer(serializers.ModelSerializer):
    org = serializers.SlugRelatedField[Org](slug_field="code", read_only=True)
    request_ref = serializers.CharField(source="request.ref", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Dispute
        fields = ["id", "org", "ref", "request_ref", "kind", "filed_on", "decided_on", "result"]


class DisclosureDisputeCreateSerializer(serializers.Serializer):
    org = serializers.CharField(max_length=40)
    kind = serializers.ChoiceField(choices=DisputeKind.choices)
    filed_on = serializers.DateField()
    request_ref = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    ref = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")


class DisclosureDisputeDecideSerializer(serializers.Serializer):
    decided_on = serializers.DateField()
    result = serializers.ChoiceField(choices=DisputeResult.choices)


class DisputeListView(APIView):
    serializer_class = DisclosureDisputeSerializer

    @extend_schema(responses=DisclosureDisputeSerializer(many=True))
    def get(self, request: Request) -> Response:
        paginator = Pagination()
        qs = selectors.dispute_list_for_staff(_actor(request)).order_by("-filed_on", "-id")
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(DisclosureDisputeSerializer(page, many=True).data)

    @extend_schema(request=DisclosureDisputeCreateSerializer, responses={201: DisclosureDisputeSerializer})
    def post(self, request: Request) -> Response:
        data = DisclosureDisputeCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        org = _org_visible(_actor(request), d["org"], "disclosure.handle")
        linked = None
        if d["request_ref"]:
            linked = DisclosureRequest.objects.filter(org=org, ref=d["request_ref"]).first()
            if linked is None:
                raise InvalidInput(_("本机关没有这个申请编号。"), detail={"request_ref": ["not_found"]})
        dispute = dispute_svc.dispute_file(
            actor=_actor(request), org=org, kind=d["kind"], filed_on=d["filed_on"], request=linked, ref=d["ref"]
        )
        return Response(DisclosureDisputeSerializer(dispute).data, status=status.HTTP_201_CREATED)


class DisputeDecideView(APIView):
    serializer_class = DisclosureDisputeSerializer

    @extend_schema(request=DisclosureDisputeDecideSerializer, responses=DisclosureDisputeSerializer)
    def post(self, request: Request, pk: int) -> Response:
        dispute = selectors.dispute_list_for_staff(_actor(request)).filter(pk=pk).first()
        if dispute is None:
            raise Http404
        data = DisclosureDisputeDecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        done = dispute_svc.dispute_decide(actor=_actor(request), dispute=dispute, **data.validated_data)
        return Response(DisclosureDisputeSerializer(done).data)
