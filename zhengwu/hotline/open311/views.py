"""Open311 GeoReport v2 endpoints: discovery, services, service definitions, requests, tokens (JSON and XML)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import wraps
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from zhengwu.core import clock
from zhengwu.core.clock import SHANGHAI
from zhengwu.core.errors import ApplicationError
from zhengwu.core.masking import ID_NUMBER_RE, MOBILE_RE
from zhengwu.hotline import config_cache, services
from zhengwu.hotline.models import SUBTYPES, ApiClient, Ticket, TicketKind, Urgency, hash_api_key
from zhengwu.hotline.open311 import throttle
from zhengwu.hotline.open311.render import error, render
from zhengwu.hotline.states import FINAL, TicketStatus
from zhengwu.orgs.models import Org

MAX_RESULTS = 1000
DEFAULT_DAYS = 90
# Reports (举报) are never listed publicly: the person reporting must stay protected.
PUBLIC_KINDS = [k for k in TicketKind.values if k != TicketKind.REPORT]
APP_URGENCIES = [Urgency.NORMAL, Urgency.URGENT]  # emergencies are for the phone line


def _services() -> list[dict[str, Any]]:
    out = []
    for kind in TicketKind:
        for code, label in SUBTYPES[kind].items():
            out.append(
                {
                    "service_code": f"{kind.value}.{code}",
                    "service_name": label,
                    "description": f"{kind.label}：{label}",
                    "metadata": True,
                    "type": "realtime",
                    "keywords": f"{kind.label},{label}",
                    "group": str(kind.label),
                }
            )
    return out


def _service(code: str) -> tuple[str, str] | None:
    kind, _sep, subtype = code.partition(".")
    if kind in TicketKind.values and subtype in SUBTYPES[kind]:
        return kind, subtype
    return None


def _jurisdictions() -> QuerySet[Org]:
    """Orgs whose hotline is open to Open311 clients: those with an active API client."""
    return Org.objects.filter(is_active=True, pk__in=ApiClient.objects.filter(is_active=True).values("org_id"))


def _jurisdiction(request: HttpRequest, params: Any, fmt: str) -> Org | HttpResponse:
    code = (params.get("jurisdiction_id") or "").strip()
    orgs = _jurisdictions()
    if code:
        org = orgs.filter(code=code).first()
        return org if org is not None else error(fmt, 404, _("jurisdiction_id 不存在：%(c)s") % {"c": code[:40]})
    found = list(orgs[:2])
    if len(found) == 1:
        return found[0]
    return error(fmt, 400, _("缺少 jurisdiction_id。"))


def open311(methods: list[str]) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Allowed methods, the rate limit, and domain errors in the GeoReport error shape."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @csrf_exempt
        @require_http_methods(methods)
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
            if request.method == "POST":
                client = _client_for_key(request.POST.get("api_key", ""))
                if client is not None:
                    scope, ident = throttle.KEY_WRITE, f"client{client.pk}"
                else:
                    scope, ident = throttle.ADDRESS_WRITE, throttle.client_ident(request)
            else:
                scope, ident = throttle.READ, throttle.client_ident(request)
            allowed, wait = throttle.allow(scope=scope, ident=ident)
            if not allowed:
                response = error(fmt, 429, _("请求过于频繁，请 %(n)s 秒后再试。") % {"n": wait})
                response["Retry-After"] = str(max(wait, 1))
                return response
            try:
                return view(request, *args, fmt=fmt, **kwargs)
            except ApplicationError as exc:
                return error(fmt, exc.http_status, exc.message)

        return wrapper

    return decorate


@open311(["GET"])
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = request.build_absolute_uri(reverse("open311:services", kwargs={"fmt": "json"})).rsplit("/", 1)[0] + "/"
    data = {
        "changeset": "2026-11-23T00:00:00+08:00",
        "contact": _("12345 政务服务便民热线"),
        "key_service": _("向热线所属机关申请 api_key（工作台 → 12345热线 → 接入应用）。"),
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": base,
                "changeset": "2026-11-23T00:00:00+08:00",
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }
    return render(data, fmt, root="discovery")


@open311(["GET"])
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    org = _jurisdiction(request, request.GET, fmt)
    if isinstance(org, HttpResponse):
        return org
    return render(_services(), fmt, root="services")


@open311(["GET"])
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    org = _jurisdiction(request, request.GET, fmt)
    if isinstance(org, HttpResponse):
        return org
    if _service(code) is None:
        return error(fmt, 404, _("service_code 不存在：%(c)s") % {"c": code[:60]})
    data = {
        "service_code": code,
        "attributes": [
            {
                "variable": True,
                "code": "urgency",
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": _("一般或紧急；紧急险情请直接拨打 12345 或 110。"),
                "order": 1,
                "description": _("紧急程度"),
                "values": [{"key": u.value, "name": str(u.label)} for u in APP_URGENCIES],
            }
        ],
    }
    return render(data, fmt, root="service_definition")


def _public_text(text: str) -> str:
    """Descriptions are public in Open311: phone and ID numbers in them are masked."""
    text = MOBILE_RE.sub(lambda m: m.group(0)[:3] + "****" + m.group(0)[-4:], text)
    return ID_NUMBER_RE.sub(lambda m: m.group(0)[:6] + "********" + m.group(0)[-4:], text)


def _iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(SHANGHAI).isoformat(timespec="seconds") if value is not None else None


def _request_item(t: Ticket) -> dict[str, Any]:
    closed = t.status in FINAL
    expected = None
    if t.due_on is not None and not closed:
        expected = _iso(t.due_at) if t.due_at else f"{t.due_on.isoformat()}T17:30:00+08:00"
    return {
        "service_request_id": t.ref,
        "status": "closed" if closed else "open",
        "status_notes": str(TicketStatus(t.status).label),
        "service_name": t.subtype_label,
        "service_code": f"{t.kind}.{t.subtype}" if t.subtype else t.kind,
        "description": _public_text(t.content),
        "agency_responsible": t.lead_unit.name if t.lead_unit_id and t.lead_unit else "",
        "service_notice": "",
        "requested_datetime": _iso(t.created_at),
        "updated_datetime": _iso(t.updated_at),
        "expected_datetime": expected,
        "address": t.location,
        "address_id": "",
        "zipcode": "",
        "lat": str(t.lat) if t.lat is not None else None,
        "long": str(t.long) if t.long is not None else None,
        "media_url": "",
    }


def _public_tickets(org: Org) -> QuerySet[Ticket]:
    """What Open311 publishes: requests submitted through Open311 clients (their senders know GeoReport lists
    them publicly), never reports. Calls and letters to the hotline stay private."""
    return Ticket.objects.filter(org=org, kind__in=PUBLIC_KINDS, api_client__isnull=False).select_related("lead_unit")


def _parse_dt(raw: str) -> dt.datetime | None:
    try:
        value = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=SHANGHAI)


@open311(["GET", "POST"])
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    org = _jurisdiction(request, request.GET, fmt)
    if isinstance(org, HttpResponse):
        return org
    qs = _public_tickets(org)
    ids = [i.strip() for i in request.GET.get("service_request_id", "").split(",") if i.strip()]
    if ids:
        items = [_request_item(t) for t in qs.filter(ref__in=ids[:MAX_RESULTS])]
        return render(items, fmt, root="service_requests")
    codes = [c.strip() for c in request.GET.get("service_code", "").split(",") if c.strip()]
    if codes:
        pairs = [p for p in (_service(c) for c in codes) if p is not None]
        if not pairs:
            return error(fmt, 404, _("service_code 不存在。"))
        q = Q(pk__in=[])
        for kind, subtype in pairs:
            q |= Q(kind=kind, subtype=subtype)
        qs = qs.filter(q)
    end = _parse_dt(request.GET["end_date"]) if request.GET.get("end_date") else None
    start = _parse_dt(request.GET["start_date"]) if request.GET.get("start_date") else None
    if (request.GET.get("end_date") and end is None) or (request.GET.get("start_date") and start is None):
        return error(fmt, 400, _("日期格式应为 ISO 8601（w3c）。"))
    end = end or clock.now()
    start = start or end - dt.timedelta(days=DEFAULT_DAYS)
    if start > end:
        return error(fmt, 400, _("start_date 晚于 end_date。"))
    qs = qs.filter(created_at__gte=start, created_at__lte=end)
    status = request.GET.get("status", "").strip()
    if status:
        wanted = {s.strip() for s in status.split(",")}
        if not wanted <= {"open", "closed"}:
            return error(fmt, 400, _("status 只能是 open 或 closed。"))
        if wanted == {"open"}:
            qs = qs.exclude(status__in=FINAL)
        elif wanted == {"closed"}:
            qs = qs.filter(status__in=FINAL)
    items = [_request_item(t) for t in qs.order_by("-created_at")[:MAX_RESULTS]]
    return render(items, fmt, root="service_requests")


def _decimal(raw: str, lo: int, hi: int) -> Decimal | bool | None:
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return False
    if not value.is_finite() or not lo <= value <= hi:
        return False
    return value.quantize(Decimal("0.000001"))


def _client_for_key(key: str) -> ApiClient | None:
    """The active client app holding `key` (kept per process; a revoked or changed client drops the copy)."""
    if not key:
        return None
    digest = hash_api_key(key)
    return config_cache.cached(
        ("open311-key", digest),
        lambda: ApiClient.objects.select_related("org").filter(key_hash=digest, is_active=True).first(),
    )


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    data = request.POST
    client = _client_for_key(data.get("api_key", ""))
    if client is None:
        return error(fmt, 403, _("缺少或无效的 api_key。"))
    jurisdiction = (data.get("jurisdiction_id") or "").strip()
    if jurisdiction and jurisdiction != client.org.code:
        return error(fmt, 404, _("jurisdiction_id 不存在：%(c)s") % {"c": jurisdiction[:40]})
    code = (data.get("service_code") or "").strip()
    if not code:
        return error(fmt, 400, _("缺少 service_code。"))
    service = _service(code)
    if service is None:
        return error(fmt, 404, _("service_code 不存在：%(c)s") % {"c": code[:60]})
    lat, long = _decimal(data.get("lat", ""), -90, 90), _decimal(data.get("long", ""), -180, 180)
    if lat is False or long is False or (lat is None) != (long is None):
        return error(fmt, 400, _("lat 与 long 须同时提供且为有效坐标。"))
    address = (data.get("address_string") or "").strip()
    if lat is None and not address and not data.get("address_id"):
        return error(fmt, 400, _("缺少位置：须提供 lat/long、address_string 或 address_id。"))
    description = (data.get("description") or "").strip()
    if not description:
        return error(fmt, 400, _("缺少 description。"))
    urgency = data.get("attribute[urgency]", Urgency.NORMAL) or Urgency.NORMAL
    if urgency not in APP_URGENCIES:
        return error(fmt, 400, _("attribute[urgency] 取值无效。"))
    name = f"{data.get('last_name', '')}{data.get('first_name', '')}".strip()
    kind, subtype = service
    created = services.ticket_create(
        actor=None,
        org=client.org,
        channel=client.channel,
        kind=kind,
        subtype=subtype,
        content=description,
        caller_name=name,
        caller_phone=data.get("phone", ""),
        location=address or (data.get("address_id") or ""),
        urgency=urgency,
        lat=lat if isinstance(lat, Decimal) else None,
        long=long if isinstance(long, Decimal) else None,
        api_client=client,
    )
    t = created.ticket
    item = {"service_request_id": t.ref, "token": t.query_code, "service_notice": "", "account_id": ""}
    return render([item], fmt, root="service_requests", status=201)


@open311(["GET"])
def request_detail(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    org = _jurisdiction(request, request.GET, fmt)
    if isinstance(org, HttpResponse):
        return org
    ticket = _public_tickets(org).filter(ref=request_id).first()
    if ticket is None:
        return error(fmt, 404, _("service_request_id 不存在：%(c)s") % {"c": request_id[:40]})
    return render([_request_item(ticket)], fmt, root="service_requests")


@open311(["GET"])
def token(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    org = _jurisdiction(request, request.GET, fmt)
    if isinstance(org, HttpResponse):
        return org
    ref = Ticket.objects.filter(org=org, query_code=token.upper()).values_list("ref", flat=True).first()
    if ref is None:
        return error(fmt, 404, _("token 不存在。"))
    return render([{"service_request_id": ref, "token": token.upper()}], fmt, root="service_requests")


__all__ = ["discovery", "request_detail", "requests", "service_definition", "service_list", "token"]
