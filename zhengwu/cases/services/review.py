"""Review and handling: accept or reject, ask for corrections, special procedures, extensions, steps, conclusion.

Every status change goes through `transition(..., expected=...)`: the status the actor saw. When two staff act on
the same case at once, the first wins and the second gets a Conflict; nothing of the second is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from zhengwu.cases.models import Case, CaseExtension, CasePause, CaseStep, Correction
from zhengwu.cases.notifications import Message, notify_after_commit
from zhengwu.cases.policies import require_case
from zhengwu.cases.services.clock import _division_code, stored_dates, warning_from
from zhengwu.cases.states import CLOCKED, TRANSITIONS, CaseStatus, Channel, Decision, ProcedureKind
from zhengwu.cases.work_facts import accept_facts, conclude_facts
from zhengwu.catalog.models import Mode, ServiceItem
from zhengwu.core import clock
from zhengwu.core.audit import record_event
from zhengwu.core.errors import Conflict, InvalidInput
from zhengwu.core.querycode import format_query_code
from zhengwu.core.transitions import audited_update, transition
from zhengwu.workdays import Clock

if TYPE_CHECKING:
    from zhengwu.orgs.models import Org, Staff

MAX_EXTENSION_WORKDAYS = 30


def _lock(case: Case, expected: str | None) -> Case:
    """The row under lock, refusing a stale actor before anything else is written."""
    fresh = Case.objects.select_for_update(of=("self",)).select_related("org", "org__division").get(pk=case.pk)
    seen = expected or case.status
    if fresh.status != seen:
        raise Conflict(
            _("该办件已被他人处理（当前状态：%(status)s），请刷新后再试。") % {"status": fresh.get_status_display()},
            detail={"status": str(fresh.status)},
        )
    return fresh


def _require_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(message, detail={field: ["required"]})
    return value


def _tell_applicant(case: Case, kind: str, body: str) -> None:
    if case.applicant_phone:
        notify_after_commit(Message(case.org_id, case.pk, kind, case.applicant_phone, body))


def case_accept(*, actor: Staff | None, case: Case, opinion: str = "", expected: str | None = None) -> Case:
    """受理: fix the item version and its limits, start the clock, store the due date. The receipt (受理通知书)
    carries the query code."""
    require_case(actor, "cases.accept", case)
    now = clock.now()
    with transaction.atomic():
        fresh = _lock(case, expected)
        item = ServiceItem.objects.select_related("current").get(pk=fresh.item_id)
        version = item.current or fresh.item_version
        limit = version.promised_limit_days
        start = clock.local(now).date()
        running = Clock(start=start, limit=limit, division_code=_division_code(fresh))
        locked = transition(
            fresh,
            to=CaseStatus.ACCEPTED,
            transitions=TRANSITIONS,
            actor=actor,
            action="case.accept",
            expected=fresh.status,
            reason=opinion,
            changes={
                "accepted_at": now,
                "item_version": version,
                "mode": version.mode,
                "statutory_limit_days": version.statutory_limit_days,
                "promised_limit_days": limit,
                "due_on": running.due_on,
                "warn_on": warning_from(running),
                **accept_facts(fresh, now),
            },
        )
        CaseStep.objects.create(
            case=locked,
            position=1,
            name=_("受理"),
            org=locked.center or locked.org,
            started_at=locked.submitted_at,
            finished_at=now,
            actor=actor,
            opinion=opinion,
        )
        CaseStep.objects.create(case=locked, position=2, name=_("审查办理"), org=locked.org, started_at=now)
    _tell_applicant(
        locked,
        "case.accepted",
        _("您申请的“%(item)s”已受理，办件编号 %(ref)s，查询码 %(code)s，承诺于 %(due)s 前办结。")
        % {
            "item": version.name,
            "ref": locked.ref,
            "code": format_query_code(locked.query_code),
            "due": locked.due_on.isoformat() if locked.due_on else "",
        },
    )
    return locked


def case_reject(*, actor: Staff | None, case: Case, reason: str, expected: str | None = None) -> Case:
    """不予受理, with the reason the notice (不予受理通知书) states."""
    require_case(actor, "cases.accept", case)
    reason = _require_text(reason, "reason", _("不予受理必须说明理由。"))
    with transaction.atomic():
        fresh = _lock(case, expected)
        locked = transition(
            fresh,
            to=CaseStatus.REJECTED,
            transitions=TRANSITIONS,
            actor=actor,
            action="case.reject",
            expected=fresh.status,
            reason=reason,
            changes={"rejected_at": clock.now(), "opinion": reason},
        )
    _tell_applicant(
        locked,
        "case.rejected",
        _("您申请的“%(item)s”不予受理，理由：%(reason)s。") % {"item": locked.item_version.name, "reason": reason},
    )
    return locked


def case_request_correction(
    *, actor: Staff | None, case: Case, missing: Sequence[str], note: str = "", expected: str | None = None
) -> Case:
    """补齐补正: everything missing, told at once — a case gets one correction request, never a second."""
    require_case(actor, "cases.accept", case)
    items = [m.strip() for m in missing if m and m.strip()]
    if not items:
        raise InvalidInput(_("请列出需要补正的全部材料。"), detail={"missing": ["required"]})
    with transaction.atomic():
        fresh = _lock(case, expected)
        if Correction.objects.filter(case=fresh).exists():
            raise Conflict(
                _("补正材料应一次性告知：本件已告知过补正，请受理或不予受理。"), detail={"correction": ["already"]}
            )
        locked = transition(
            fresh,
            to=CaseStatus.CORRECTION,
            transitions=TRANSITIONS,
            actor=actor,
            action="case.request_correction",
            expected=fresh.status,
            reason="；".join(items),
        )
        Correction.objects.create(
            case=locked, missing=items, note=note.strip(), requested_at=clock.now(), requested_by=actor
        )
    _tell_applicant(
        locked,
        "case.correction",
        _("您申请的“%(item)s”需补正以下材料：%(list)s。请凭查询码 %(code)s 上传或送到窗口。")
        % {"item": locked.item_version.name, "list": "、".join(items), "code": format_query_code(locked.query_code)},
    )
    return locked


def case_pause(*, actor: Staff | None, case: Case, kind: str, reason: str, expected: str | None = None) -> Case:
    """Start a special procedure (听证、检测、鉴定、专家评审…): from today its workdays do not count."""
    require_case(actor, "cases.handle", case)
    if kind not in ProcedureKind.values:
        raise InvalidInput(_("未知的特别程序。"), detail={"kind": ["unknown"]})
    reason = _require_text(reason, "reason", _("请说明特别程序的事由。"))
    with transaction.atomic():
        fresh = _lock(case, expected)
        locked = transition(
            fresh,
            to=CaseStatus.PAUSED,
            transitions=TRANSITIONS,
            actor=actor,
            action="case.pause",
            expected=fresh.status,
            reason=f"{ProcedureKind(kind).label}：{reason}",
        )
        CasePause.objects.create(case=locked, kind=kind, reason=reason, started_on=clock.today(), started_by=actor)
    return locked


def case_resume(*, actor: Staff | None, case: Case, expected: str | None = None) -> Case:
    """End the special procedure today; the due date moves later by exactly the workdays it covered."""
    require_case(actor, "cases.handle", case)
    with transaction.atomic():
        fresh = _lock(case, expected)
        pause = CasePause.objects.filter(case=fresh, ended_on__isnull=True).first()
        if pause is None:
            raise Conflict(_("该办件没有进行中的特别程序。"), detail={"status": fresh.status})
        pause.ended_on = clock.today()
        pause.ended_by = actor
        pause.save(update_fields=["ended_on", "ended_by"])
        locked = transition(
            fresh,
            to=CaseStatus.ACCEPTED,
            transitions=TRANSITIONS,
            actor=actor,
            action="case.resume",
            expected=fresh.status,
            reason=pause.get_kind_display(),
            changes=stored_dates(fresh),
        )
    return locked


def case_extend(*, actor: Staff | None, case: Case, workdays: int, reason: str) -> Case:
    """延期: the limit grows by `workdays` (approved by the department's head, recorded with the reason)."""
    require_case(actor, "cases.handle", case)
    reason = _require_text(reason, "reason", _("延期必须说明理由。"))
    if type(workdays) is not int or not 1 <= workdays <= MAX_EXTENSION_WORKDAYS:
        raise InvalidInput(
            _("延期应为 1 到 %(n)s 个工作日。") % {"n": MAX_EXTENSION_WORKDAYS}, detail={"workdays": ["range"]}
        )
    with transaction.atomic():
        fresh = Case.objects.select_for_update(of=("self",)).select_related("org__division").get(pk=case.pk)
        if fresh.status not in CLOCKED:
            raise Conflict(_("只有办理中的办件可以延期。"), detail={"status": fresh.status})
        CaseExtension.objects.create(
            case=fresh, workdays=workdays, granted_on=clock.today(), reason=reason, granted_by=actor
        )
        locked = audited_update(
            fresh, actor=actor, action="case.extend", changes=stored_dates(fresh), reason=f"+{workdays}：{reason}"
        )
    return locked


def case_forward(
    *, actor: Staff | None, case: Case, to_org: Org, step: str, opinion: str = "", expected: str | None = None
) -> Case:
    """Finish the current handling step with an opinion and hand the case to the next one (another department)."""
    require_case(actor, "cases.handle", case)
    step = _require_text(step, "step", _("请填写下一环节名称。"))
    if to_org.path.split("/")[1] != case.org.path.split("/")[1]:
        raise InvalidInput(_("下一环节的办理机关不在本地区。"), detail={"to_org": ["outside"]})
    now = clock.now()
    with transaction.atomic():
        fresh = _lock(case, expected)
        if fresh.status != CaseStatus.ACCEPTED:
            raise Conflict(_("只有办理中的办件可以转下一环节。"), detail={"status": fresh.status})
        current = CaseStep.objects.select_for_update().filter(case=fresh, finished_at__isnull=True).first()
        position = 1
        if current is not None:
            current.finished_at, current.actor, current.opinion = now, actor, opinion.strip()
            current.save(update_fields=["finished_at", "actor", "opinion"])
            position = current.position + 1
        CaseStep.objects.create(case=fresh, position=position, name=step[:60], org=to_org, started_at=now)
        old_desk = fresh.desk.code if fresh.desk is not None else None
        fresh.desk = to_org
        fresh.save(update_fields=["desk", "updated_at"])
        record_event(
            actor=actor,
            action="case.forward",
            obj=fresh,
            old={"step": current.name if current else None, "desk": old_desk},
            new={"step": step, "desk": to_org.code},
            reason=opinion,
        )
    return fresh


def case_conclude(
    *,
    actor: Staff | None,
    case: Case,
    decision: str,
    opinion: str = "",
    result_document: str = "",
    fee_yuan: Decimal | None = None,
    on_site: bool = False,
    expected: str | None = None,
) -> Case:
    """办结: approved or denied (a denial states its reasons), with the result document's text."""
    require_case(actor, "cases.conclude", case)
    if decision not in Decision.values:
        raise InvalidInput(_("办理结果应为准予或不予。"), detail={"decision": ["invalid"]})
    if decision == Decision.DENIED:
        _require_text(opinion, "opinion", _("不予许可必须说明理由。"))
    if on_site and case.window_id is None:
        raise InvalidInput(_("只有窗口收件的办件可以现场办结。"), detail={"on_site": ["no_window"]})
    fee = case.fee_yuan if fee_yuan is None else Decimal(fee_yuan)
    if fee < 0:
        raise InvalidInput(_("收费不能为负数。"), detail={"fee_yuan": ["negative"]})
    now = clock.now()
    with transaction.atomic():
        fresh = _lock(case, expected)
        CaseStep.objects.filter(case=fresh, finished_at__isnull=True).update(
            finished_at=now, actor=actor, opinion=opinion.strip()
        )
        locked = transition(
            fresh,
            to=CaseStatus.CONCLUDED,
            transitions=TRANSITIONS,
            actor=actor,
            action="case.conclude",
            expected=fresh.status,
            reason=opinion,
            changes={
                "concluded_at": now,
                "decision": decision,
                "opinion": opinion.strip(),
                "result_document": result_document.strip(),
                "fee_yuan": fee.quantize(Decimal("0.01")),
                "on_site": on_site,
                **conclude_facts(fresh, now),
            },
        )
    _tell_applicant(
        locked,
        "case.concluded",
        _("您申请的“%(item)s”已办结（%(decision)s）。欢迎凭查询码 %(code)s 对本次服务进行评价。")
        % {
            "item": locked.item_version.name,
            "decision": Decision(decision).label,
            "code": format_query_code(locked.query_code),
        },
    )
    return locked


def case_conclude_instant(
    *,
    actor: Staff | None,
    case: Case,
    decision: str = Decision.APPROVED,
    opinion: str = "",
    expected: str | None = None,
) -> Case:
    """即办件: accepted and concluded at the window in one step, during the applicant's visit."""
    if case.item_version.mode != Mode.INSTANT or case.channel not in {Channel.WINDOW, Channel.AGENT}:
        raise InvalidInput(_("只有窗口收件的即办件可以当场办结。"), detail={"mode": ["not_instant"]})
    with transaction.atomic():
        accepted = case_accept(actor=actor, case=case, opinion=opinion, expected=expected)
        return case_conclude(
            actor=actor, case=accepted, decision=decision, opinion=opinion, on_site=True, expected=CaseStatus.ACCEPTED
        )


def case_record_visit(*, actor: Staff | None, case: Case, reason: str = "") -> Case:
    """One more trip the applicant had to make in person (跑动次数)."""
    require_case(actor, "cases.handle", case)
    with transaction.atomic():
        fresh = Case.objects.select_for_update().get(pk=case.pk)
        locked = audited_update(
            fresh, actor=actor, action="case.visit", changes={"visits": fresh.visits + 1}, reason=reason
        )
    case.visits = locked.visits
    return locked
