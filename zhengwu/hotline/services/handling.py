"""Handling at the unit: replies, and extension requests decided by the dispatcher."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from zhengwu.core import clock
from zhengwu.core.audit import record_event
from zhengwu.core.errors import Conflict, InvalidInput
from zhengwu.core.transitions import audited_update, transition
from zhengwu.hotline import policies as hp
from zhengwu.hotline import states
from zhengwu.hotline.models import DispatchRole, ExtensionRequest, ExtensionStatus, Reply, Ticket
from zhengwu.hotline.services.dispatch import _active_dispatch
from zhengwu.hotline.services.limits import extend
from zhengwu.hotline.states import AT_UNIT, TicketStatus
from zhengwu.orgs import policies

if TYPE_CHECKING:
    from zhengwu.orgs.models import Staff

MAX_EXTENSION_WORKDAYS = 30


def ticket_reply(*, actor: Staff | None, ticket: Ticket, content: str) -> Reply:
    """A unit's answer. The lead unit's reply moves the ticket to 已答复 (awaiting callback); an assisting
    unit's reply is recorded for the lead unit and the dispatcher."""
    content = content.strip()
    if not content:
        raise InvalidInput(_("请填写答复内容。"), detail={"content": ["required"]})
    dispatch = _active_dispatch(ticket, actor, lead_only=False)
    now = clock.now()
    with transaction.atomic():
        if dispatch.role == DispatchRole.LEAD:
            ticket = transition(
                ticket,
                to=TicketStatus.REPLIED,
                transitions=states.REPLY,
                actor=actor,
                action="ticket.reply",
                expected=ticket.status,
                changes={"replied_at": now, "answer": content},
            )
        else:
            if ticket.status not in AT_UNIT:
                raise Conflict(_("工单当前不在办理中。"), detail={"status": ticket.status})
            record_event(actor=actor, action="ticket.reply_assisting", obj=ticket, new={"unit": dispatch.unit.code})
        return Reply.objects.create(
            ticket=ticket, unit=dispatch.unit, role=dispatch.role, at=now, by=actor, content=content
        )


def extension_request(*, actor: Staff | None, ticket: Ticket, workdays: int, reason: str) -> ExtensionRequest:
    """The lead unit asks the dispatcher for more time; one pending request per ticket."""
    reason = reason.strip()
    if not reason:
        raise InvalidInput(_("请填写延期理由。"), detail={"reason": ["required"]})
    if not 1 <= workdays <= MAX_EXTENSION_WORKDAYS:
        raise InvalidInput(
            _("延期应为 1 至 %(n)s 个工作日。") % {"n": MAX_EXTENSION_WORKDAYS}, detail={"workdays": ["range"]}
        )
    dispatch = _active_dispatch(ticket, actor, lead_only=True)
    ticket.refresh_from_db(fields=["status"])
    if ticket.status not in AT_UNIT:
        raise Conflict(_("工单当前不在办理中。"), detail={"status": ticket.status})
    try:
        with transaction.atomic():
            req = ExtensionRequest.objects.create(
                ticket=ticket,
                unit=dispatch.unit,
                workdays=workdays,
                reason=reason[:500],
                requested_at=clock.now(),
                requested_by=actor,
            )
            record_event(
                actor=actor, action="ticket.extension_request", obj=ticket, new={"workdays": workdays}, reason=reason
            )
    except IntegrityError:
        raise Conflict(_("该工单已有待审批的延期申请。"), detail={"extension": ["pending"]}) from None
    return req


def extension_decide(
    *, actor: Staff | None, request: ExtensionRequest, approve: bool, note: str = ""
) -> ExtensionRequest:
    """The dispatcher approves (the due date moves by the workdays asked) or refuses a pending request."""
    ticket = request.ticket
    policies.require(actor, hp.OPERATE, ticket)
    now = clock.now()
    with transaction.atomic():
        locked = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status != ExtensionStatus.PENDING:
            raise Conflict(_("该延期申请已处理。"), detail={"status": locked.status})
        locked.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REJECTED
        locked.decided_at, locked.decided_by, locked.decision_note = now, actor, note.strip()[:500]
        locked.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
        if approve:
            current = Ticket.objects.select_for_update().get(pk=ticket.pk)
            if current.due_on is None:
                raise Conflict(_("该工单没有办理期限。"))
            due_on, due_at = extend(due_on=current.due_on, due_at=current.due_at, workdays=locked.workdays)
            audited_update(
                current,
                actor=actor,
                action="ticket.extension_approve",
                changes={
                    "extension_workdays": current.extension_workdays + locked.workdays,
                    "due_on": due_on,
                    "due_at": due_at,
                },
                reason=note,
            )
        else:
            record_event(actor=actor, action="ticket.extension_reject", obj=ticket, reason=note)
    request.refresh_from_db()
    return request
