"""The applicant's pages: find a guide, print its checklist, apply online with the materials, follow the case by
its query code, upload corrections, and rate the service. No account: the query code is the key."""

from __future__ import annotations

import secrets

from django import forms
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from zhengwu.api import throttling
from zhengwu.cases import services as svc
from zhengwu.cases.documents import render_pdf
from zhengwu.cases.models import Case
from zhengwu.cases.selectors import case_by_query_code
from zhengwu.cases.services.clock import case_clock
from zhengwu.cases.services.intake import MAX_UPLOADS, _max_upload_bytes
from zhengwu.cases.states import ApplicantKind, CaseStatus, EvaluationChannel, Level
from zhengwu.catalog.models import Category, ServiceItem
from zhengwu.catalog.selectors import guide_get
from zhengwu.catalog.selectors import guide_list as guides
from zhengwu.core.errors import ApplicationError, InvalidInput
from zhengwu.core.http import client_address
from zhengwu.core.querycode import normalise_query_code

PAGE_SIZE = 30


class ApplyForm(forms.Form):
    applicant_kind = forms.ChoiceField(label=gettext_lazy("申请人类型"), choices=ApplicantKind.choices)
    applicant_name = forms.CharField(label=gettext_lazy("申请人姓名或单位名称"), max_length=200)
    applicant_id_number = forms.CharField(label=gettext_lazy("身份证号码"), max_length=18, required=False)
    applicant_phone = forms.CharField(label=gettext_lazy("手机号码"), max_length=20)
    summary = forms.CharField(label=gettext_lazy("申请事由"), max_length=500, required=False, widget=forms.Textarea)
    # One per form shown: a retried or double-clicked submission finds the case the first one made.
    client_token = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)


class RateForm(forms.Form):
    level = forms.ChoiceField(label=gettext_lazy("评价"), choices=Level.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label=gettext_lazy("意见和建议"), max_length=1000, required=False, widget=forms.Textarea)


def _item_or_404(code: str) -> ServiceItem:
    item = guide_get(code=code)
    if item is None:
        raise Http404(_("事项不存在或已停止办理。"))
    return item


def _case_or_404(query_code: str) -> Case:
    case = case_by_query_code(query_code)
    if case is None:
        raise Http404(_("没有找到这个查询码对应的办件，请核对后重试。"))
    return case


def _throttled(request: HttpRequest, *, back: str) -> HttpResponse | None:
    """A 429 page when this address has used up the public intake budget (the `public_intake` rate,
    ZHENGWU_API_PUBLIC_INTAKE_RATE, counted per client address as on the hotline's web form) — else None (and the
    submission counts against the budget)."""
    allowed, wait_seconds = throttling.allow(scope=throttling.PUBLIC_INTAKE, ident=client_address(request))
    if allowed:
        return None
    wait = max(1, wait_seconds)
    response = render(
        request,
        "portal/services/throttled.html",
        {"wait": wait, "back": back},
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


def _uploads(files: list[tuple[UploadedFile, int | None]]) -> list[svc.Upload]:
    """Read the files, refusing an oversize one before its bytes are read (the service checks the content)."""
    if len(files) > MAX_UPLOADS:
        raise InvalidInput(_("一次最多上传 %(n)s 个文件。") % {"n": MAX_UPLOADS}, detail={"files": ["too_many"]})
    limit = _max_upload_bytes()
    out = []
    for upload, material_id in files:
        if upload.size is not None and upload.size > limit:
            raise InvalidInput(
                _("文件“%(f)s”超过 %(mb)s MB。") % {"f": upload.name, "mb": limit // (1024 * 1024)},
                detail={"files": ["too_large"]},
            )
        out.append(svc.Upload(name=upload.name or "file", data=upload.read(limit + 1), material_id=material_id))
    return out


@require_GET
def guide_list(request: HttpRequest) -> HttpResponse:
    """办事指南. Search is `icontains` over name, keywords and code on both databases in phase 1."""
    query = request.GET.get("q", "").strip()[:50]
    category = request.GET.get("category", "")
    qs = guides(query=query, category=category if category in Category.values else "")
    items = list(qs[: PAGE_SIZE + 1])
    return render(
        request,
        "portal/services/guide_list.html",
        {
            "items": items[:PAGE_SIZE],
            "more": len(items) > PAGE_SIZE,
            "query": query,
            "category": category,
            "categories": Category.choices,
        },
    )


@require_GET
def guide_detail(request: HttpRequest, code: str) -> HttpResponse:
    item = _item_or_404(code)
    return render(request, "portal/services/guide_detail.html", {"item": item, "v": item.current})


@require_GET
def guide_checklist(request: HttpRequest, code: str) -> HttpResponse:
    """一次性告知单: one printable page of everything to bring."""
    item = _item_or_404(code)
    context = {"item": item, "v": item.current}
    if request.GET.get("format") == "pdf":
        response = HttpResponse(render_pdf("portal/services/checklist.html", context), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{item.code}.pdf"'
        return response
    return render(request, "portal/services/checklist.html", context)


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, code: str) -> HttpResponse:
    item = _item_or_404(code)
    version = item.current
    assert version is not None
    if not version.online:
        messages.info(request, _("该事项暂不支持网上申请，请到窗口办理。"))
        return redirect("portal_services:guide_detail", code=item.code)
    materials = list(version.materials.all())
    if request.method == "POST" and (refused := _throttled(request, back=request.path)) is not None:
        return refused
    form = ApplyForm(request.POST or None, label_suffix="", initial={"client_token": secrets.token_urlsafe(24)})
    if request.method == "POST" and form.is_valid():
        files: list[tuple[UploadedFile, int | None]] = []
        for m in materials:
            upload = request.FILES.get(f"m{m.pk}")
            if isinstance(upload, UploadedFile):
                files.append((upload, m.pk))
        files += [(f, None) for f in request.FILES.getlist("other")]
        try:
            case = svc.case_submit(
                item=item,
                applicant=svc.Applicant(
                    name=form.cleaned_data["applicant_name"],
                    kind=form.cleaned_data["applicant_kind"],
                    id_number=form.cleaned_data["applicant_id_number"],
                    phone=form.cleaned_data["applicant_phone"],
                ),
                summary=form.cleaned_data["summary"],
                uploads=_uploads(files),
                client_token=form.cleaned_data["client_token"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("申请已提交。请记下查询码，凭它查看进度。"))
            return redirect("portal_services:progress", query_code=case.query_code)
    return render(
        request,
        "portal/services/apply.html",
        {"item": item, "v": version, "materials": materials, "form": form, "max_mb": _max_upload_bytes() // 1048576},
        status=400 if form.errors else 200,
    )


@require_GET
def progress_lookup(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("code", "")
    if raw:
        code = normalise_query_code(raw)
        if code and case_by_query_code(code) is not None:
            return redirect("portal_services:progress", query_code=code)
        messages.error(request, _("没有找到这个查询码对应的办件，请核对后重试。"))
    return render(request, "portal/services/progress_lookup.html", {"code": raw[:20]})


@require_GET
def progress(request: HttpRequest, query_code: str) -> HttpResponse:
    case = _case_or_404(query_code)
    return render(
        request,
        "portal/services/progress.html",
        {
            "case": case,
            "clock": case_clock(case) if case.status in (CaseStatus.ACCEPTED, CaseStatus.PAUSED) else None,
            "steps": case.steps.select_related("org"),
            "correction": getattr(case, "correction", None),
            "evaluation": getattr(case, "evaluation", None),
            "can_rate": case.status == CaseStatus.CONCLUDED and not hasattr(case, "evaluation"),
            "max_mb": _max_upload_bytes() // 1048576,
        },
    )


@require_http_methods(["POST"])
def correction_upload(request: HttpRequest, query_code: str) -> HttpResponse:
    back = reverse("portal_services:progress", kwargs={"query_code": query_code})
    if (refused := _throttled(request, back=back)) is not None:
        return refused
    case = _case_or_404(query_code)
    try:
        svc.case_receive_correction(
            actor=None, case=case, uploads=_uploads([(f, None) for f in request.FILES.getlist("files")])
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("portal_services:progress", query_code=case.query_code)
    messages.success(request, _("补正材料已提交，请等待审核。"))
    return redirect("portal_services:progress", query_code=case.query_code)


@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, query_code: str) -> HttpResponse:
    """好差评 on the portal, or on the window's device (`?device=1`)."""
    case = _case_or_404(query_code)
    device = request.GET.get("device") == "1" or request.POST.get("device") == "1"
    form = RateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.evaluation_submit(
                case=case,
                level=form.cleaned_data["level"],
                channel=EvaluationChannel.WINDOW_DEVICE if device else EvaluationChannel.PORTAL,
                comment=form.cleaned_data["comment"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("感谢您的评价！"))
            if device:
                return redirect("portal_services:device")
            return redirect("portal_services:progress", query_code=case.query_code)
    return render(
        request,
        "portal/services/rate.html",
        {"case": case, "form": form, "device": device, "levels": Level.choices},
        status=400 if form.errors else 200,
    )


@require_GET
def device(request: HttpRequest) -> HttpResponse:
    """The window's rating device: the applicant types (or scans) the query code from the receipt."""
    raw = request.GET.get("code", "")
    if raw:
        case = case_by_query_code(raw)
        if case is not None:
            return redirect(reverse("portal_services:rate", kwargs={"query_code": case.query_code}) + "?device=1")
        messages.error(request, _("没有找到这个查询码对应的办件。"))
    return render(request, "portal/services/device.html", {})
