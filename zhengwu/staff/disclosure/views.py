"""Staff pages of information disclosure: the officer's workbench, a request with its steps and the allowed actions,
disputes, and publications with their personal-data scan. Views parse, call a service, render."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django import forms as djforms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhengwu.core.errors import ApplicationError
from zhengwu.core.models import AuditEvent
from zhengwu.disclosure import selectors
from zhengwu.disclosure.models import Column, DisclosureRequest, Publication, RequestDocument
from zhengwu.disclosure.scanning import Hit
from zhengwu.disclosure.services import disputes as dispute_svc
from zhengwu.disclosure.services import publications as pub_svc
from zhengwu.disclosure.services import requests as svc
from zhengwu.disclosure.services import templates as template_svc
from zhengwu.disclosure.services.clock import request_clock
from zhengwu.disclosure.states import OPEN, DocumentKind, RequestStatus
from zhengwu.orgs import policies
from zhengwu.orgs.models import Org, Staff
from zhengwu.staff.disclosure import forms

S = RequestStatus


def _actor(request: HttpRequest) -> Staff:
    return cast(Staff, request.user)


def _show_error(form: djforms.Form, exc: ApplicationError) -> None:
    detail = exc.detail if isinstance(exc.detail, dict) else {}
    placed = False
    for field in detail:
        if field in form.fields:
            form.add_error(field, exc.message)
            placed = True
            break
    if not placed:
        form.add_error(None, exc.message)


def _org_for(actor: Staff, code: str, permission: str) -> Org:
    org = Org.objects.filter(code=code.strip()).first()
    if org is None or not policies.can(actor, permission, org):
        raise Http404(_("机构不存在。"))
    return org


# --- requests -----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Action:
    key: str
    label: Any
    form: type[djforms.Form]
    statuses: frozenset[str]
    run: Callable[..., DisclosureRequest]


def _reply(r: DisclosureRequest, a: Staff, d: dict[str, Any]) -> DisclosureRequest:
    return svc.request_reply(
        request=r,
        actor=a,
        outcome=d["outcome"],
        legal_basis=d["legal_basis"],
        delivered_items=d["delivered_items"],
        replied_on=d["replied_on"],
        expected=d["expected"] or None,
    )


def _transfer(r: DisclosureRequest, a: Staff, d: dict[str, Any]) -> DisclosureRequest:
    to = Org.objects.filter(code=d["to_org"].strip()).first()
    if to is None:
        raise Http404(_("机构不存在。"))
    return svc.request_transfer(request=r, actor=a, to_org=to, reason=d["reason"], expected=d["expected"] or None)


ACTIONS: dict[str, Action] = {
    a.key: a
    for a in [
        Action(
            "acknowledge",
            gettext_lazy("确认收到并出具登记回执"),
            forms.AcknowledgeForm,
            frozenset({S.SUBMITTED, S.PROCESSING}),
            lambda r, a, d: svc.request_acknowledge(
                request=r, actor=a, confirmed_on=d["confirmed_on"], expected=d["expected"] or None
            ),
        ),
        Action(
            "clarify",
            gettext_lazy("补正告知"),
            forms.ClarifyForm,
            frozenset({S.PROCESSING}),
            lambda r, a, d: svc.request_ask_clarification(
                request=r,
                actor=a,
                items=d["items"],
                sent_on=d["sent_on"],
                deadline=d["deadline"],
                expected=d["expected"] or None,
            ),
        ),
        Action(
            "receive_clarification",
            gettext_lazy("收到补正"),
            forms.ReceiveClarificationForm,
            frozenset({S.CLARIFYING}),
            lambda r, a, d: svc.request_receive_clarification(
                request=r,
                actor=a,
                received_on=d["received_on"],
                clarified_subject=d["clarified_subject"],
                expected=d["expected"] or None,
            ),
        ),
        Action(
            "close_unclarified",
            gettext_lazy("逾期未补正，办结"),
            forms._Expected,
            frozenset({S.CLARIFYING}),
            lambda r, a, d: svc.request_close_unclarified(request=r, actor=a, expected=d["expected"] or None),
        ),
        Action(
            "consult",
            gettext_lazy("征求第三方意见"),
            forms.ConsultForm,
            frozenset({S.PROCESSING}),
            lambda r, a, d: svc.request_start_consultation(
                request=r, actor=a, third_party=d["third_party"], from_on=d["from_on"], expected=d["expected"] or None
            ),
        ),
        Action(
            "end_consultation",
            gettext_lazy("收到第三方意见"),
            forms.EndConsultationForm,
            frozenset({S.CONSULTING}),
            lambda r, a, d: svc.request_end_consultation(
                request=r, actor=a, to_on=d["to_on"], opinion=d["opinion"], expected=d["expected"] or None
            ),
        ),
        Action(
            "extend",
            gettext_lazy("延期答复"),
            forms.ExtendForm,
            frozenset({S.PROCESSING, S.CONSULTING, S.AWAITING_FEE}),
            lambda r, a, d: svc.request_extend(
                request=r,
                actor=a,
                workdays=d["workdays"],
                approved_by=d["approved_by"],
                reason=d["reason"],
                expected=d["expected"] or None,
            ),
        ),
        Action(
            "fee_notice",
            gettext_lazy("收费通知"),
            forms.FeeNoticeForm,
            frozenset({S.PROCESSING}),
            lambda r, a, d: svc.fee_notice_issue(
                request=r, actor=a, method=d["method"], pages=d["pages"], expected=d["expected"] or None
            ),
        ),
        Action(
            "fee_pay",
            gettext_lazy("已缴费"),
            forms.PayForm,
            frozenset({S.AWAITING_FEE}),
            lambda r, a, d: svc.fee_notice_pay(
                request=r, actor=a, paid_on=d["paid_on"], expected=d["expected"] or None
            ),
        ),
        Action(
            "fee_waive",
            gettext_lazy("减免费用"),
            forms.WaiveForm,
            frozenset({S.AWAITING_FEE}),
            lambda r, a, d: svc.fee_notice_waive(
                request=r, actor=a, reason=d["reason"], expected=d["expected"] or None
            ),
        ),
        Action(
            "close_fee_unpaid",
            gettext_lazy("逾期未缴费，办结"),
            forms._Expected,
            frozenset({S.AWAITING_FEE}),
            lambda r, a, d: svc.request_close_fee_unpaid(request=r, actor=a, expected=d["expected"] or None),
        ),
        Action("reply", gettext_lazy("答复"), forms.ReplyForm, frozenset({S.PROCESSING}), _reply),
        Action(
            "transfer",
            gettext_lazy("转办"),
            forms.TransferForm,
            frozenset({S.SUBMITTED, S.PROCESSING}),
            _transfer,
        ),
    ]
}


@require_GET
@login_required
def workbench(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if not policies.can_anywhere(actor, "disclosure.view"):
        raise PermissionDenied
    rows = selectors.workbench_rows(actor)
    recent = selectors.request_list_for_staff(actor).exclude(status__in=OPEN).order_by("-replied_on", "-id")[:20]
    return render(
        request,
        "staff/disclosure/workbench.html",
        {
            "rows": rows,
            "recent": recent,
            "can_register": policies.can_anywhere(actor, "disclosure.handle"),
            "stale": selectors.columns_stale(actor)[:20] if policies.can_anywhere(actor, "disclosure.publish") else [],
        },
    )


def _handle_orgs(actor: Staff) -> list[Org]:
    return list(policies.scope(actor, "disclosure.handle", Org.objects.all(), field="")[:200])


@require_http_methods(["GET", "POST"])
@login_required
def request_register(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if not policies.can_anywhere(actor, "disclosure.handle"):
        raise PermissionDenied
    orgs = _handle_orgs(actor)
    form = forms.RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        org = _org_for(actor, request.POST.get("org", ""), "disclosure.handle")
        try:
            created = svc.request_register(
                actor=actor,
                org=org,
                channel=data["channel"],
                applicant_kind=data["applicant_kind"],
                applicant_name=data["applicant_name"],
                subject=data["subject"],
                submitted_on=data["submitted_on"],
                signed_on=data["signed_on"],
                confirmed_on=data["confirmed_on"],
                id_number=data["id_number"],
                contact_phone=data["contact_phone"],
                contact_address=data["contact_address"],
                delivery_form=data["delivery_form"],
                ref=data["ref"],
            )
        except ApplicationError as exc:
            _show_error(form, exc)
        else:
            messages.success(request, _("已登记申请 %(ref)s。") % {"ref": created.ref})
            return redirect("staff_disclosure:request_detail", pk=created.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "staff/disclosure/register.html", {"form": form, "orgs": orgs}, status=status)


def _visible_request(actor: Staff, pk: int) -> DisclosureRequest:
    found = selectors.request_get_for_staff(actor, pk)
    if found is None:
        raise Http404(_("申请不存在。"))
    return found


@require_GET
@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    req = _visible_request(actor, pk)
    return _render_detail(request, actor, req)


def _render_detail(
    request: HttpRequest,
    actor: Staff,
    req: DisclosureRequest,
    failed: tuple[str, djforms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    can_handle = policies.can(actor, "disclosure.handle", req)
    actions = []
    if can_handle:
        for action in ACTIONS.values():
            if req.status not in action.statuses:
                continue
            if action.key == "acknowledge" and req.acknowledged_on is not None:
                continue
            form = failed[1] if failed and failed[0] == action.key else action.form(initial={"expected": req.status})
            actions.append((action, form))
    events = AuditEvent.objects.filter(object_type="disclosure.disclosurerequest", object_id=str(req.pk)).order_by("id")
    context = {
        "req": req,
        "clock": request_clock(req),
        "actions": actions,
        "can_handle": can_handle,
        "events": events,
        "transferred_to": DisclosureRequest.objects.filter(transferred_from=req).select_related("org").first(),
    }
    return render(request, "staff/disclosure/request_detail.html", context, status=status)


@require_POST
@login_required
def request_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    actor = _actor(request)
    req = _visible_request(actor, pk)
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    if not policies.can(actor, "disclosure.handle", req):
        raise PermissionDenied
    form = spec.form(request.POST)
    if form.is_valid():
        try:
            result = spec.run(req, actor, form.cleaned_data)
        except ApplicationError as exc:
            _show_error(form, exc)
            status = 409 if exc.http_status == 409 else 400
        else:
            messages.success(request, _("已完成：%(a)s") % {"a": spec.label})
            return redirect("staff_disclosure:request_detail", pk=result.pk)
    else:
        status = 400
    return _render_detail(request, actor, _visible_request(actor, pk), failed=(action, form), status=status)


@require_GET
@login_required
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    actor = _actor(request)
    doc = RequestDocument.objects.select_related("request__org").filter(pk=pk).first()
    if doc is None or not policies.can(actor, "disclosure.view", doc.request):
        raise Http404(_("文书不存在。"))
    name = f"{doc.request.ref}-{doc.get_kind_display()}.docx"
    return FileResponse(doc.file.open("rb"), as_attachment=True, filename=name)


# --- disputes -----------------------------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@login_required
def dispute_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if not policies.can_anywhere(actor, "disclosure.view"):
        raise PermissionDenied
    form = forms.DisputeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            org = _org_for(actor, d["org"], "disclosure.handle")
            linked = None
            if d["request_ref"]:
                linked = DisclosureRequest.objects.filter(org=org, ref=d["request_ref"].strip()).first()
                if linked is None:
                    form.add_error("request_ref", _("本机关没有这个申请编号。"))
            if form.is_valid():
                try:
                    dispute_svc.dispute_file(
                        actor=actor, org=org, kind=d["kind"], filed_on=d["filed_on"], request=linked
                    )
                except ApplicationError as exc:
                    _show_error(form, exc)
                else:
                    messages.success(request, _("已登记。"))
                    return redirect("staff_disclosure:dispute_list")
    page = Paginator(selectors.dispute_list_for_staff(actor), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "staff/disclosure/disputes.html",
        {"page": page, "form": form, "decide_form": forms.DecideForm(), "orgs": _handle_orgs(actor)},
        status=status,
    )


@require_POST
@login_required
def dispute_decide(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    dispute = selectors.dispute_list_for_staff(actor).filter(pk=pk).first()
    if dispute is None:
        raise Http404
    form = forms.DecideForm(request.POST)
    if form.is_valid():
        try:
            dispute_svc.dispute_decide(
                actor=actor,
                dispute=dispute,
                decided_on=form.cleaned_data["decided_on"],
                result=form.cleaned_data["result"],
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("staff_disclosure:dispute_list")
        messages.success(request, _("已记录结果。"))
        return redirect("staff_disclosure:dispute_list")
    messages.error(request, _("请填写结案日期和结果。"))
    return HttpResponse(status=400)


# --- publications -------------------------------------------------------------------------------------------------
@require_GET
@login_required
def publication_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if not policies.can_anywhere(actor, "disclosure.publish"):
        raise PermissionDenied
    query = request.GET.get("q", "").strip()[:100]
    qs = selectors.publication_list_for_staff(actor).defer("body", "body_text")
    if query:
        qs = qs.filter(title__icontains=query)
    page = Paginator(qs.order_by("-id"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "staff/disclosure/publications.html",
        {"page": page, "query": query, "stale": selectors.columns_stale(actor)[:50]},
    )


def _publication_save(request: HttpRequest, actor: Staff, publication: Publication | None) -> HttpResponse:
    if publication is None:
        form = forms.PublicationForm(request.POST or None)
    else:
        initial = {
            "column": publication.column.code,
            "title": publication.title,
            "document_no": publication.document_no,
            "doc_type": publication.doc_type,
            "formed_on": publication.formed_on,
            "body": publication.body,
        }
        form = forms.PublicationForm(request.POST or None, initial=initial)
    orgs = list(policies.scope(actor, "disclosure.publish", Org.objects.all(), field="")[:200])
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            org = publication.org if publication else _org_for(actor, request.POST.get("org", ""), "disclosure.publish")
            column = Column.objects.filter(org=org, code=d["column"].strip()).first()
            if column is None:
                form.add_error("column", _("本机关没有这个栏目。"))
            else:
                try:
                    if publication is None:
                        publication = pub_svc.publication_create(
                            actor=actor,
                            org=org,
                            column=column,
                            title=d["title"],
                            formed_on=d["formed_on"],
                            doc_type=d["doc_type"],
                            document_no=d["document_no"],
                            body=d["body"],
                        )
                    else:
                        pub_svc.publication_update(
                            actor=actor,
                            publication=publication,
                            title=d["title"],
                            document_no=d["document_no"],
                            doc_type=d["doc_type"],
                            formed_on=d["formed_on"],
                            body=d["body"],
                        )
                except ApplicationError as exc:
                    _show_error(form, exc)
                else:
                    messages.success(request, _("已保存。"))
                    return redirect("staff_disclosure:publication_edit", pk=publication.pk)
    hits: list[Hit] = pub_svc.publication_scan(publication) if publication is not None else []
    columns = (
        Column.objects.filter(org=publication.org) if publication else selectors.column_list_for_staff(actor)[:200]
    )
    return render(
        request,
        "staff/disclosure/publication_edit.html",
        {
            "publication": publication,
            "form": form,
            "orgs": orgs,
            "columns": columns,
            "hits": hits,
            "unchecked": pub_svc.publication_unchecked_attachments(publication) if publication is not None else [],
            "publish_form": forms.PublishForm(initial={"expected": publication.status if publication else ""}),
            "attachment_form": forms.AttachmentForm(),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def publication_new(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if not policies.can_anywhere(actor, "disclosure.publish"):
        raise PermissionDenied
    return _publication_save(request, actor, None)


def _visible_publication(actor: Staff, pk: int) -> Publication:
    found = selectors.publication_list_for_staff(actor).filter(pk=pk).first()
    if found is None:
        raise Http404(_("信息不存在。"))
    return found


@require_http_methods(["GET", "POST"])
@login_required
def publication_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    return _publication_save(request, actor, _visible_publication(actor, pk))


@require_POST
@login_required
def publication_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    actor = _actor(request)
    publication = _visible_publication(actor, pk)
    try:
        if action == "publish":
            form = forms.PublishForm(request.POST)
            if not form.is_valid():
                return HttpResponse(status=400)
            d = form.cleaned_data
            pub_svc.publication_publish(
                actor=actor,
                publication=publication,
                masked=d["masked"],
                accept_hits_reason=d["accept_hits_reason"],
                manually_checked=d["manually_checked"],
                expected=d["expected"] or None,
            )
        elif action == "repeal":
            pub_svc.publication_repeal(actor=actor, publication=publication)
        elif action == "attach":
            upload = request.FILES.get("file")
            if upload is None:
                messages.error(request, _("请选择文件。"))
                return redirect("staff_disclosure:publication_edit", pk=pk)
            if upload.size is not None and upload.size > pub_svc.MAX_ATTACHMENT_BYTES:
                messages.error(request, _("附件不能超过 20 MB。"))
                return redirect("staff_disclosure:publication_edit", pk=pk)
            pub_svc.attachment_add(actor=actor, publication=publication, name=upload.name or "", data=upload.read())
        else:
            raise Http404
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("staff_disclosure:publication_edit", pk=pk)
    messages.success(request, _("已完成。"))
    return redirect("staff_disclosure:publication_edit", pk=pk)


# --- document templates -------------------------------------------------------------------------------------------
@require_GET
@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    """Each document kind's template in force for one org the officer handles (`?org=`), with upload and revert."""
    actor = _actor(request)
    orgs = list(policies.scope(actor, "disclosure.handle", Org.objects.all(), field="")[:200])
    if not orgs:
        raise PermissionDenied
    code = request.GET.get("org", "")
    org = _org_for(actor, code, "disclosure.handle") if code else orgs[0]
    rows = []
    for kind in DocumentKind:
        in_force = template_svc.document_template_in_force(org=org, kind=kind.value)
        rows.append(
            {
                "kind": kind.value,
                "label": kind.label,
                "template": in_force,
                "own": in_force is not None and in_force.org_id == org.pk,
            }
        )
    return render(
        request,
        "staff/disclosure/templates.html",
        {"org": org, "orgs": orgs, "rows": rows, "form": forms.TemplateUploadForm()},
    )


@require_GET
@login_required
def template_download(request: HttpRequest, org: str, kind: str) -> HttpResponse:
    actor = _actor(request)
    target = _org_for(actor, org, "disclosure.handle")
    if kind not in DocumentKind.values:
        raise Http404
    data, _override = template_svc.document_template_download(actor=actor, org=target, kind=kind)
    response = HttpResponse(data, content_type=pub_svc.DOCX)
    label = str(DocumentKind(kind).label)
    response["Content-Disposition"] = content_disposition_header(True, f"{target.code}-{label}.docx")
    return response


@require_POST
@login_required
def template_action(request: HttpRequest, org: str, kind: str, action: str) -> HttpResponse:
    actor = _actor(request)
    target = _org_for(actor, org, "disclosure.handle")
    back = f"{reverse('staff_disclosure:template_list')}?org={target.code}"
    try:
        if action == "upload":
            upload = request.FILES.get("file")
            if upload is None:
                messages.error(request, _("请选择文件。"))
                return redirect(back)
            if upload.size is not None and upload.size > template_svc.MAX_TEMPLATE_BYTES:
                messages.error(request, _("模板文件不能超过 5 MB。"))
                return redirect(back)
            template_svc.document_template_upload(
                actor=actor, org=target, kind=kind, data=upload.read(), name=upload.name or ""
            )
        elif action == "revert":
            template_svc.document_template_revert(actor=actor, org=target, kind=kind)
        else:
            raise Http404
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    messages.success(request, _("已完成。"))
    return redirect(back)
