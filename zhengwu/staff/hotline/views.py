"""Hotline staff pages: the operator's call form, the dispatcher's queue, the unit's inbox, the ticket page with
its actions and timeline, supervision lists and cards. Views parse, call services or selectors, and render."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, cast

from django import forms as djforms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhengwu.core import clock
from zhengwu.core.errors import ApplicationError, InvalidInput
from zhengwu.core.querycode import format_query_code
from zhengwu.hotline import policies as hp
from zhengwu.hotline import selectors, services
from zhengwu.hotline.models import (
    SUBTYPES,
    ApiClient,
    CallbackResult,
    Channel,
    ConversionTarget,
    ExtensionRequest,
    ExtensionStatus,
    KnowledgeArticle,
    Ticket,
)
from zhengwu.hotline.states import AT_DISPATCHER, AT_UNIT, OPEN, TicketStatus
from zhengwu.orgs import policies
from zhengwu.orgs.models import Org, Staff
from zhengwu.staff.hotline import forms

PAGE_SIZE = 50
TIMELINE_LABELS = {
    "ticket.create": gettext_lazy("登记"),
    "ticket.dispatch": gettext_lazy("派单"),
    "ticket.dispatch_assisting": gettext_lazy("派协办单位"),
    "ticket.forward": gettext_lazy("转派"),
    "ticket.due_recompute": gettext_lazy("按节假日安排重算期限"),
    "ticket.accept": gettext_lazy("签收"),
    "ticket.accept_assisting": gettext_lazy("协办单位签收"),
    "ticket.return": gettext_lazy("退单"),
    "ticket.reply": gettext_lazy("答复"),
    "ticket.reply_assisting": gettext_lazy("协办单位答复"),
    "ticket.extension_request": gettext_lazy("申请延期"),
    "ticket.extension_approve": gettext_lazy("批准延期"),
    "ticket.extension_reject": gettext_lazy("不批准延期"),
    "ticket.urge": gettext_lazy("督办"),
    "ticket.callback": gettext_lazy("回访"),
    "ticket.reopen": gettext_lazy("重办"),
    "ticket.conclude": gettext_lazy("办结"),
    "ticket.answer_directly": gettext_lazy("直接答复"),
    "ticket.convert": gettext_lazy("转其他渠道"),
    "ledger.tickets.create": gettext_lazy("台账导入"),
    "ledger.tickets.update": gettext_lazy("台账更新"),
}


def _actor(request: HttpRequest) -> Staff:
    return cast(Staff, request.user)


def _need(request: HttpRequest, *permissions: str) -> None:
    if not any(policies.can_anywhere(_actor(request), p) for p in permissions):
        raise PermissionDenied


# --- The call form ------------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def call_new(request: HttpRequest) -> HttpResponse:
    """Keyboard-only intake: phone (history appears), kind by digit, the caller's words, Enter saves."""
    actor = _actor(request)
    hotlines = list(selectors.orgs_operated(actor)[:50])
    if not hotlines:
        raise PermissionDenied
    form = forms.CallForm(request.POST or None, initial={"org": hotlines[0].pk})
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        org = next((o for o in hotlines if o.pk == data["org"]), hotlines[0])
        try:
            created = services.ticket_create(
                actor=actor,
                org=org,
                channel=Channel.PHONE,
                kind=data["kind"],
                subtype=data["subtype"],
                content=data["content"],
                caller_name=data["caller_name"],
                caller_phone=data["caller_phone"],
                location=data["location"],
                urgency=data["urgency"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            status = exc.http_status
        else:
            t = created.ticket
            messages.success(
                request,
                _("已登记工单 %(ref)s，查询码 %(code)s。") % {"ref": t.ref, "code": format_query_code(t.query_code)},
            )
            if created.duplicates:
                messages.warning(
                    request,
                    _("注意：该来电人 30 日内反映过相同事项（工单 %(refs)s）。")
                    % {"refs": "、".join(d.ref for d in created.duplicates)},
                )
            if request.POST.get("next") == "another":
                return redirect("staff_hotline:call_new")
            return redirect("staff_hotline:ticket", pk=t.pk)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "staff/hotline/call_new.html",
        {"form": form, "hotlines": hotlines, "subtypes": SUBTYPES},
        status=status,
    )


@login_required
@require_GET
def caller_history(request: HttpRequest) -> HttpResponse:
    """htmx: the caller's earlier tickets and the 30-day duplicate warning, as the operator types."""
    actor = _actor(request)
    _need(request, hp.OPERATE)
    hotlines = list(selectors.orgs_operated(actor)[:50])
    org_id = request.GET.get("org", "")
    org = next((o for o in hotlines if str(o.pk) == org_id), hotlines[0] if hotlines else None)
    phone = "".join(c for c in request.GET.get("caller_phone", "") if c.isdigit() or c == "-")[:20]
    content = request.GET.get("content", "")[:5000]
    history: list[Ticket] = []
    duplicates: list[selectors.DuplicateCandidate] = []
    if org is not None and phone:
        history = list(selectors.caller_history(actor=actor, org=org, caller_phone=phone))
        if content.strip():
            duplicates = selectors.duplicate_candidates(
                org=org, caller_phone=phone, content=content, kind=request.GET.get("kind", "")
            )
    return render(
        request, "staff/hotline/_caller_history.html", {"history": history, "duplicates": duplicates, "phone": phone}
    )


@login_required
@require_GET
def knowledge(request: HttpRequest) -> HttpResponse:
    """htmx: knowledge-base articles for the words typed, to answer a consultation directly."""
    actor = _actor(request)
    _need(request, hp.OPERATE)
    hotlines = list(selectors.orgs_operated(actor)[:50])
    query = request.GET.get("q", "").strip()[:100]
    articles: list[KnowledgeArticle] = []
    if hotlines and query:
        org_id = request.GET.get("org", "")
        org = next((o for o in hotlines if str(o.pk) == org_id), hotlines[0])
        articles = list(selectors.knowledge_search(org=org, query=query))
    return render(request, "staff/hotline/_knowledge.html", {"articles": articles, "query": query})


# --- Lists --------------------------------------------------------------------------------------------------
@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """The dispatcher's queue: new and returned tickets, then replies awaiting callback and conclusion."""
    actor = _actor(request)
    _need(request, hp.OPERATE)
    page = Paginator(selectors.dispatcher_queue(actor), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "staff/hotline/queue.html",
        {
            "page": page,
            "extensions": list(selectors.pending_extensions(actor)[:50]),
            "at_dispatcher": AT_DISPATCHER,
            "now": clock.now(),
        },
    )


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """The unit's inbox: tickets dispatched to the user's units, due date first."""
    actor = _actor(request)
    _need(request, hp.HANDLE)
    page = Paginator(selectors.unit_inbox(actor), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "staff/hotline/inbox.html", {"page": page, "now": clock.now()})


@login_required
@require_GET
def supervision(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    _need(request, hp.SUPERVISE)
    return render(
        request,
        "staff/hotline/supervision.html",
        {
            "by_unit": selectors.overdue_by_unit(actor)[:100],
            "overdue": list(selectors.tickets_overdue(actor)[:100]),
            "warning": list(selectors.tickets_warning(actor)[:100]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def cards(request: HttpRequest) -> HttpResponse:
    """Cards issued, and issuing a month's cards by the rules (idempotent)."""
    actor = _actor(request)
    _need(request, hp.SUPERVISE, hp.HANDLE)
    orgs = list(Org.objects.filter(policies.org_q(actor, hp.SUPERVISE, field=""), is_active=True).order_by("path")[:50])
    today = clock.today()
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    form = forms.MonthForm(request.POST or None, initial={"month": last_month})
    status = 200
    if request.method == "POST":
        if not form.is_valid() or not orgs:
            status = 400 if orgs else 403
            form.add_error(None, _("请填写月份（YYYY-MM）。") if orgs else _("您没有权限执行该操作。"))
        else:
            wanted = form.cleaned_data["org"]
            org = next((o for o in orgs if o.pk == wanted), None) if wanted else orgs[0]
            if org is None:
                raise Http404
            try:
                month = dt.date.fromisoformat(form.cleaned_data["month"] + "-01")
                issued = services.cards_evaluate(actor=actor, org=org, month=month)
            except (ApplicationError, ValueError) as exc:
                form.add_error(None, getattr(exc, "message", _("月份无效。")))
                status = getattr(exc, "http_status", 400)
            else:
                messages.success(request, _("已按规则评定，新发 %(n)s 张牌。") % {"n": len(issued)})
                return redirect("staff_hotline:cards")
    return render(
        request,
        "staff/hotline/cards.html",
        {"form": form, "orgs": orgs, "cards": list(selectors.cards_visible(actor)[:200])},
        status=status,
    )


# --- The ticket page ----------------------------------------------------------------------------------------
def _error_text(exc: ApplicationError) -> str:
    """The error's message and the field messages it carries (another domain's service names the field there)."""
    details: list[str] = []
    if isinstance(exc.detail, dict):
        for messages_ in exc.detail.values():
            for m in messages_ if isinstance(messages_, list) else [messages_]:
                if isinstance(m, str) and not m.isascii():  # a sentence for people, not a code like "required"
                    details.append(m)
    return "：".join([exc.message, "；".join(details)]) if details else exc.message


def _conversion_org(ticket: Ticket, code: str | None) -> Org | None:
    """The org a converted ticket goes to, by code: the hotline itself or an org below it (None: the hotline)."""
    if not code:
        return None
    org = Org.objects.filter(path__startswith=ticket.org.path, code=code.strip(), is_active=True).first()
    if org is None:
        raise InvalidInput(_("没有这个机关：%(c)s") % {"c": code[:40]}, detail={"target_org": ["not_found"]})
    return org


def _ticket(request: HttpRequest, pk: int) -> Ticket:
    ticket = selectors.ticket_get_for_actor(_actor(request), pk=pk)
    if ticket is None:
        raise Http404
    return ticket


def _ticket_context(request: HttpRequest, ticket: Ticket) -> dict[str, Any]:
    actor = _actor(request)
    dispatches = list(ticket.dispatches.select_related("unit").order_by("dispatched_at", "id"))
    my_dispatch = next((d for d in dispatches if d.active and policies.can(actor, hp.HANDLE, d.unit)), None)
    can_operate = policies.can(actor, hp.OPERATE, ticket)
    lead = ticket.lead_unit
    can_forward = (
        ticket.status in AT_UNIT
        and lead is not None
        and (policies.can(actor, hp.HANDLE, lead) or policies.can(actor, hp.OPERATE, lead))
    )
    return {
        "can_forward": can_forward,
        "units_below": list(selectors.units_for_dispatch(lead).values_list("code", "name")[:500])
        if can_forward and lead
        else [],
        "ticket": ticket,
        "clock": ticket.clock if ticket.status in OPEN else None,
        "overdue": ticket.is_overdue(),
        "dispatches": dispatches,
        "replies": list(ticket.replies.select_related("unit", "by")),
        "extensions": list(ticket.extensions.select_related("unit")),
        "callbacks": list(ticket.callbacks.select_related("by")),
        "urges": list(ticket.urges.select_related("unit", "by")),
        "timeline": [
            {
                "at": e.at,
                "label": TIMELINE_LABELS.get(e.action, e.action),
                "actor_label": e.actor_label,
                "reason": e.reason,
            }
            for e in selectors.ticket_timeline(ticket)
        ],
        "can_operate": can_operate,
        "can_urge": can_operate or policies.can(actor, hp.SUPERVISE, ticket),
        "my_dispatch": my_dispatch,
        "S": TicketStatus,
        "at_dispatcher": ticket.status in AT_DISPATCHER,
        "at_unit": ticket.status in AT_UNIT,
        "units": list(selectors.units_for_dispatch(ticket.org).values_list("code", "name")[:500])
        if can_operate
        else [],
        "callback_choices": CallbackResult.choices,
        "conversion_choices": ConversionTarget.choices,
        "pending_extension": next((e for e in ticket.extensions.all() if e.status == ExtensionStatus.PENDING), None),
        "query_code": format_query_code(ticket.query_code),
    }


@login_required
@require_GET
def ticket_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = _ticket(request, pk)
    return render(request, "staff/hotline/ticket.html", _ticket_context(request, ticket))


def _org_by_code(ticket: Ticket, code: str) -> Org:
    org = selectors.units_for_dispatch(ticket.org).filter(code=code.strip()).first()
    if org is None:
        raise InvalidInput(_("没有这个下级单位：%(c)s") % {"c": code[:40]}, detail={"unit": ["not_found"]})
    return org


def _dispatch(actor: Staff, t: Ticket, d: dict[str, Any]) -> object:
    assisting = [_org_by_code(t, c) for c in d["assisting"].replace("，", ",").split(",") if c.strip()]
    return services.ticket_dispatch(
        actor=actor, ticket=t, lead=_org_by_code(t, d["lead"]), assisting=assisting, note=d["note"]
    )


def _forward(actor: Staff, t: Ticket, d: dict[str, Any]) -> object:
    if t.lead_unit is None:
        raise InvalidInput(_("该工单没有承办单位。"), detail={"unit": ["none"]})
    unit = selectors.units_for_dispatch(t.lead_unit).filter(code=d["lead"].strip()).first()
    if unit is None:
        raise InvalidInput(_("没有这个下级单位：%(c)s") % {"c": d["lead"][:40]}, detail={"unit": ["not_found"]})
    return services.ticket_forward(actor=actor, ticket=t, unit=unit, note=d["note"])


def _answer(actor: Staff, t: Ticket, d: dict[str, Any]) -> object:
    article = None
    if d["article"]:
        article = KnowledgeArticle.objects.filter(pk=d["article"], org_id__in=t.org.ancestor_ids()).first()
    return services.ticket_answer_directly(actor=actor, ticket=t, answer=d["answer"], article=article)


def _decide(actor: Staff, t: Ticket, d: dict[str, Any]) -> object:
    req = ExtensionRequest.objects.filter(pk=d["request"], ticket=t).select_related("ticket").first()
    if req is None:
        raise Http404
    return services.extension_decide(actor=actor, request=req, approve=d["approve"], note=d["note"])


Action = Callable[[Staff, Ticket, dict[str, Any]], object]
ACTIONS: dict[str, tuple[type[djforms.Form], Action, str]] = {
    "dispatch": (forms.DispatchForm, _dispatch, _("已派单。")),
    "forward": (forms.DispatchForm, _forward, _("已转派。")),
    "answer": (forms.AnswerForm, _answer, _("已直接答复并办结。")),
    "accept": (djforms.Form, lambda a, t, d: services.ticket_accept(actor=a, ticket=t), _("已签收。")),
    "return": (
        forms.ReasonForm,
        lambda a, t, d: services.ticket_return(actor=a, ticket=t, reason=d["reason"]),
        _("已退单。"),
    ),
    "reply": (
        forms.TextForm,
        lambda a, t, d: services.ticket_reply(actor=a, ticket=t, content=d["content"]),
        _("已答复。"),
    ),
    "extension": (
        forms.ExtensionForm,
        lambda a, t, d: services.extension_request(actor=a, ticket=t, workdays=d["workdays"], reason=d["reason"]),
        _("已提交延期申请。"),
    ),
    "decide": (forms.DecideForm, _decide, _("已审批延期申请。")),
    "urge": (
        forms.ReasonForm,
        lambda a, t, d: services.ticket_urge(actor=a, ticket=t, note=d["reason"]),
        _("已督办。"),
    ),
    "callback": (
        forms.CallbackForm,
        lambda a, t, d: services.ticket_callback(actor=a, ticket=t, result=d["result"], note=d["note"]),
        _("已记录回访结果。"),
    ),
    "reopen": (
        forms.ReasonForm,
        lambda a, t, d: services.ticket_reopen(actor=a, ticket=t, reason=d["reason"]),
        _("已退回承办单位重办。"),
    ),
    "conclude": (
        forms.NoteForm,
        lambda a, t, d: services.ticket_conclude(actor=a, ticket=t, note=d["note"]),
        _("已办结。"),
    ),
    "convert": (
        forms.ConvertForm,
        lambda a, t, d: services.ticket_convert(
            actor=a,
            ticket=t,
            target=d["target"],
            target_ref=d["target_ref"],
            reason=d["reason"],
            target_org=_conversion_org(t, d.get("target_org")),
            applicant_name=d["applicant_name"],
            subject=d["subject"],
        ),
        _("已转入其他渠道。"),
    ),
}


@login_required
@require_POST
def ticket_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    ticket = _ticket(request, pk)
    form_class, run, done = ACTIONS[action]
    form = form_class(request.POST)
    if not form.is_valid():
        error, status = "；".join(str(e) for errs in form.errors.values() for e in errs), 400
    else:
        try:
            run(_actor(request), ticket, form.cleaned_data)
        except ApplicationError as exc:
            error, status = _error_text(exc), exc.http_status
        else:
            messages.success(request, done)
            return redirect("staff_hotline:ticket", pk=ticket.pk)
    ticket.refresh_from_db()
    context = {**_ticket_context(request, ticket), "action_error": error, "failed_action": action}
    return render(request, "staff/hotline/ticket.html", context, status=status)


@login_required
@require_GET
def bulletin(request: HttpRequest) -> HttpResponse:
    """The month's bulletin as DOCX (default: last month) for a hotline the user supervises."""
    from zhengwu.hotline.bulletin import bulletin_docx

    actor = _actor(request)
    _need(request, hp.SUPERVISE)
    orgs = list(Org.objects.filter(policies.org_q(actor, hp.SUPERVISE, field=""), is_active=True).order_by("path")[:50])
    wanted = request.GET.get("org", "")
    org = next((o for o in orgs if str(o.pk) == wanted), None) if wanted else (orgs[0] if orgs else None)
    if org is None:
        raise Http404
    default = (clock.today().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    try:
        month = dt.date.fromisoformat(f"{request.GET.get('month') or default}-01")
    except ValueError:
        return HttpResponse(_("月份无效。"), status=400, content_type="text/plain; charset=utf-8")
    data = bulletin_docx(actor=actor, org=org, month=month)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = f'attachment; filename="hotline-bulletin-{month:%Y-%m}.docx"'
    return response


# --- The knowledge base -------------------------------------------------------------------------------------
def _articles(actor: Staff) -> Any:
    return KnowledgeArticle.objects.filter(policies.org_q(actor, hp.OPERATE)).select_related("org")


@login_required
@require_http_methods(["GET", "POST"])
def knowledge_list(request: HttpRequest) -> HttpResponse:
    """The hotline's knowledge base: search, and add an article."""
    actor = _actor(request)
    _need(request, hp.OPERATE)
    hotlines = list(selectors.orgs_operated(actor)[:50])
    query = request.GET.get("q", "").strip()[:100]
    articles = _articles(actor)
    if query:
        articles = articles.filter(
            Q(title__icontains=query) | Q(keywords__icontains=query) | Q(answer__icontains=query)
        )
    form = forms.ArticleForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid() and hotlines:
            try:
                services.knowledge_article_create(
                    actor=actor,
                    org=hotlines[0],
                    **{k: form.cleaned_data[k] for k in ("title", "answer", "keywords", "kind")},
                )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
                status = exc.http_status
            else:
                messages.success(request, _("已添加知识库条目。"))
                return redirect("staff_hotline:knowledge_list")
        else:
            status = 400
    page = Paginator(articles.order_by("-use_count", "title"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "staff/hotline/knowledge_list.html", {"page": page, "query": query, "form": form}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def knowledge_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    article = _articles(actor).filter(pk=pk).first()
    if article is None:
        raise Http404
    initial = {f: getattr(article, f) for f in ("title", "keywords", "kind", "answer", "is_active")}
    form = forms.ArticleForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.knowledge_article_update(actor=actor, article=article, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
                status = exc.http_status
            else:
                messages.success(request, _("已保存。"))
                return redirect("staff_hotline:knowledge_list")
        else:
            status = 400
    return render(request, "staff/hotline/knowledge_edit.html", {"form": form, "article": article}, status=status)


# --- Settings: handling rules, card rules, Open311 keys (hotline.configure) ----------------------------------
def _field_errors(form: djforms.Form, exc: ApplicationError) -> None:
    """A service's error next to the field it names (its `detail` keys), else above the form."""
    fields = [k for k in (exc.detail or {}) if k in form.fields] if isinstance(exc.detail, dict) else []
    for name in fields:
        form.add_error(name, exc.message)
    if not fields:
        form.add_error(None, exc.message)


def _configured_org(request: HttpRequest, raw: Any) -> tuple[list[Org], Org]:
    """(the hotlines the user configures, the one asked for by id or else the first); 404 outside their scope."""
    actor = _actor(request)
    _need(request, hp.CONFIGURE)
    orgs = selectors.orgs_configured(actor)
    org = selectors.org_configurable(actor, raw) if raw not in (None, "") else (orgs[0] if orgs else None)
    if org is None:
        raise Http404
    return orgs, org


def _settings_page(
    request: HttpRequest,
    orgs: list[Org],
    org: Org,
    *,
    rule_form: djforms.Form | None = None,
    card_form: djforms.Form | None = None,
    status: int = 200,
) -> HttpResponse:
    from zhengwu.hotline.services.cards import rule_of

    card_rule = rule_of(org)
    return render(
        request,
        "staff/hotline/settings.html",
        {
            "orgs": orgs,
            "org": org,
            "rows": selectors.handling_rule_table(org),
            "rule_form": rule_form or forms.HandlingRuleForm(initial={"org": org.pk}),
            "card_form": card_form
            or forms.CardRuleForm(
                initial={
                    "org": org.pk,
                    "overdue_per_month": card_rule.overdue_per_month,
                    "yellows_per_quarter": card_rule.yellows_per_quarter,
                }
            ),
            "card_rule_own": card_rule.pk is not None,
            "tab": "settings",
        },
        status=status,
    )


@login_required
@require_GET
def hotline_settings(request: HttpRequest) -> HttpResponse:
    """A hotline's handling time limits (kind × urgency, with where each comes from) and its card rule."""
    orgs, org = _configured_org(request, request.GET.get("org"))
    return _settings_page(request, orgs, org)


@login_required
@require_POST
def settings_rule(request: HttpRequest) -> HttpResponse:
    """Set (or clear back to the inherited/default) one handling time limit."""
    orgs, org = _configured_org(request, request.POST.get("org"))
    form = forms.HandlingRuleForm(request.POST)
    if not form.is_valid():
        return _settings_page(request, orgs, org, rule_form=form, status=400)
    d = form.cleaned_data
    try:
        if d["clear"]:
            services.handling_rule_clear(actor=_actor(request), org=org, kind=d["kind"], urgency=d["urgency"])
        else:
            services.handling_rule_set(
                actor=_actor(request), org=org, kind=d["kind"], urgency=d["urgency"], limit=d["limit"], unit=d["unit"]
            )
    except ApplicationError as exc:
        _field_errors(form, exc)
        return _settings_page(request, orgs, org, rule_form=form, status=exc.http_status)
    messages.success(request, _("办理时限已保存，适用于此后登记的工单。"))
    return redirect(f"{reverse('staff_hotline:settings')}?org={org.pk}")


@login_required
@require_POST
def settings_cards(request: HttpRequest) -> HttpResponse:
    """Set the yellow/red card thresholds."""
    orgs, org = _configured_org(request, request.POST.get("org"))
    form = forms.CardRuleForm(request.POST)
    if not form.is_valid():
        return _settings_page(request, orgs, org, card_form=form, status=400)
    try:
        services.card_rule_set(
            actor=_actor(request),
            org=org,
            overdue_per_month=form.cleaned_data["overdue_per_month"],
            yellows_per_quarter=form.cleaned_data["yellows_per_quarter"],
        )
    except ApplicationError as exc:
        _field_errors(form, exc)
        return _settings_page(request, orgs, org, card_form=form, status=exc.http_status)
    messages.success(request, _("亮牌规则已保存，下次评定时适用。"))
    return redirect(f"{reverse('staff_hotline:settings')}?org={org.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def api_clients(request: HttpRequest) -> HttpResponse:
    """Open311 client apps of a hotline: their keys masked (only a prefix is kept), issuing a new key (shown
    once), revoking."""
    raw = request.POST.get("org") if request.method == "POST" else request.GET.get("org")
    orgs, org = _configured_org(request, raw)
    form = forms.ApiClientForm(request.POST or None, initial={"org": org.pk})
    issued: tuple[Any, str] | None = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                issued = services.api_client_create(
                    actor=_actor(request), org=org, name=form.cleaned_data["name"], channel=form.cleaned_data["channel"]
                )
            except ApplicationError as exc:
                _field_errors(form, exc)
                status = exc.http_status
            else:
                form = forms.ApiClientForm(initial={"org": org.pk})
        else:
            status = 400
    clients = ApiClient.objects.filter(org=org).order_by("-is_active", "-created_at")
    return render(
        request,
        "staff/hotline/api_clients.html",
        {
            "orgs": orgs,
            "org": org,
            "form": form,
            "clients": clients,
            "issued": issued,
            "revoke_form": forms.RevokeForm(),
            "tab": "settings",
        },
        status=status,
    )


@login_required
@require_POST
def api_client_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    _need(request, hp.CONFIGURE)
    client = ApiClient.objects.filter(policies.org_q(actor, hp.CONFIGURE), pk=pk).select_related("org").first()
    if client is None:
        raise Http404
    form = forms.RevokeForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.api_client_revoke(actor=actor, client=client, reason=reason)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已停用接入密钥 %(p)s…。") % {"p": client.key_prefix})
    return redirect(f"{reverse('staff_hotline:api_clients')}?org={client.org_id}")
