"""Closing the loop with the caller: callback (回访), reopening when dissatisfied, conclusion."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from zhengwu.core import clock
from zhengwu.core.errors import InvalidInput
from zhengwu.core.transitions import transition
from zhengwu.hotline import policies as hp
from zhengwu.hotline import states
from zhengwu.hotline.models import Callback, CallbackResult, Dispatch, DispatchRole, Ticket
from zhengwu.hotline.services.limits import due_for
from zhengwu.hotline.states import TicketStatus
from zhengwu.orgs import policies

if TYPE_CHECKING:
    from zhengwu.orgs.models import Staff


def ticket_callback(*, actor: Staff | None, ticket: Ticket, result: str, note: str = "") -> Ticket:
    """Record the caller's verdict on the reply: satisfied, basically satisfied, dissatisfied or unreachable."""
    policies.require(actor, hp.OPERATE, ticket)
    if result not in CallbackResult.values:
        raise InvalidInput(_("回访结果无效：%(v)s") % {"v": result}, detail={"result": ["invalid_choice"]})
    now = clock.now()
    with transaction.atomic():
        ticket = transition(
            ticket,
            to=TicketStatus.CALLED_BACK,
            transitions=states.CALLBACK,
            actor=actor,
            action="ticket.callback",
            expected=ticket.status,
            reason=note,
            changes={"callback": result},
        )
        Callback.objects.create(ticket=ticket, result=result, at=now, by=actor, note=note.strip()[:500])
    return ticket


def ticket_reopen(*, actor: Staff | None, ticket: Ticket, reason: str) -> Ticket:
    """Send a ticket the caller is not satisfied with back to its lead unit; its clock restarts in full today."""
    policies.require(actor, hp.OPERATE, ticket)
    reason = reason.strip()
    if not reason:
        raise InvalidInput(_("请填写重办理由。"), detail={"reason": ["required"]})
    if ticket.lead_unit_id is None:
        raise InvalidInput(_("直接答复的工单不能退回承办单位重办。"), detail={"ticket": ["no_unit"]})
    now = clock.now()
    counting_from, due_on, due_at = due_for(start=now, limit=ticket.limit, unit=ticket.limit_unit)
    with transaction.atomic():
        ticket = transition(
            ticket,
            to=TicketStatus.HANDLING,
            transitions=states.REOPEN,
            actor=actor,
            action="ticket.reopen",
            expected=ticket.status,
            reason=reason,
            changes={
                "reopen_count": ticket.reopen_count + 1,
                "counting_from": counting_from,
                "due_on": due_on,
                "due_at": due_at,
                "extension_workdays": 0,
                "replied_at": None,
                "concluded_at": None,
                "callback": "",
            },
        )
        # The lead unit had already accepted it; it stays accepted for the new round.
        Dispatch.objects.filter(ticket=ticket, active=True, role=DispatchRole.LEAD).update(accepted_at=now)
    return ticket


def ticket_conclude(*, actor: Staff | None, ticket: Ticket, note: str = "") -> Ticket:
    """办结: after the callback, the dispatcher closes the ticket."""
    policies.require(actor, hp.OPERATE, ticket)
    return transition(
        ticket,
        to=TicketStatus.CONCLUDED,
        transitions=states.CONCLUDE,
        actor=actor,
        action="ticket.conclude",
        expected=ticket.status,
        reason=note,
        changes={"concluded_at": clock.now()},
    )
