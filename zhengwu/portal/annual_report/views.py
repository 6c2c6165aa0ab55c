"""Public pages of the published annual disclosure reports: the list, each report, and its DOCX and PDF."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhengwu.reports.annual import render as annual_render
from zhengwu.reports.models import AnnualReportVersion, VersionStatus


@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    qs = (
        AnnualReportVersion.objects.select_related("report__org")
        .filter(status=VersionStatus.PUBLISHED)
        .order_by("-report__year", "report__org__path", "report__scope")
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "portal/annual_report/list.html", {"page": page})


def _version(pk: int) -> AnnualReportVersion:
    v = AnnualReportVersion.objects.select_related("report__org").filter(pk=pk, status=VersionStatus.PUBLISHED).first()
    if v is None or v.data is None:
        raise Http404("报告不存在。")
    return v


@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    v = _version(pk)
    data = v.data or {}
    return render(request, "portal/annual_report/detail.html", {"v": v, **annual_render.context(data)})


@require_GET
def report_download(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    v = _version(pk)
    stored = {"docx": v.docx, "pdf": v.pdf}.get(fmt)
    if not stored:
        raise Http404
    report = v.report
    name = f"{report.org.name}{report.year}年政府信息公开工作年度报告.{fmt}"
    return FileResponse(stored.open("rb"), as_attachment=fmt == "docx", filename=name)
