"""Staff pages of the cases domain. Views parse the request, call the selectors and services, and render;
a stale page's action gets the services' Conflict as a message, never a half-done change."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhengwu.cases import selectors
from zhengwu.cases import services as svc
from zhengwu.cases.documents import render_pdf
from zhengwu.cases.models import Case, CorrectionOrder
from zhengwu.cases.policies import can_case
from zhengwu.cases.services.clock import case_clock
from zhengwu.cases.states import CLOCKED, OPEN, CaseStatus
from zhengwu.catalog.models import ServiceItem
from zhengwu.catalog.selectors import items_for_staff
from zhengwu.core import clock
from zhengwu.core.errors import ApplicationError
from zhengwu.orgs import policies
from zhengwu.orgs.models import Staff, Window
from zhengwu.orgs.selectors import org_get_for_actor
from zhengwu.staff.cases import forms as f

ACTION_LABELS = {
    "case.submit": gettext_lazy("网上申请"),
    "case.register": gettext_lazy("窗口收件"),
    "case.accept": gettext_lazy("受理"),
    "case.reject": gettext_lazy("不予受理"),
    "case.request_correction": gettext_lazy("一次性告知补正"),
    "case.correction_received": gettext_lazy("收到补正材料"),
    "case.upload": gettext_lazy("上传材料"),
    "case.pause": gettext_lazy("启动特别程序"),
    "case.resume": gettext_lazy("特别程序结束"),
    "case.extend": gettext_lazy("延期"),
    "case.forward": gettext_lazy("转下一环节"),
    "case.conclude": gettext_lazy("办结"),
    "case.visit": gettext_lazy("跑动一次"),
    "case.evaluate": gettext_lazy("申请人评价"),
    "case.recompute_due": gettext_lazy("重新计算期限"),
    "rectification.open": gettext_lazy("差评整改开始"),
    "rectification.callback": gettext_lazy("回访"),
    "rectification.close": gettext_lazy("整改办结"),
    "order.issue": gettext_lazy("下达纠错单"),
    "order.respond": gettext_lazy("纠错反馈"),
    "ledger.create": gettext_lazy("台账导入"),
    "ledger.update": gettext_lazy("台账更新"),
    "ledger.details": gettext_lazy("台账更新"),
}
PAGE_SIZE = 50


def _actor(request: HttpRequest) -> Staff:
    return cast(Staff, request.user)


def _case_or_404(actor: Staff, pk: int) -> Case:
    case = selectors.case_get_for_actor(actor, pk)
    if case is None:
        raise Http404(_("办件不存在。"))
    return case


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


# --- The list ---------------------------------------------------------------------------------------------


@require_GET
@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    org = None
    org_code = request.GET.get("org", "").strip()[:40]
    if org_code:
        org = org_get_for_actor(actor, org_code)
    filters = selectors.CaseFilter(
        state=request.GET.get("state", ""),
        status=request.GET.get("status", "open"),
        q=request.GET.get("q", ""),
        org=org,
    )
    page = selectors.case_list_for_staff(actor, filters, page=_page_number(request))
    return render(
        request,
        "staff/cases/case_list.html",
        {
            "page": page,
            "filters": filters,
            "org_code": org_code,
            "states": selectors.STATES,
            "statuses": CaseStatus.choices,
            "today": clock.today(),
            "can_intake": policies.can_anywhere(actor, "cases.intake"),
            "query": request.GET.urlencode(),
        },
    )


# --- Window intake ----------------------------------------------------------------------------------------


def _windows_for(actor: Staff) -> list[Window]:
    qs = Window.objects.filter(is_active=True).filter(policies.org_q(actor, "cases.intake", field="hall__org"))
    return list(qs.select_related("hall", "hall__org").order_by("hall__org__path", "number")[:200])


def _items_for(window: Window) -> list[ServiceItem]:
    return list(
        ServiceItem.objects.filter(is_active=True, current__isnull=False, org__windows=window)
        .select_related("current", "org")
        .order_by("code")
    )


@require_http_methods(["GET", "POST"])
@login_required
def intake(request: HttpRequest) -> HttpResponse:
    """窗口收件: pick the item, see its checklist, type the applicant, then accept, ask for corrections, or
    conclude an instant item — one keyboard pass, one submit."""
    actor = _actor(request)
    windows = _windows_for(actor)
    if not windows:
        raise PermissionDenied(_("您没有窗口收件的岗位。"))
    data = request.POST if request.method == "POST" else request.GET
    window = next((w for w in windows if str(w.pk) == data.get("window")), windows[0])
    items = _items_for(window)
    item = next((i for i in items if i.code == data.get("item")), None)
    form = f.IntakeForm(request.POST or None, label_suffix="", initial={"client_token": secrets.token_urlsafe(24)})
    if request.method == "POST" and item is not None and form.is_valid():
        then = request.POST.get("then", "accept")
        received = set(request.POST.getlist("received"))
        assert item.current is not None
        missing = [m.name for m in item.current.materials.all() if str(m.pk) not in received and m.required]
        missing += [line.strip() for line in request.POST.get("missing_other", "").splitlines() if line.strip()]
        try:
            case = svc.case_register(
                actor=actor,
                window=window,
                item=item,
                applicant=svc.Applicant(
                    name=form.cleaned_data["applicant_name"],
                    kind=form.cleaned_data["applicant_kind"],
                    id_number=form.cleaned_data["applicant_id_number"],
                    phone=form.cleaned_data["applicant_phone"],
                ),
                channel=form.cleaned_data["channel"],
                summary=form.cleaned_data["summary"],
                then=then,
                missing=missing,
                opinion=form.cleaned_data["opinion"],
                client_token=form.cleaned_data["client_token"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("已收件：%(ref)s（%(status)s），查询码 %(code)s。")
                % {"ref": case.ref, "status": case.get_status_display(), "code": case.query_code_display},
            )
            return redirect("staff_cases:case_detail", pk=case.pk)
    elif request.method == "POST" and item is None:
        form.add_error(None, _("请选择事项。"))
    context = {"windows": windows, "window": window, "items": items, "item": item, "form": form}
    if request.headers.get("HX-Request") == "true" and request.method == "GET":
        return render(request, "staff/cases/_checklist.html", context)
    return render(request, "staff/cases/intake.html", context, status=400 if form.errors else 200)


# --- One case ---------------------------------------------------------------------------------------------


@require_GET
@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    case = _case_or_404(actor, pk)
    events = selectors.case_timeline(case)
    for e in events:
        e.label = str(ACTION_LABELS.get(e.action, e.action))  # type: ignore[attr-defined]
    correction = getattr(case, "correction", None)
    evaluation = getattr(case, "evaluation", None)
    can = {p: can_case(actor, f"cases.{p}", case) for p in ("accept", "handle", "conclude", "respond")}
    can["supervise"] = policies.can(actor, "cases.supervise", case.org)
    return render(
        request,
        "staff/cases/case_detail.html",
        {
            "case": case,
            "clock": case_clock(case),
            # A concluded case's state is the one it had when it was done (on time or overdue), not today's.
            "done_on": clock.local(case.concluded_at).date() if case.concluded_at else None,
            "events": events,
            "materials": case.materials.select_related("material"),
            "checklist": case.item_version.materials.all(),
            "steps": case.steps.select_related("org", "actor"),
            "pauses": case.pauses.all(),
            "extensions": case.extensions.all(),
            "correction": correction,
            "evaluation": evaluation,
            "rectification": getattr(evaluation, "rectification", None) if evaluation else None,
            "orders": case.orders.select_related("issued_by", "responded_by"),
            "can": can,
            "is_open": case.status in OPEN,
            "clocked": case.status in CLOCKED,
            "forms": {
                "reject": f.RejectForm(),
                "correction": f.CorrectionForm(),
                "pause": f.PauseForm(),
                "extend": f.ExtendForm(),
                "forward": f.ForwardForm(),
                "conclude": f.ConcludeForm(initial={"fee_yuan": case.item_version.fee_yuan}),
                "order": f.OrderForm(),
                "respond": f.OrderResponseForm(),
            },
        },
    )


def _run(request: HttpRequest, form_class: type[forms.Form] | None, call: Callable[[dict[str, Any]], Any]) -> bool:
    form = form_class(request.POST) if form_class is not None else None
    if form is not None and not form.is_valid():
        errors = "；".join(str(e) for errs in form.errors.values() for e in errs)
        messages.error(request, _("请检查填写的内容：%(e)s") % {"e": errors})
        return False
    try:
        call(form.cleaned_data if form is not None else {})
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return False
    return True


@require_POST
@login_required
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    actor = _actor(request)
    case = _case_or_404(actor, pk)
    expected = request.POST.get("expected") or case.status

    def forward(d: dict[str, Any]) -> Any:
        to_org = org_get_for_actor(actor, d["to_org"])
        if to_org is None:
            raise ApplicationError(_("机构不存在：%(c)s") % {"c": d["to_org"]}, code="invalid")
        return svc.case_forward(
            actor=actor, case=case, to_org=to_org, step=d["step"], opinion=d["opinion"], expected=expected
        )

    actions: dict[str, tuple[type[forms.Form] | None, Callable[[dict[str, Any]], Any], str]] = {
        "accept": (
            None,
            lambda d: svc.case_accept(
                actor=actor, case=case, opinion=request.POST.get("opinion", ""), expected=expected
            ),
            _("已受理。"),
        ),
        "reject": (
            f.RejectForm,
            lambda d: svc.case_reject(actor=actor, case=case, reason=d["reason"], expected=expected),
            _("已作出不予受理决定。"),
        ),
        "correction": (
            f.CorrectionForm,
            lambda d: svc.case_request_correction(
                actor=actor, case=case, missing=d["missing"].splitlines(), note=d["note"], expected=expected
            ),
            _("已一次性告知补正。"),
        ),
        "receive-correction": (
            None,
            lambda d: svc.case_receive_correction(actor=actor, case=case, at_window=True, expected=expected),
            _("已收取补正材料。"),
        ),
        "pause": (
            f.PauseForm,
            lambda d: svc.case_pause(actor=actor, case=case, kind=d["kind"], reason=d["reason"], expected=expected),
            _("特别程序已开始，期间不计入办理时限。"),
        ),
        "resume": (
            None,
            lambda d: svc.case_resume(actor=actor, case=case, expected=expected),
            _("特别程序已结束，期限已顺延。"),
        ),
        "extend": (
            f.ExtendForm,
            lambda d: svc.case_extend(actor=actor, case=case, workdays=d["workdays"], reason=d["reason"]),
            _("已延期。"),
        ),
        "forward": (f.ForwardForm, forward, _("已转下一环节。")),
        "conclude": (
            f.ConcludeForm,
            lambda d: svc.case_conclude(
                actor=actor,
                case=case,
                decision=d["decision"],
                opinion=d["opinion"],
                result_document=d["result_document"],
                fee_yuan=d["fee_yuan"],
                on_site=d["on_site"],
                expected=expected,
            ),
            _("已办结。"),
        ),
        "visit": (
            f.VisitForm,
            lambda d: svc.case_record_visit(actor=actor, case=case, reason=d["reason"]),
            _("已记录一次跑动。"),
        ),
        "order": (
            f.OrderForm,
            lambda d: svc.correction_order_issue(
                actor=actor, case=case, instruction=d["instruction"], response_workdays=d["response_workdays"]
            ),
            _("已下达纠错单。"),
        ),
    }
    if action not in actions:
        raise Http404(_("没有这个操作。"))
    form_class, call, done = actions[action]
    if _run(request, form_class, call):
        messages.success(request, done)
    return redirect("staff_cases:case_detail", pk=case.pk)


@require_GET
@login_required
def case_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable notice for the case's state: receipt, acceptance, rejection or correction notice."""
    case = _case_or_404(_actor(request), pk)
    context = {
        "case": case,
        "correction": getattr(case, "correction", None),
        "checklist": case.item_version.materials.all(),
        "now": clock.now(),
    }
    if request.GET.get("format") == "pdf":
        response = HttpResponse(render_pdf("staff/cases/notice.html", context), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{case.ref}.pdf"'
        return response
    return render(request, "staff/cases/notice.html", context)


# --- Supervision ------------------------------------------------------------------------------------------


@require_GET
@login_required
def supervision(request: HttpRequest) -> HttpResponse:
    """电子监察: open cases by state per department and window, the overdue list, orders and rectifications.
    The counts refresh themselves (htmx) every minute."""
    actor = _actor(request)
    if not policies.can_anywhere(actor, "cases.supervise"):
        raise PermissionDenied(_("您没有电子监察的岗位。"))
    org_code = request.GET.get("org", "").strip()[:40]
    org = org_get_for_actor(actor, org_code) if org_code else None
    context: dict[str, Any] = {
        "counts": selectors.supervision_counts(actor, org=org),
        "org": org,
        "org_code": org_code,
        "now": clock.now(),
    }
    if request.headers.get("HX-Request") == "true":
        return render(request, "staff/cases/_supervision_counts.html", context)
    context.update(
        {
            "overdue": selectors.cases_overdue(actor, org=org),
            "orders": list(selectors.orders_for_actor(actor)[:50]),
            "rectifications": list(selectors.rectifications_for_actor(actor)[:50]),
        }
    )
    return render(request, "staff/cases/supervision.html", context)


# --- Rectifications and orders ----------------------------------------------------------------------------


@require_GET
@login_required
def rectification_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    show_all = request.GET.get("all") == "1"
    qs = selectors.rectifications_for_actor(actor, open_only=not show_all)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "staff/cases/rectification_list.html", {"page": page, "show_all": show_all, "today": clock.today()}
    )


@require_http_methods(["GET", "POST"])
@login_required
def rectification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    rect = selectors.rectifications_for_actor(actor, open_only=False).filter(pk=pk).first()
    if rect is None:
        raise Http404(_("整改记录不存在。"))
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "callback":
            ok = _run(
                request,
                f.CallbackForm,
                lambda d: svc.rectification_record_callback(
                    actor=actor, rectification=rect, note=d["note"], satisfied=d["satisfied"]
                ),
            )
        elif action == "close":
            ok = _run(
                request,
                f.CloseForm,
                lambda d: svc.rectification_close(
                    actor=actor, rectification=rect, summary=d["summary"], expected=request.POST.get("expected")
                ),
            )
        else:
            raise Http404(_("没有这个操作。"))
        if ok:
            messages.success(request, _("已保存。"))
        return redirect("staff_cases:rectification_detail", pk=rect.pk)
    return render(
        request,
        "staff/cases/rectification_detail.html",
        {
            "rect": rect,
            "case": rect.evaluation.case,
            "can_act": policies.can(actor, "cases.rectify", rect),
            "callback_form": f.CallbackForm(),
            "close_form": f.CloseForm(),
        },
    )


@require_POST
@login_required
def order_respond(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    order = selectors.orders_for_actor(actor, open_only=False).filter(pk=pk).first()
    if order is None:
        raise Http404(_("纠错单不存在。"))
    if _run(
        request,
        f.OrderResponseForm,
        lambda d: svc.correction_order_respond(
            actor=actor,
            order=cast(CorrectionOrder, order),
            response=d["response"],
            expected=request.POST.get("expected"),
        ),
    ):
        messages.success(request, _("已反馈。"))
    return redirect("staff_cases:case_detail", pk=order.case_id)


@require_GET
@login_required
def outbox(request: HttpRequest) -> HttpResponse:
    """Notifications the default sender recorded (no SMS gateway configured)."""
    qs = selectors.outbox_for_actor(_actor(request))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "staff/cases/outbox.html", {"page": page})


# --- The catalog, as staff see it -------------------------------------------------------------------------


@require_GET
@login_required
def item_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:50]
    qs = items_for_staff(_actor(request))
    if query:
        qs = qs.filter(
            Q(current__name__icontains=query) | Q(code__icontains=query) | Q(current__keywords__icontains=query)
        )
    page = Paginator(qs.order_by("org__path", "code"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "staff/cases/item_list.html", {"page": page, "query": query})


@require_GET
@login_required
def item_detail(request: HttpRequest, code: str) -> HttpResponse:
    item = items_for_staff(_actor(request)).filter(code=code).first()
    if item is None:
        raise Http404(_("事项不存在。"))
    versions = item.versions.prefetch_related("materials").select_related("created_by", "window")
    can_manage = policies.can(_actor(request), "catalog.manage", item)
    return render(
        request, "staff/cases/item_detail.html", {"item": item, "versions": versions, "can_manage": can_manage}
    )
