"""Staff pages of the service statistics: the leadership dashboard, the cases behind a figure, rankings, the
monthly bulletin and exports. Every figure comes from zhengwu.reports.service; the pages only parse and render."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from zhengwu.core import clock
from zhengwu.core.errors import ApplicationError, NotFound
from zhengwu.orgs import policies
from zhengwu.orgs.models import Org, Staff
from zhengwu.reports.service import exports
from zhengwu.reports.service.bulletin import bulletin_docx
from zhengwu.reports.service.dashboard import dashboard as dashboard_data
from zhengwu.reports.service.labels import LABELS, display
from zhengwu.reports.service.metrics import DRILL, Period, drill_cases, parse_date
from zhengwu.reports.service.policies import VIEW, org_for_report, orgs_for_actor
from zhengwu.reports.service.rankings import model_window_rule, model_windows, quarter_period, ranking

PAGE_SIZE = 50


def _actor(request: HttpRequest) -> Staff:
    return cast(Staff, request.user)


class _Params:
    """org, from, to and scope from the query string, defaulting to the user's first org and this month."""

    def __init__(self, request: HttpRequest) -> None:
        actor = _actor(request)
        if not policies.can_anywhere(actor, VIEW):
            raise PermissionDenied
        self.orgs = orgs_for_actor(actor)
        if not self.orgs:
            raise PermissionDenied
        q = request.GET
        self.scope = q.get("scope") or "subtree"
        code = (q.get("org") or "").strip()[:40]
        if not code:
            code = self.orgs[0].code
            # A membership of scope self cannot see the subtree: fall back rather than refuse on a bare visit.
            if not _subtree_allowed(actor, code):
                self.scope = "self"
        try:
            self.org: Org = org_for_report(actor, code, self.scope)
        except NotFound:
            raise Http404(_("机构不存在或您无权查看其统计。")) from None
        today = clock.today()
        self.first = parse_date(q["from"], "from") if q.get("from") else today.replace(day=1)
        self.last = parse_date(q["to"], "to") if q.get("to") else today
        self.period = Period(self.first, self.last)

    def query(self, **extra: Any) -> str:
        params = {"org": self.org.code, "from": self.first.isoformat(), "to": self.last.isoformat()}
        params["scope"] = self.scope
        params.update({k: v for k, v in extra.items() if v is not None})
        return urlencode(params)


def _subtree_allowed(actor: Staff, code: str) -> bool:
    try:
        org_for_report(actor, code, "subtree")
    except ApplicationError:
        return False
    return True


def _shown(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each ranking row with `show`: its figures as people read them (percentages, — for none)."""
    for row in rows:
        row["show"] = {code: display(code, value) for code, value in row["metrics"].items()}
    return rows


def _error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    return render(request, "staff/service_report/error.html", {"error": exc}, status=exc.http_status)


def _columns(rows: list[dict[str, Any]], *, height: int = 120, width: int = 36) -> list[dict[str, Any]]:
    """Vertical bars: each row's x, y and height in SVG units (rows carry `bar` from dashboard.bars)."""
    return [{**r, "x": i * (width + 8), "y": height - r["bar"], "h": r["bar"], "w": width} for i, r in enumerate(rows)]


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    try:
        p = _Params(request)
        data = dashboard_data(org=p.org, period=p.period, scope=p.scope)
    except ApplicationError as exc:
        return _error(request, exc)
    m = data["m"]
    tiles = [
        {"code": code, "label": LABELS[code], "value": display(code, m[code]), "drill": code in DRILL}
        for code in (
            "accepted",
            "concluded",
            "on_time_rate",
            "avg_conclude_workdays",
            "satisfaction_rate",
            "overdue_open",
            "warnings_open",
            "zero_visit_rate",
        )
    ]
    rows = [
        {"code": code, "label": LABELS[code], "value": display(code, value), "drill": code in DRILL}
        for code, value in m.items()
    ]
    _shown(data["departments"])
    _shown(data["windows"])
    for row in data["trend_accepted"]:
        row["bar"] = row["bar"] / 2  # 240 → 120 units tall
    for row in data["trend_on_time"]:
        row["bar"] = row["bar"] / 2
    return render(
        request,
        "staff/service_report/dashboard.html",
        {
            **data,
            "p": p,
            "query": p.query(),
            "tiles": tiles,
            "rows": rows,
            "trend_accepted": _columns(data["trend_accepted"]),
            "trend_on_time": _columns(data["trend_on_time"]),
            "state_labels": {"on_time": _("正常"), "warning": _("预警"), "overdue": _("超时")},
        },
    )


@require_GET
@login_required
def cases(request: HttpRequest) -> HttpResponse:
    """The cases behind one figure of the dashboard (same period, scope and definition)."""
    try:
        p = _Params(request)
        code = request.GET.get("code", "concluded")
        page = max(1, int(request.GET.get("page", "1") or 1))
        qs = drill_cases(org=p.org, period=p.period, scope=p.scope, code=code)
    except ValueError:
        raise Http404 from None
    except ApplicationError as exc:
        return _error(request, exc)
    found = list(
        qs.select_related("org", "item_version", "window").order_by("-submitted_at", "-id")[
            (page - 1) * PAGE_SIZE : page * PAGE_SIZE + 1
        ]
    )
    return render(
        request,
        "staff/service_report/cases.html",
        {
            "p": p,
            "code": code,
            "label": LABELS.get(code, code),
            "cases": found[:PAGE_SIZE],
            "page": page,
            "has_next": len(found) > PAGE_SIZE,
            "query": p.query(code=code),
            "back": p.query(),
        },
    )


@require_GET
@login_required
def rankings(request: HttpRequest) -> HttpResponse:
    try:
        p = _Params(request)
        today = clock.today()
        quarter_code = request.GET.get("quarter") or f"{p.last.year}Q{(p.last.month + 2) // 3}"
        quarter = quarter_period(quarter_code)
        data = {
            "departments": _shown(ranking(org=p.org, period=p.period, scope=p.scope, by="org")),
            "windows": _shown(ranking(org=p.org, period=p.period, scope=p.scope, by="window")),
            "model_windows": _shown(model_windows(org=p.org, period=quarter)),
        }
    except ApplicationError as exc:
        return _error(request, exc)
    rule = model_window_rule()
    return render(
        request,
        "staff/service_report/rankings.html",
        {
            **data,
            "p": p,
            "query": p.query(),
            "quarter": quarter_code,
            "quarter_period": quarter,
            "rule": rule,
            "rule_show": {
                "min_on_time_rate": display("on_time_rate", rule["min_on_time_rate"]),
                "min_satisfaction_rate": display("satisfaction_rate", rule["min_satisfaction_rate"]),
            },
            "last_month": (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m"),
        },
    )


@require_GET
@login_required
def bulletin(request: HttpRequest) -> HttpResponse:
    """The month's bulletin (default: last month) as DOCX, for the org and its subtree."""
    try:
        p = _Params(request)
        default = (clock.today().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
        month = parse_date(f"{request.GET.get('month') or default}-01", "month")
        org = org_for_report(_actor(request), p.org.code, "subtree")
        data = bulletin_docx(org=org, month=month)
    except NotFound:
        raise Http404 from None
    except ApplicationError as exc:
        return _error(request, exc)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = f'attachment; filename="service-bulletin-{month:%Y-%m}.docx"'
    return response


@require_GET
@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The report as XLSX, HTML or JSON (the same figures as the dashboard)."""
    from zhengwu.reports.service.metrics import compute_service_metrics

    fmt = request.GET.get("format", "xlsx")
    try:
        p = _Params(request)
        report = compute_service_metrics(org=p.org, date_from=p.first, date_to=p.last, scope=p.scope)
    except ApplicationError as exc:
        return _error(request, exc)
    name = f"service-{p.org.code}-{p.first:%Y%m%d}-{p.last:%Y%m%d}"
    if fmt == "xlsx":
        response = HttpResponse(
            exports.report_xlsx(report),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    if fmt == "json":
        return HttpResponse(exports.report_json(report), content_type="application/json; charset=utf-8")
    if fmt == "html":
        return HttpResponse(exports.report_html(report), content_type="text/html; charset=utf-8")
    raise Http404
