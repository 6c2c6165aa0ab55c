"""/api/v1/hotline/…: tickets for WeChat/app back ends and integrations; every write calls a hotline service."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view, authentication_classes, throttle_classes
from rest_framework.request import Request
from rest_framework.response import Response

from zhengwu.api.authentication import SessionAuthentication
from zhengwu.api.pagination import Pagination
from zhengwu.api.throttling import UserWindowThrottle
from zhengwu.api.v1.hotline.intake import CachedTokenAuthentication
from zhengwu.core.errors import InvalidInput, NotFound
from zhengwu.hotline import config_cache, selectors, services
from zhengwu.hotline.models import (
    CallbackResult,
    Channel,
    ConversionTarget,
    ExtensionRequest,
    KnowledgeArticle,
    Ticket,
    TicketKind,
    Urgency,
)
from zhengwu.hotline.states import TicketStatus
from zhengwu.orgs.models import Org, Staff
from zhengwu.workdays.serializers import DueDateSerializer

_DATETIME = serializers.DateTimeField()
_DATE = serializers.DateField()


class TicketSerializer(serializers.ModelSerializer):
    org = serializers.SlugRelatedField[Org](slug_field="code", read_only=True)
    lead_unit = serializers.SlugRelatedField[Org](slug_field="code", read_only=True)
    caller_phone = serializers.CharField(source="caller_phone_masked", read_only=True)
    caller_name = serializers.CharField(source="caller_name_masked", read_only=True)
    due = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Ticket
        fields = [
            "id",
            "org",
            "ref",
            "channel",
            "kind",
            "subtype",
            "urgency",
            "status",
            "caller_name",
            "caller_phone",
            "content",
            "location",
            "created_at",
            "lead_unit",
            "dispatched_at",
            "due_on",
            "due_at",
            "due",
            "overdue",
            "replied_at",
            "concluded_at",
            "answered_directly",
            "answer",
            "callback",
            "return_count",
            "reopen_count",
            "query_code",
            "converted_to",
            "converted_ref",
        ]

    # DRF's generic path builds ~30 field objects per ticket from the model; the intake under load spends more
    # time there than in the database. This writes the same representation directly (a test holds the two equal).
    _PLAIN = (
        "id",
        "ref",
        "channel",
        "kind",
        "subtype",
        "urgency",
        "status",
        "content",
        "location",
        "answered_directly",
        "answer",
        "callback",
        "return_count",
        "reopen_count",
        "query_code",
        "converted_to",
        "converted_ref",
    )
    _DATETIMES = ("created_at", "dispatched_at", "due_at", "replied_at", "concluded_at")

    def to_representation(self, instance: Ticket) -> dict[str, Any]:
        body: dict[str, Any] = {name: getattr(instance, name) for name in self._PLAIN}
        body["org"] = instance.org.code
        lead = instance.lead_unit if instance.lead_unit_id is not None else None
        body["lead_unit"] = lead.code if lead is not None else None
        body["caller_name"] = instance.caller_name_masked
        body["caller_phone"] = instance.caller_phone_masked
        for name in self._DATETIMES:
            value = getattr(instance, name)
            body[name] = None if value is None else _DATETIME.to_representation(value)
        body["due_on"] = None if instance.due_on is None else _DATE.to_representation(instance.due_on)
        body["due"] = self.get_due(instance)
        body["overdue"] = self.get_overdue(instance)
        return {name: body[name] for name in self.Meta.fields}

    def get_due(self, obj: Ticket) -> dict[str, Any] | None:
        clock = obj.clock
        if clock is None:
            return None
        return dict(DueDateSerializer(clock, context={"explain": False}).data)

    def get_overdue(self, obj: Ticket) -> bool:
        return obj.is_overdue()


class TicketCreateSerializer(serializers.Serializer):
    org = serializers.CharField(max_length=40)
    channel = serializers.ChoiceField(choices=Channel.choices)
    kind = serializers.ChoiceField(choices=TicketKind.choices)
    subtype = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    content = serializers.CharField(max_length=5000)
    caller_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    caller_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False, default=Urgency.NORMAL)


_reused = threading.local()


def _create_serializer(data: Any) -> TicketCreateSerializer:
    """A TicketCreateSerializer for `data`, one kept per thread: a new one deep-copies its nine declared fields,
    which cost more than validating them. Only the per-call state (the data, the results) is reset."""
    serializer: TicketCreateSerializer | None = getattr(_reused, "create", None)
    if serializer is None:
        serializer = _reused.create = TicketCreateSerializer(data=data)
        return serializer
    serializer.initial_data = data
    for attr in ("_validated_data", "_errors", "_data"):
        serializer.__dict__.pop(attr, None)
    return serializer


class TicketFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=TicketStatus.choices, required=False)
    kind = serializers.ChoiceField(choices=TicketKind.choices, required=False)
    phone = serializers.CharField(max_length=20, required=False)


def _actor(request: Request) -> Staff:
    return request.user  # type: ignore[return-value]


def _ticket(request: Request, pk: int) -> Ticket:
    ticket = selectors.ticket_get_for_actor(_actor(request), pk=pk)
    if ticket is None:
        raise NotFound(_("工单不存在或您无权查看。"))
    return ticket


# The ticket endpoints: tokens from the per-process copy, the `user` budget in fixed windows (see intake.py).
AUTHENTICATION = [CachedTokenAuthentication, SessionAuthentication]
THROTTLES = [UserWindowThrottle]


@extend_schema(request=TicketCreateSerializer, responses={200: TicketSerializer(many=True), 201: TicketSerializer})
@api_view(["GET", "POST"])
@authentication_classes(AUTHENTICATION)
@throttle_classes(THROTTLES)
def ticket_list(request: Request) -> Response:
    """GET: tickets the caller may see, newest first. POST: register a ticket (`hotline.operate` at `org`)."""
    actor = _actor(request)
    if request.method == "POST":
        data = _create_serializer(request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        code = values.pop("org")
        org = config_cache.cached(("org", code), lambda: Org.objects.filter(code=code, is_active=True).first())
        if org is None:
            raise InvalidInput(_("机构不存在。"), detail={"org": ["not_found"]})
        created = services.ticket_create(actor=actor, org=org, **values)
        body = TicketSerializer(created.ticket).data
        body["duplicates"] = [d.ref for d in created.duplicates]
        return Response(body, status=status.HTTP_201_CREATED)
    params = TicketFilterSerializer(data=request.query_params)
    params.is_valid(raise_exception=True)
    qs = selectors.tickets_visible(actor).select_related("org", "lead_unit").order_by("-created_at", "-id")
    f = params.validated_data
    if f.get("status"):
        qs = qs.filter(status=f["status"])
    if f.get("kind"):
        qs = qs.filter(kind=f["kind"])
    if f.get("phone"):
        qs = qs.filter(caller_phone=f["phone"])
    paginator = Pagination()
    page = paginator.paginate_queryset(qs, request)
    return paginator.get_paginated_response(TicketSerializer(page, many=True).data)


@extend_schema(responses=TicketSerializer)
@api_view(["GET"])
@authentication_classes(AUTHENTICATION)
@throttle_classes(THROTTLES)
def ticket_detail(request: Request, pk: int) -> Response:
    return Response(TicketSerializer(_ticket(request, pk)).data)


class ActionSerializer(serializers.Serializer):
    """The fields each action reads (others are ignored)."""

    lead = serializers.CharField(max_length=40, required=False)
    assisting = serializers.ListField(child=serializers.CharField(max_length=40), required=False, default=list)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    content = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    answer = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    article = serializers.IntegerField(required=False, allow_null=True, default=None)
    workdays = serializers.IntegerField(required=False, min_value=1, max_value=30)
    request = serializers.IntegerField(required=False)
    approve = serializers.BooleanField(required=False)
    result = serializers.ChoiceField(choices=CallbackResult.choices, required=False)
    target = serializers.ChoiceField(choices=ConversionTarget.choices, required=False)
    target_ref = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    target_org = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    applicant_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    subject = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


def _unit(ticket: Ticket, code: str | None) -> Org:
    org = selectors.units_for_dispatch(ticket.org).filter(code=code or "").first()
    if org is None:
        raise InvalidInput(_("没有这个下级单位：%(c)s") % {"c": (code or "")[:40]}, detail={"lead": ["not_found"]})
    return org


def _below(ticket: Ticket, code: str | None) -> Org:
    org = None
    if ticket.lead_unit is not None:
        org = selectors.units_for_dispatch(ticket.lead_unit).filter(code=code or "").first()
    if org is None:
        raise InvalidInput(_("没有这个下级单位：%(c)s") % {"c": (code or "")[:40]}, detail={"lead": ["not_found"]})
    return org


def _need(d: dict[str, Any], *names: str) -> None:
    missing = {n: ["required"] for n in names if d.get(n) in (None, "")}
    if missing:
        raise InvalidInput(_("请求数据有误。"), detail=missing)


def _extension(a: Staff, t: Ticket, d: dict[str, Any]) -> Any:
    _need(d, "workdays", "reason")
    return services.extension_request(actor=a, ticket=t, workdays=d["workdays"], reason=d["reason"])


def _decide(a: Staff, t: Ticket, d: dict[str, Any]) -> Any:
    _need(d, "request", "approve")
    req = ExtensionRequest.objects.filter(pk=d["request"], ticket=t).select_related("ticket").first()
    if req is None:
        raise NotFound(_("延期申请不存在。"))
    return services.extension_decide(actor=a, request=req, approve=d["approve"], note=d["note"])


def _answer(a: Staff, t: Ticket, d: dict[str, Any]) -> Any:
    article = None
    if d.get("article"):
        article = KnowledgeArticle.objects.filter(pk=d["article"], org_id__in=t.org.ancestor_ids()).first()
    return services.ticket_answer_directly(actor=a, ticket=t, answer=d["answer"], article=article)


def _callback(a: Staff, t: Ticket, d: dict[str, Any]) -> Any:
    _need(d, "result")
    return services.ticket_callback(actor=a, ticket=t, result=d["result"], note=d["note"])


def _convert(a: Staff, t: Ticket, d: dict[str, Any]) -> Any:
    _need(d, "target")
    target_org = None
    if d["target_org"]:
        target_org = selectors.units_for_dispatch(t.org).filter(code=d["target_org"]).first() or (
            t.org if t.org.code == d["target_org"] else None
        )
        if target_org is None:
            raise InvalidInput(
                _("没有这个机关：%(c)s") % {"c": d["target_org"][:40]}, detail={"target_org": ["not_found"]}
            )
    return services.ticket_convert(
        actor=a,
        ticket=t,
        target=d["target"],
        target_ref=d["target_ref"],
        reason=d["reason"],
        target_org=target_org,
        applicant_name=d["applicant_name"],
        subject=d["subject"],
    )


ACTIONS: dict[str, Callable[[Staff, Ticket, dict[str, Any]], Any]] = {
    "dispatch": lambda a, t, d: services.ticket_dispatch(
        actor=a, ticket=t, lead=_unit(t, d.get("lead")), assisting=[_unit(t, c) for c in d["assisting"]], note=d["note"]
    ),
    "forward": lambda a, t, d: services.ticket_forward(
        actor=a, ticket=t, unit=_below(t, d.get("lead")), note=d["note"]
    ),
    "answer": _answer,
    "accept": lambda a, t, d: services.ticket_accept(actor=a, ticket=t),
    "return": lambda a, t, d: services.ticket_return(actor=a, ticket=t, reason=d["reason"]),
    "reply": lambda a, t, d: services.ticket_reply(actor=a, ticket=t, content=d["content"]),
    "extension": _extension,
    "decide": _decide,
    "urge": lambda a, t, d: services.ticket_urge(actor=a, ticket=t, note=d["note"] or d["reason"]),
    "callback": lambda a, t, d: _callback(a, t, d),
    "reopen": lambda a, t, d: services.ticket_reopen(actor=a, ticket=t, reason=d["reason"]),
    "conclude": lambda a, t, d: services.ticket_conclude(actor=a, ticket=t, note=d["note"]),
    "convert": lambda a, t, d: _convert(a, t, d),
}


@extend_schema(request=ActionSerializer, responses=TicketSerializer)
@api_view(["POST"])
@authentication_classes(AUTHENTICATION)
@throttle_classes(THROTTLES)
def ticket_action(request: Request, pk: int, action: str) -> Response:
    """One step of a ticket: dispatch, forward, answer, accept, return, reply, extension, decide, urge, callback, reopen,
    conclude, convert. The response is the ticket as it now stands."""
    if action not in ACTIONS:
        raise NotFound(_("没有这个操作：%(a)s") % {"a": action[:30]})
    ticket = _ticket(request, pk)
    data = ActionSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    ACTIONS[action](_actor(request), ticket, dict(data.validated_data))
    ticket.refresh_from_db()
    return Response(TicketSerializer(ticket).data)
