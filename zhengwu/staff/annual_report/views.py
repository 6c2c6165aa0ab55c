"""Staff pages of the annual disclosure report: figures with checks, year-over-year, prose, versions, publishing,
and the deadline watch. Views parse, call the selectors and services, render."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhengwu.core import clock
from zhengwu.core.errors import ApplicationError
from zhengwu.orgs import policies
from zhengwu.orgs.models import Org, Staff
from zhengwu.reports import services
from zhengwu.reports.annual import render as annual_render
from zhengwu.reports.annual.deadlines import REPORTING_KINDS, annual_report_deadlines
from zhengwu.reports.annual.selectors import FIRST_YEAR, SCOPES, annual_report_read
from zhengwu.reports.models import AnnualReport, AnnualReportVersion, VersionStatus

COMPARED_ROWS = [
    ("proactive", "normative_document", "issued", "制发行政规范性文件"),
    ("proactive", "licensing", "decisions", "行政许可决定"),
    ("proactive", "punishment", "decisions", "行政处罚决定"),
    ("requests", "new", "total", "新收申请"),
    ("requests", "carried_in", "total", "上年结转"),
    ("requests", "open", "total", "予以公开"),
    ("requests", "concluded_total", "total", "办结"),
    ("requests", "carried_out", "total", "结转下年度"),
    ("review_litigation", "reconsideration", "total", "行政复议"),
    ("review_litigation", "litigation_direct", "total", "行政诉讼（直接起诉）"),
]


class ProseForm(forms.Form):
    overview = forms.CharField(label="一、总体情况", widget=forms.Textarea(attrs={"rows": 10}), required=False)
    problems = forms.CharField(
        label="五、存在的主要问题及改进情况", widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    other = forms.CharField(label="六、其他需要报告的事项", widget=forms.Textarea(attrs={"rows": 4}), required=False)


def _actor(request: HttpRequest) -> Staff:
    return cast(Staff, request.user)


def _default_year() -> int:
    return clock.today().year - 1


def _visible_org(actor: Staff, code: str) -> Org:
    org = Org.objects.filter(code=code, is_active=True).first()
    if org is None or not policies.can(actor, "reports.annual.view", org):
        raise Http404("机构不存在。")
    return org


def _visible_version(actor: Staff, pk: int) -> AnnualReportVersion:
    version = AnnualReportVersion.objects.select_related("report__org").filter(pk=pk).first()
    if version is None or not policies.can(actor, "reports.annual.view", version.report.org):
        raise Http404("报告不存在。")
    return version


def _read(actor: Staff, org: Org, year: int, scope: str) -> dict[str, Any]:
    try:
        return annual_report_read(actor=actor, org=org, year=year, scope=scope)
    except ApplicationError as exc:
        if exc.http_status == 403:
            raise PermissionDenied(exc.message) from exc
        raise Http404(exc.message) from exc


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if not policies.can_anywhere(actor, "reports.annual.view"):
        raise PermissionDenied
    orgs = list(
        policies.scope(
            actor, "reports.annual.view", Org.objects.filter(is_active=True, kind__in=REPORTING_KINDS), ""
        ).order_by("path")[:500]
    )
    reports = (
        policies.scope(actor, "reports.annual.view", AnnualReport.objects.select_related("org"))
        .prefetch_related("versions")
        .order_by("-year", "org__path")[:200]
    )
    return render(
        request,
        "staff/annual_report/index.html",
        {
            "orgs": orgs,
            "reports": reports,
            "year": _default_year(),
            "years": range(_default_year(), FIRST_YEAR - 1, -1),
        },
    )


@require_GET
@login_required
def open_report(request: HttpRequest) -> HttpResponse:
    """The index form's target: to the report page of the chosen org, year and scope."""
    code, year, scope = request.GET.get("org", ""), request.GET.get("year", ""), request.GET.get("scope", "self")
    if not year.isdigit() or scope not in SCOPES:
        raise Http404
    _visible_org(_actor(request), code)
    return redirect("staff_annual_report:report", code=code, year=int(year), scope=scope)


def _compare(current: dict[str, Any], previous: dict[str, Any] | None) -> list[dict[str, Any]]:
    rows = []
    for table, row, cell, label in COMPARED_ROWS:
        now = current[table][row][cell]
        before = previous[table][row][cell] if previous else None
        rows.append({"label": label, "now": now, "before": before, "delta": None if before is None else now - before})
    return rows


@require_GET
@login_required
def report(request: HttpRequest, code: str, year: int, scope: str) -> HttpResponse:
    actor = _actor(request)
    org = _visible_org(actor, code)
    data = _read(actor, org, year, scope)
    previous = _read(actor, org, year - 1, scope) if year - 1 >= FIRST_YEAR else None
    existing = AnnualReport.objects.filter(org=org, year=year, scope=scope).first()
    versions = list(existing.versions.order_by("-number")) if existing else []
    return render(
        request,
        "staff/annual_report/report.html",
        {
            "org": org,
            "year": year,
            "scope": scope,
            "data": data,
            "checks_ok": all(c["ok"] for c in data["checks"]),
            "comparison": _compare(data, previous),
            "versions": versions,
            "can_publish": policies.can(actor, "reports.annual.publish", org),
            **annual_render.context(data),
        },
    )


@require_POST
@login_required
def draft(request: HttpRequest, code: str, year: int, scope: str) -> HttpResponse:
    actor = _actor(request)
    org = _visible_org(actor, code)
    try:
        version = services.annual_report_draft(actor=actor, org=org, year=year, scope=scope)
    except ApplicationError as exc:
        return HttpResponse(exc.message, status=exc.http_status, content_type="text/plain; charset=utf-8")
    messages.success(request, f"已新建草稿（第{version.number}版）。")
    return redirect("staff_annual_report:version", pk=version.pk)


@require_http_methods(["GET", "POST"])
@login_required
def version(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    v = _visible_version(actor, pk)
    form = ProseForm(request.POST or None, initial=v.sections)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.annual_report_update_prose(actor=actor, version=v, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
                status = exc.http_status
            else:
                messages.success(request, "已保存。")
                return redirect("staff_annual_report:version", pk=v.pk)
    data = services.version_report(v)
    report = v.report
    return render(
        request,
        "staff/annual_report/version.html",
        {
            "v": v,
            "report": report,
            "data": data,
            "form": form,
            "checks_ok": all(c["ok"] for c in data["checks"]),
            "can_publish": policies.can(actor, "reports.annual.publish", report.org),
            "is_draft": v.status == VersionStatus.DRAFT,
            **annual_render.context(data),
        },
        status=status,
    )


@require_POST
@login_required
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    v = _visible_version(actor, pk)
    try:
        services.annual_report_publish(actor=actor, version=v)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("staff_annual_report:version", pk=v.pk)
    messages.success(request, "已发布。")
    return redirect("staff_annual_report:version", pk=v.pk)


@require_GET
@login_required
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    actor = _actor(request)
    v = _visible_version(actor, pk)
    report = v.report
    name = f"{report.org.name}{report.year}年政府信息公开工作年度报告-v{v.number}.{fmt}"
    stored = {"docx": v.docx, "pdf": v.pdf}.get(fmt)
    if stored is None:
        raise Http404
    if stored:
        return FileResponse(stored.open("rb"), as_attachment=True, filename=name)
    data = services.version_report(v)  # a draft: rendered now
    content = annual_render.render_docx(data) if fmt == "docx" else annual_render.render_pdf(data)
    ctype = (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        if fmt == "docx"
        else "application/pdf"
    )
    response = HttpResponse(content, content_type=ctype)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(name)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


@require_GET
@login_required
def deadlines(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if not policies.can_anywhere(actor, "reports.annual.view"):
        raise PermissionDenied
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and FIRST_YEAR <= int(raw) <= clock.today().year else _default_year()
    # The roots of the actor's view: orgs they may see whose parent they may not.
    visible = policies.scope(actor, "reports.annual.view", Org.objects.filter(is_active=True), "")
    top: list[Org] = []
    for o in visible.order_by("depth", "path")[:500]:
        if not any(o.path.startswith(t.path) for t in top):
            top.append(o)
    rows = [row for root in top for row in annual_report_deadlines(root=root, year=year)]
    missing = [r for r in rows if not r.published]
    return render(
        request,
        "staff/annual_report/deadlines.html",
        {"rows": rows, "missing": missing, "year": year, "years": range(_default_year() + 1, FIRST_YEAR - 1, -1)},
    )
