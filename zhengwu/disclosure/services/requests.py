"""Use-cases of a request for information, from intake to reply: every legal step a transition with its document."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from zhengwu.core import clock as core_clock
from zhengwu.core.audit import record_event
from zhengwu.core.errors import Conflict, InvalidInput
from zhengwu.core.masking import ID_NUMBER_RE, id_number_valid
from zhengwu.core.querycode import format_query_code
from zhengwu.core.transitions import transition
from zhengwu.disclosure import documents, fees
from zhengwu.disclosure.models import (
    Clarification,
    Consultation,
    DisclosureRequest,
    Extension,
    FeeNotice,
    Reply,
    RequestDocument,
)
from zhengwu.disclosure.models.request import (
    CLARIFY_WITHIN_WORKDAYS,
    CONSULTATION_WORKDAYS,
    FEE_PAY_WORKDAYS,
    MAX_EXTENSION_WORKDAYS,
)
from zhengwu.disclosure.services.clock import receipt_date, request_clock, request_due_refresh
from zhengwu.disclosure.services.templates import document_template_bytes
from zhengwu.disclosure.states import (
    OPEN,
    REPLY_OUTCOMES,
    TRANSITIONS,
    ApplicantKind,
    Channel,
    DeliveryForm,
    DocumentKind,
    FeeMethod,
    Outcome,
    RequestStatus,
)
from zhengwu.orgs import policies
from zhengwu.workdays import add_workdays

if TYPE_CHECKING:
    from zhengwu.orgs.models import Org, Staff

S = RequestStatus
CLARIFICATION_PERIOD_WORKDAYS = 10  # the default "reasonable period" stated in the notice; the officer may change it


# --- helpers --------------------------------------------------------------------------------------------------
def _fresh(request: DisclosureRequest) -> DisclosureRequest:
    return DisclosureRequest.objects.select_related("org__division").get(pk=request.pk)


def _move(
    request: DisclosureRequest,
    *,
    to: RequestStatus,
    actor: Staff | None,
    action: str,
    expected: str | None,
    changes: dict[str, Any] | None = None,
    reason: str = "",
) -> DisclosureRequest:
    return transition(
        request,
        to=to,
        transitions=TRANSITIONS,
        actor=actor,
        action=action,
        expected=expected,
        changes=changes,
        reason=reason,
    )


def _lock_open(request: DisclosureRequest, *, expected: str | None, allowed: frozenset[str]) -> DisclosureRequest:
    """Lock the row for a step that records data without a status change; same concurrency rule as a transition."""
    locked = (
        DisclosureRequest.objects.select_for_update(of=("self",)).select_related("org__division").get(pk=request.pk)
    )
    if expected is not None and locked.status != expected:
        raise Conflict(
            _("该申请已被他人处理（当前状态：%(s)s），请刷新后再试。") % {"s": locked.get_status_display()},
            detail={"status": locked.status},
        )
    if locked.status not in allowed:
        raise Conflict(
            _("当前状态“%(s)s”下不能执行该操作。") % {"s": locked.get_status_display()},
            code="transition_not_allowed",
            detail={"status": locked.status},
        )
    return locked


def _check_day(day: dt.date, field: str, *, not_before: dt.date | None = None, label: str = "") -> None:
    if day > core_clock.today():
        raise InvalidInput(_("日期不能晚于今天：%(d)s") % {"d": day}, detail={field: ["future"]})
    if not_before is not None and day < not_before:
        raise InvalidInput(
            _("%(what)s不能早于 %(d)s。") % {"what": label or field, "d": not_before}, detail={field: ["too_early"]}
        )


def _next_ref(org: Org, year: int) -> str:
    """YSQ-<year>-<nnnn>, the next number in the org's year (the caller holds the org's row lock)."""
    prefix = f"YSQ-{year}-"
    refs = DisclosureRequest.objects.filter(org=org, ref__startswith=prefix).values_list("ref", flat=True)
    numbers = [int(r[len(prefix) :]) for r in refs if r[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def _validate_applicant(*, applicant_kind: str, applicant_name: str, id_number: str, subject: str) -> None:
    problems: dict[str, list[str]] = {}
    if applicant_kind not in ApplicantKind.values:
        problems["applicant_kind"] = [_("未知的申请人类型")]
    if not applicant_name.strip():
        problems["applicant_name"] = [_("请填写申请人姓名或名称")]
    if not subject.strip():
        problems["subject"] = [_("请填写所需政府信息的名称、文号或便于查询的其他特征性描述")]
    if id_number and ID_NUMBER_RE.fullmatch(id_number) and not id_number_valid(id_number):
        problems["id_number"] = [_("身份证号码校验位不正确")]
    if problems:
        raise InvalidInput(_("申请信息不完整或有误。"), detail=problems)


def document_issue(
    *,
    request: DisclosureRequest,
    kind: str,
    issued_on: dt.date,
    actor: Staff | None = None,
    extra: dict[str, Any] | None = None,
) -> RequestDocument:
    """Render and store one document of the request (inside the step's transaction)."""
    request = _fresh(request)
    clock = request_clock(request)
    values: dict[str, str] = {
        "org_name": request.org.name,
        "title": str(DocumentKind(kind).label),
        "doc_no": f"{request.ref}-{kind}",
        "applicant_name": request.applicant_name,
        "ref": request.ref,
        "query_code": format_query_code(request.query_code),
        "subject": request.subject,
        "received_on": _cn(request.received_on),
        "due_on": _cn(clock.due_on) if clock is not None else "",
        "issued_on": _cn(issued_on),
        **{k: _cn(v) if isinstance(v, dt.date) else str(v) for k, v in (extra or {}).items()},
    }
    data = documents.render_docx(kind, values, template=document_template_bytes(org=request.org, kind=kind))
    doc = RequestDocument(request=request, kind=kind, issued_on=issued_on)
    doc.file.save(f"{request.ref}-{kind}-{issued_on:%Y%m%d}.docx", ContentFile(data), save=False)
    doc.save()
    record_event(
        actor=actor,
        action="disclosure.document_issue",
        obj=request,
        new={"kind": kind, "document": doc.pk, "issued_on": issued_on},
    )
    return doc


def _cn(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


# --- intake ---------------------------------------------------------------------------------------------------
def request_submit(
    *,
    org: Org,
    client_token: str,
    applicant_kind: str,
    applicant_name: str,
    subject: str,
    id_number: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    contact_address: str = "",
    purpose: str = "",
    delivery_form: str = DeliveryForm.PAPER,
) -> tuple[DisclosureRequest, bool]:
    """A citizen's online request (public, no account). Idempotent by `client_token`: a retried submission returns
    the request made the first time (created=False) and never creates a second one.

    条例第三十一条(三): an online request counts as received on the day both sides confirm it, so it waits in
    `submitted` until the office acknowledges it.
    """
    token = client_token.strip()
    if not 16 <= len(token) <= 64:
        raise InvalidInput(_("提交令牌无效。"), detail={"client_token": ["invalid"]})
    existing = DisclosureRequest.objects.filter(client_token=token).first()
    if existing is not None:
        return _same_submission(existing, org=org, applicant_name=applicant_name, subject=subject), False
    _validate_applicant(
        applicant_kind=applicant_kind, applicant_name=applicant_name, id_number=id_number, subject=subject
    )
    if delivery_form not in DeliveryForm.values:
        raise InvalidInput(_("未知的获取信息方式"), detail={"delivery_form": ["invalid"]})
    if not (contact_phone or contact_email or contact_address):
        raise InvalidInput(_("请至少填写一种联系方式。"), detail={"contact_phone": ["required"]})
    today = core_clock.today()
    try:
        with transaction.atomic():
            from zhengwu.orgs.models import Org as OrgModel

            OrgModel.objects.select_for_update().get(pk=org.pk)
            request = DisclosureRequest.objects.create(
                org=org,
                ref=_next_ref(org, today.year),
                client_token=token,
                status=S.SUBMITTED,
                applicant_kind=applicant_kind,
                applicant_name=applicant_name.strip(),
                id_number=id_number.strip().upper(),
                contact_phone=contact_phone.strip(),
                contact_email=contact_email.strip(),
                contact_address=contact_address.strip(),
                channel=Channel.ONLINE,
                submitted_on=today,
                subject=subject.strip(),
                purpose=purpose.strip(),
                delivery_form=delivery_form,
            )
            record_event(
                actor=None,
                action="disclosure.request_submit",
                obj=request,
                new={"ref": request.ref, "channel": "online"},
            )
    except IntegrityError:
        # The same token raced in twice: the first one won, this answer is that request.
        existing = DisclosureRequest.objects.filter(client_token=token).first()
        if existing is None:
            raise
        return _same_submission(existing, org=org, applicant_name=applicant_name, subject=subject), False
    return request, True


def _same_submission(existing: DisclosureRequest, *, org: Org, applicant_name: str, subject: str) -> DisclosureRequest:
    if (
        existing.org_id != org.pk
        or existing.applicant_name != applicant_name.strip()
        or existing.subject != subject.strip()
    ):
        raise Conflict(
            _("该提交令牌已用于另一份申请；请刷新页面后重新提交。"), code="idempotency_conflict", detail=None
        )
    return existing


def request_register(
    *,
    actor: Staff | None,
    org: Org,
    channel: str,
    applicant_kind: str,
    applicant_name: str,
    subject: str,
    submitted_on: dt.date | None = None,
    signed_on: dt.date | None = None,
    confirmed_on: dt.date | None = None,
    id_number: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    contact_address: str = "",
    purpose: str = "",
    delivery_form: str = DeliveryForm.PAPER,
    ref: str = "",
) -> DisclosureRequest:
    """Staff register a request handed in, mailed, faxed or otherwise; received_on follows 条例第三十一条."""
    policies.require(actor, "disclosure.handle", org)
    if channel not in Channel.values:
        raise InvalidInput(_("未知的申请方式"), detail={"channel": ["invalid"]})
    _validate_applicant(
        applicant_kind=applicant_kind, applicant_name=applicant_name, id_number=id_number, subject=subject
    )
    received_on = receipt_date(
        channel=channel, submitted_on=submitted_on, signed_on=signed_on, confirmed_on=confirmed_on
    )
    _check_day(received_on, "received_on")
    with transaction.atomic():
        from zhengwu.orgs.models import Org as OrgModel

        OrgModel.objects.select_for_update().get(pk=org.pk)
        ref = ref.strip() or _next_ref(org, received_on.year)
        if DisclosureRequest.objects.filter(org=org, ref=ref).exists():
            raise InvalidInput(_("编号已存在：%(r)s") % {"r": ref}, detail={"ref": ["duplicate"]})
        request = DisclosureRequest.objects.create(
            org=org,
            ref=ref,
            status=S.PROCESSING,
            applicant_kind=applicant_kind,
            applicant_name=applicant_name.strip(),
            id_number=id_number.strip().upper(),
            contact_phone=contact_phone.strip(),
            contact_email=contact_email.strip(),
            contact_address=contact_address.strip(),
            channel=channel,
            submitted_on=submitted_on or received_on,
            received_on=received_on,
            subject=subject.strip(),
            purpose=purpose.strip(),
            delivery_form=delivery_form,
        )
        record_event(
            actor=actor,
            action="disclosure.request_register",
            obj=request,
            new={"ref": ref, "channel": channel, "received_on": received_on},
        )
        request_due_refresh(_fresh(request))
    return _fresh(request)


def request_acknowledge(
    *, request: DisclosureRequest, actor: Staff | None, confirmed_on: dt.date | None = None, expected: str | None = None
) -> DisclosureRequest:
    """Confirm receipt (an online request now counts as received) and issue the acknowledgement (登记回执)."""
    policies.require(actor, "disclosure.handle", request)
    day = confirmed_on or core_clock.today()
    with transaction.atomic():
        if request.status == S.SUBMITTED:
            _check_day(day, "confirmed_on", not_before=request.submitted_on, label=_("确认日期"))
            request = _move(
                request,
                to=S.PROCESSING,
                actor=actor,
                action="disclosure.request_acknowledge",
                expected=expected,
                changes={"received_on": day, "acknowledged_on": day},
            )
        else:
            locked = _lock_open(request, expected=expected, allowed=frozenset({S.PROCESSING}))
            if locked.acknowledged_on is not None:
                raise Conflict(_("已出具登记回执。"), code="already_acknowledged")
            locked.acknowledged_on = day
            locked.save(update_fields=["acknowledged_on", "updated_at"])
            record_event(actor=actor, action="disclosure.request_acknowledge", obj=locked, new={"acknowledged_on": day})
            request = locked
        request_due_refresh(_fresh(request))
        document_issue(actor=actor, request=request, kind=DocumentKind.ACKNOWLEDGEMENT, issued_on=day)
    return _fresh(request)


# --- clarification (补正) -------------------------------------------------------------------------------------
def request_ask_clarification(
    *,
    request: DisclosureRequest,
    actor: Staff | None,
    items: str,
    sent_on: dt.date | None = None,
    deadline: dt.date | None = None,
    expected: str | None = None,
) -> DisclosureRequest:
    """条例第二十九条: ask, within 7 workdays of receipt, for the request to be made precise, once."""
    policies.require(actor, "disclosure.handle", request)
    sent_on = sent_on or core_clock.today()
    if not items.strip():
        raise InvalidInput(_("请写明需要补正的事项。"), detail={"items": ["required"]})
    with transaction.atomic():
        fresh = _fresh(request)
        if fresh.received_on is not None:
            _check_day(sent_on, "sent_on", not_before=fresh.received_on, label=_("补正告知日期"))
            latest = add_workdays(fresh.received_on, CLARIFY_WITHIN_WORKDAYS)
            if sent_on > latest:
                raise InvalidInput(
                    _("补正告知应在收到申请之日起 7 个工作日内（%(d)s 前）一次性发出。") % {"d": latest},
                    code="clarification_too_late",
                    detail={"sent_on": ["too_late"], "latest": latest.isoformat()},
                )
        if fresh.clarifications.exists():
            raise Conflict(_("补正告知只能一次性发出。"), code="clarification_once")
        deadline = deadline or add_workdays(sent_on, CLARIFICATION_PERIOD_WORKDAYS)
        if deadline <= sent_on:
            raise InvalidInput(_("补正期限应晚于告知日期。"), detail={"deadline": ["too_early"]})
        request = _move(
            request, to=S.CLARIFYING, actor=actor, action="disclosure.request_ask_clarification", expected=expected
        )
        Clarification.objects.create(request=request, sent_on=sent_on, deadline=deadline, items=items.strip())
        request_due_refresh(_fresh(request))
        document_issue(
            actor=actor,
            request=request,
            kind=DocumentKind.CLARIFICATION,
            issued_on=sent_on,
            extra={"items": items, "deadline": deadline},
        )
    return _fresh(request)


def request_receive_clarification(
    *,
    request: DisclosureRequest,
    actor: Staff | None,
    received_on: dt.date | None = None,
    clarified_subject: str = "",
    expected: str | None = None,
) -> DisclosureRequest:
    """The clarified request arrives: the 20 workdays count again in full from this day (Restart)."""
    policies.require(actor, "disclosure.handle", request)
    received_on = received_on or core_clock.today()
    with transaction.atomic():
        clar = Clarification.objects.select_for_update().filter(request=request, received_on__isnull=True).last()
        if clar is None:
            raise Conflict(_("没有待补正的告知。"), code="transition_not_allowed")
        _check_day(received_on, "received_on", not_before=clar.sent_on, label=_("收到补正日期"))
        request = _move(
            request,
            to=S.PROCESSING,
            actor=actor,
            action="disclosure.request_receive_clarification",
            expected=expected,
            reason=_("收到补正 %(d)s") % {"d": received_on},
        )
        clar.received_on = received_on
        clar.clarified_subject = clarified_subject.strip()
        clar.save(update_fields=["received_on", "clarified_subject", "updated_at"])
        request_due_refresh(_fresh(request))
    return _fresh(request)


def request_close_unclarified(
    *, request: DisclosureRequest, actor: Staff | None, expected: str | None = None
) -> DisclosureRequest:
    """No clarification by the stated deadline: concluded `other.no_clarification` (条例第三十条)."""
    policies.require(actor, "disclosure.handle", request)
    today = core_clock.today()
    clar = request.clarifications.filter(received_on__isnull=True).last()
    if clar is None:
        raise Conflict(_("没有待补正的告知。"), code="transition_not_allowed")
    if today <= clar.deadline:
        raise Conflict(
            _("补正期限 %(d)s 尚未届满，不能按逾期不补正办结。") % {"d": clar.deadline}, code="deadline_not_passed"
        )
    return _conclude(
        request,
        actor=actor,
        outcome=Outcome.OTHER_NO_CLARIFICATION,
        legal_basis=_("《中华人民共和国政府信息公开条例》第三十条"),
        replied_on=today,
        expected=expected,
        action="disclosure.request_close_unclarified",
    )


# --- third-party consultation (征求意见) -----------------------------------------------------------------------
def request_start_consultation(
    *,
    request: DisclosureRequest,
    actor: Staff | None,
    third_party: str,
    from_on: dt.date | None = None,
    expected: str | None = None,
) -> DisclosureRequest:
    """条例第三十二条: ask a third party (15 workdays to answer); the reply clock is paused meanwhile."""
    policies.require(actor, "disclosure.handle", request)
    from_on = from_on or core_clock.today()
    if not third_party.strip():
        raise InvalidInput(_("请填写第三方名称。"), detail={"third_party": ["required"]})
    with transaction.atomic():
        fresh = _fresh(request)
        _check_day(from_on, "from_on", not_before=fresh.received_on, label=_("征求意见日期"))
        deadline = add_workdays(from_on, CONSULTATION_WORKDAYS)
        request = _move(
            request, to=S.CONSULTING, actor=actor, action="disclosure.request_start_consultation", expected=expected
        )
        Consultation.objects.create(
            request=request, third_party=third_party.strip(), from_on=from_on, deadline=deadline
        )
        request_due_refresh(_fresh(request))
        document_issue(
            actor=actor,
            request=request,
            kind=DocumentKind.CONSULTATION,
            issued_on=from_on,
            extra={"third_party": third_party.strip(), "deadline": deadline},
        )
    return _fresh(request)


def request_end_consultation(
    *,
    request: DisclosureRequest,
    actor: Staff | None,
    to_on: dt.date | None = None,
    opinion: str = "",
    expected: str | None = None,
) -> DisclosureRequest:
    """The third party answered (or its 15 workdays passed): the clock runs again."""
    policies.require(actor, "disclosure.handle", request)
    to_on = to_on or core_clock.today()
    with transaction.atomic():
        cons = Consultation.objects.select_for_update().filter(request=request, to_on__isnull=True).last()
        if cons is None:
            raise Conflict(_("没有进行中的征求意见。"), code="transition_not_allowed")
        _check_day(to_on, "to_on", not_before=cons.from_on, label=_("征求意见止"))
        request = _move(
            request, to=S.PROCESSING, actor=actor, action="disclosure.request_end_consultation", expected=expected
        )
        cons.to_on = to_on
        cons.opinion = opinion.strip()
        cons.save(update_fields=["to_on", "opinion", "updated_at"])
        request_due_refresh(_fresh(request))
    return _fresh(request)


# --- extension (延期) -------------------------------------------------------------------------------------------
def request_extend(
    *,
    request: DisclosureRequest,
    actor: Staff | None,
    workdays: int,
    approved_by: str,
    reason: str,
    granted_on: dt.date | None = None,
    expected: str | None = None,
) -> DisclosureRequest:
    """条例第三十三条第二款: at most 20 workdays in all, approved by the office head, granted before the due date."""
    policies.require(actor, "disclosure.handle", request)
    granted_on = granted_on or core_clock.today()
    if not approved_by.strip():
        raise InvalidInput(_("请填写批准延期的负责人。"), detail={"approved_by": ["required"]})
    if not reason.strip():
        raise InvalidInput(_("请填写延期理由。"), detail={"reason": ["required"]})
    with transaction.atomic():
        locked = _lock_open(request, expected=expected, allowed=frozenset({S.PROCESSING, S.CONSULTING, S.AWAITING_FEE}))
        clock = request_clock(locked, today=granted_on)
        assert clock is not None
        _check_day(granted_on, "granted_on", not_before=clock.counting_from, label=_("批准日期"))
        used = sum(e.workdays for e in clock.effective_extensions())
        if not 1 <= workdays <= MAX_EXTENSION_WORKDAYS - used:
            raise InvalidInput(
                _("延期不得超过 20 个工作日（已延期 %(u)s 个工作日）。") % {"u": used},
                code="extension_too_long",
                detail={"workdays": ["out_of_range"]},
            )
        if granted_on > clock.due_on:
            raise InvalidInput(
                _("答复期限 %(d)s 已过，不能再延期。") % {"d": clock.due_on},
                code="extension_too_late",
                detail={"granted_on": ["after_due"]},
            )
        ext = Extension.objects.create(
            request=locked,
            workdays=workdays,
            granted_on=granted_on,
            approved_by=approved_by.strip(),
            reason=reason.strip(),
        )
        old_due = locked.due_on
        new_due = request_due_refresh(_fresh(locked))
        record_event(
            actor=actor,
            action="disclosure.request_extend",
            obj=locked,
            old={"due_on": old_due},
            new={"due_on": new_due, "workdays": workdays, "approved_by": ext.approved_by},
            reason=ext.reason,
        )
        document_issue(
            actor=actor,
            request=locked,
            kind=DocumentKind.EXTENSION,
            issued_on=granted_on,
            extra={"workdays": workdays, "approved_by": ext.approved_by, "reason": ext.reason},
        )
    return _fresh(locked)


# --- fees (spec/fees.md) ------------------------------------------------------------------------------------------
def request_nth_in_month(request: DisclosureRequest) -> int:
    """The request's place among the applicant's requests to this org in its month of receipt (ties by ref)."""
    if request.received_on is None:
        raise InvalidInput(_("申请尚未确认收到。"), detail={"received_on": ["required"]})
    month_start = request.received_on.replace(day=1)
    same = DisclosureRequest.objects.filter(
        org_id=request.org_id,
        applicant_name=request.applicant_name,
        id_number=request.id_number,
        received_on__gte=month_start,
        received_on__lte=request.received_on,
    ).exclude(status=S.TRANSFERRED)
    earlier = same.filter(received_on__lt=request.received_on).count()
    same_day = sorted(same.filter(received_on=request.received_on).values_list("ref", flat=True))
    return earlier + same_day.index(request.ref) + 1


def request_fee(request: DisclosureRequest, *, method: str, pages: int | None = None) -> tuple[int, Decimal]:
    """(basis, amount): the n-th request this month and its per-request fee, or the pages and the per-volume fee."""
    if method == FeeMethod.PER_REQUEST:
        nth = request_nth_in_month(request)
        return nth, fees.per_request_fee(nth)
    if method == FeeMethod.PER_VOLUME:
        if pages is None:
            raise InvalidInput(_("按量计收须填写页数。"), detail={"pages": ["required"]})
        return pages, fees.per_volume_fee(pages)
    raise InvalidInput(_("未知的计收方式"), detail={"method": ["invalid"]})


def fee_notice_issue(
    *,
    request: DisclosureRequest,
    actor: Staff | None,
    method: str,
    pages: int | None = None,
    issued_on: dt.date | None = None,
    expected: str | None = None,
) -> DisclosureRequest:
    """Send a fee notice (paused until paid; 20 workdays to pay). A zero fee needs no notice."""
    policies.require(actor, "disclosure.handle", request)
    issued_on = issued_on or core_clock.today()
    with transaction.atomic():
        fresh = _fresh(request)
        _check_day(issued_on, "issued_on", not_before=fresh.received_on, label=_("通知日期"))
        basis, amount = request_fee(fresh, method=method, pages=pages)
        if amount <= 0:
            raise InvalidInput(_("按该方式计算的费用为 0 元，无需收费。"), code="fee_zero", detail={"amount": ["zero"]})
        pay_by = add_workdays(issued_on, FEE_PAY_WORKDAYS)
        request = _move(
            request,
            to=S.AWAITING_FEE,
            actor=actor,
            action="disclosure.fee_notice_issue",
            expected=expected,
            changes={"fee_yuan": amount},
        )
        FeeNotice.objects.create(
            request=request, method=method, basis=basis, amount=amount, issued_on=issued_on, pay_by=pay_by
        )
        request_due_refresh(_fresh(request))
        document_issue(
            actor=actor,
            request=request,
            kind=DocumentKind.FEE_NOTICE,
            issued_on=issued_on,
            extra={
                "method": FeeMethod(method).label,
                "basis": _("本月第 %(n)s 件申请") % {"n": basis}
                if method == FeeMethod.PER_REQUEST
                else _("%(n)s 页") % {"n": basis},
                "amount": f"{amount:.2f}",
                "pay_by": pay_by,
            },
        )
    return _fresh(request)


def _open_fee_notice(request: DisclosureRequest) -> FeeNotice:
    notice = (
        FeeNotice.objects.select_for_update()
        .filter(request=request, paid_on__isnull=True, waived_on__isnull=True)
        .last()
    )
    if notice is None:
        raise Conflict(_("没有待缴费的收费通知。"), code="transition_not_allowed")
    return notice


def fee_notice_pay(
    *, request: DisclosureRequest, actor: Staff | None, paid_on: dt.date | None = None, expected: str | None = None
) -> DisclosureRequest:
    policies.require(actor, "disclosure.handle", request)
    paid_on = paid_on or core_clock.today()
    with transaction.atomic():
        notice = _open_fee_notice(request)
        _check_day(paid_on, "paid_on", not_before=notice.issued_on, label=_("缴费日期"))
        if paid_on > notice.pay_by:
            raise InvalidInput(
                _("缴费期限 %(d)s 已过，申请视为撤回。") % {"d": notice.pay_by},
                code="fee_overdue",
                detail={"paid_on": ["after_pay_by"]},
            )
        request = _move(request, to=S.PROCESSING, actor=actor, action="disclosure.fee_notice_pay", expected=expected)
        notice.paid_on = paid_on
        notice.save(update_fields=["paid_on", "updated_at"])
        request_due_refresh(_fresh(request))
    return _fresh(request)


def fee_notice_waive(
    *,
    request: DisclosureRequest,
    actor: Staff | None,
    reason: str,
    waived_on: dt.date | None = None,
    expected: str | None = None,
) -> DisclosureRequest:
    """The org waives the fee (spec/fees.md: reduction or waiver, with its reason recorded)."""
    policies.require(actor, "disclosure.handle", request)
    waived_on = waived_on or core_clock.today()
    if not reason.strip():
        raise InvalidInput(_("请填写减免理由。"), detail={"reason": ["required"]})
    with transaction.atomic():
        notice = _open_fee_notice(request)
        _check_day(waived_on, "waived_on", not_before=notice.issued_on, label=_("减免日期"))
        request = _move(
            request,
            to=S.PROCESSING,
            actor=actor,
            action="disclosure.fee_notice_waive",
            expected=expected,
            changes={"fee_yuan": Decimal("0.00")},
            reason=reason.strip(),
        )
        notice.waived_on = waived_on
        notice.waived_reason = reason.strip()
        notice.save(update_fields=["waived_on", "waived_reason", "updated_at"])
        request_due_refresh(_fresh(request))
    return _fresh(request)


def request_close_fee_unpaid(
    *, request: DisclosureRequest, actor: Staff | None, expected: str | None = None
) -> DisclosureRequest:
    """Unpaid 20 workdays after the notice: deemed withdrawn, concluded `other.fee_unpaid`."""
    policies.require(actor, "disclosure.handle", request)
    today = core_clock.today()
    notice = request.fee_notices.filter(paid_on__isnull=True, waived_on__isnull=True).last()
    if notice is None:
        raise Conflict(_("没有待缴费的收费通知。"), code="transition_not_allowed")
    if today <= notice.pay_by:
        raise Conflict(
            _("缴费期限 %(d)s 尚未届满，不能按逾期未缴费办结。") % {"d": notice.pay_by}, code="deadline_not_passed"
        )
    return _conclude(
        request,
        actor=actor,
        outcome=Outcome.OTHER_FEE_UNPAID,
        legal_basis=_("《政府信息公开信息处理费管理办法》第八条"),
        replied_on=today,
        expected=expected,
        action="disclosure.request_close_fee_unpaid",
        fee_yuan=None,
    )


# --- reply and transfer -------------------------------------------------------------------------------------------
_UNSET: Any = object()


def _conclude(
    request: DisclosureRequest,
    *,
    actor: Staff | None,
    outcome: str,
    legal_basis: str,
    replied_on: dt.date,
    expected: str | None,
    action: str,
    delivered_items: str = "",
    fee_yuan: Any = _UNSET,
) -> DisclosureRequest:
    with transaction.atomic():
        fresh = _fresh(request)
        _check_day(replied_on, "replied_on", not_before=fresh.received_on, label=_("答复日期"))
        clock = request_clock(fresh, today=replied_on)
        late = clock is not None and clock.state(done_on=replied_on).value == "overdue"
        changes: dict[str, Any] = {"outcome": outcome, "replied_on": replied_on}
        if fee_yuan is not _UNSET:
            changes["fee_yuan"] = fee_yuan
        request = _move(request, to=S.REPLIED, actor=actor, action=action, expected=expected, changes=changes)
        Reply.objects.create(
            request=request,
            outcome=outcome,
            legal_basis=legal_basis,
            delivered_items=delivered_items,
            replied_on=replied_on,
            late=late,
        )
        request_due_refresh(_fresh(request))
    return _fresh(request)


def request_reply(
    *,
    request: DisclosureRequest,
    actor: Staff | None,
    outcome: str,
    legal_basis: str,
    delivered_items: str = "",
    replied_on: dt.date | None = None,
    expected: str | None = None,
) -> DisclosureRequest:
    """The reply letter (答复书): exactly one outcome code with its legal basis. A late reply is marked late."""
    policies.require(actor, "disclosure.handle", request)
    if outcome not in REPLY_OUTCOMES:
        raise InvalidInput(_("请选择一个办理结果。"), detail={"outcome": ["invalid"]})
    if not legal_basis.strip():
        raise InvalidInput(_("请填写答复的法律依据。"), detail={"legal_basis": ["required"]})
    if outcome in {Outcome.OPEN, Outcome.PARTIAL} and not delivered_items.strip():
        raise InvalidInput(_("予以公开或部分公开的，请写明提供的信息。"), detail={"delivered_items": ["required"]})
    replied_on = replied_on or core_clock.today()
    with transaction.atomic():
        request = _conclude(
            request,
            actor=actor,
            outcome=outcome,
            legal_basis=legal_basis.strip(),
            replied_on=replied_on,
            expected=expected,
            action="disclosure.request_reply",
            delivered_items=delivered_items.strip(),
        )
        document_issue(
            actor=actor,
            request=request,
            kind=DocumentKind.REPLY,
            issued_on=replied_on,
            extra={
                "outcome": Outcome(outcome).label,
                "legal_basis": legal_basis.strip(),
                "delivered_items": delivered_items.strip() or "—",
            },
        )
    return _fresh(request)


def request_transfer(
    *, request: DisclosureRequest, actor: Staff | None, to_org: Org, reason: str, expected: str | None = None
) -> DisclosureRequest:
    """Hand the request to the responsible org: this one ends `transferred` with its steps and events (its history);
    a new request there links back to it and counts from the day it arrives. Needs `disclosure.handle` here only."""
    policies.require(actor, "disclosure.handle", request)
    if to_org.pk == request.org_id:
        raise InvalidInput(_("不能转办给本机关。"), detail={"to_org": ["same"]})
    if not reason.strip():
        raise InvalidInput(_("请填写转办理由。"), detail={"reason": ["required"]})
    with transaction.atomic():
        fresh = _fresh(request)
        if fresh.status not in OPEN:
            raise Conflict(_("申请已办结，不能转办。"), code="transition_not_allowed")
        moved = _move(
            request,
            to=S.TRANSFERRED,
            actor=actor,
            action="disclosure.request_transfer",
            expected=expected,
            reason=reason.strip(),
        )
        from zhengwu.orgs.models import Org as OrgModel

        OrgModel.objects.select_for_update().get(pk=to_org.pk)
        today = core_clock.today()
        received = fresh.received_on
        new = DisclosureRequest.objects.create(
            org=to_org,
            ref=_next_ref(to_org, (received or today).year),
            status=S.PROCESSING if received else S.SUBMITTED,
            applicant_kind=fresh.applicant_kind,
            applicant_name=fresh.applicant_name,
            id_number=fresh.id_number,
            contact_phone=fresh.contact_phone,
            contact_email=fresh.contact_email,
            contact_address=fresh.contact_address,
            channel=fresh.channel,
            submitted_on=fresh.submitted_on,
            # The receiving org counts from the day it gets the request.
            received_on=today if received else None,
            subject=fresh.subject,
            purpose=fresh.purpose,
            delivery_form=fresh.delivery_form,
            transferred_from=moved,
        )
        record_event(
            actor=actor,
            action="disclosure.request_transfer_in",
            obj=new,
            new={"ref": new.ref, "from_org": fresh.org.code, "from_ref": fresh.ref},
            reason=reason.strip(),
        )
        request_due_refresh(_fresh(new))
    return _fresh(new)
