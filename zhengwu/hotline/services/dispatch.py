"""Dispatch down the org tree, acceptance and return by the unit, and urging (督办)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from zhengwu.core import clock
from zhengwu.core.audit import record_event
from zhengwu.core.errors import Conflict, InvalidInput, PermissionDenied
from zhengwu.core.transitions import transition
from zhengwu.hotline import policies as hp
from zhengwu.hotline import states
from zhengwu.hotline.models import Dispatch, DispatchRole, Ticket, Urge
from zhengwu.hotline.states import AT_UNIT, TicketStatus
from zhengwu.orgs import policies
from zhengwu.orgs.models import Org

if TYPE_CHECKING:
    from zhengwu.orgs.models import Staff


def _check_unit(ticket: Ticket, unit: Org) -> None:
    """Only down the tree: a unit below the hotline that received the ticket."""
    if unit.pk == ticket.org_id or not unit.is_descendant_of(ticket.org) or not unit.is_active:
        raise InvalidInput(
            _("只能派往本热线所属机关的下级单位：%(u)s") % {"u": unit.name}, detail={"unit": ["out_of_scope"]}
        )


def ticket_dispatch(
    *,
    actor: Staff | None,
    ticket: Ticket,
    lead: Org,
    assisting: Sequence[Org] = (),
    note: str = "",
) -> Ticket:
    """Send a new or returned ticket to a lead unit (主办) and any assisting units (协办)."""
    policies.require(actor, hp.OPERATE, ticket)
    assisting = [u for u in dict.fromkeys(assisting) if u.pk != lead.pk]
    for unit in (lead, *assisting):
        _check_unit(ticket, unit)
    now = clock.now()
    with transaction.atomic():
        ticket = transition(
            ticket,
            to=TicketStatus.DISPATCHED,
            transitions=states.DISPATCH,
            actor=actor,
            action="ticket.dispatch",
            expected=ticket.status,
            reason=note,
            changes={"lead_unit": lead, "dispatched_at": now},
        )
        # The previous round (if the ticket came back) is closed; this round's rows are the active ones.
        Dispatch.objects.filter(ticket=ticket, active=True).update(active=False)
        Dispatch.objects.bulk_create(
            [
                Dispatch(
                    ticket=ticket,
                    unit=unit,
                    role=DispatchRole.LEAD if unit.pk == lead.pk else DispatchRole.ASSISTING,
                    dispatched_at=now,
                    dispatched_by=actor,
                    note=note[:500],
                )
                for unit in (lead, *assisting)
            ]
        )
        if assisting:
            record_event(
                actor=actor,
                action="ticket.dispatch_assisting",
                obj=ticket,
                new={"assisting": [u.code for u in assisting]},
            )
    return ticket


def ticket_forward(*, actor: Staff | None, ticket: Ticket, unit: Org, note: str = "") -> Ticket:
    """转派: the lead unit (its handler, or the operator of its own hotline — a district or township taking a
    city's ticket) passes the ticket further down its own tree. The due date stays; the new unit signs again."""
    lead = ticket.lead_unit
    if lead is None or not (policies.can(actor, hp.HANDLE, lead) or policies.can(actor, hp.OPERATE, lead)):
        raise PermissionDenied(_("该工单未派给您所在的单位。"), detail={"permission": hp.HANDLE})
    if unit.pk == lead.pk or not unit.is_descendant_of(lead) or not unit.is_active:
        raise InvalidInput(_("只能转派给本单位的下级单位：%(u)s") % {"u": unit.name}, detail={"unit": ["out_of_scope"]})
    now = clock.now()
    with transaction.atomic():
        ticket = transition(
            ticket,
            to=TicketStatus.DISPATCHED,
            transitions=states.FORWARD,
            actor=actor,
            action="ticket.forward",
            expected=ticket.status,
            reason=note,
            changes={"lead_unit": unit},
        )
        previous = Dispatch.objects.filter(ticket=ticket, active=True, role=DispatchRole.LEAD).first()
        Dispatch.objects.filter(ticket=ticket, active=True, role=DispatchRole.LEAD).update(active=False)
        Dispatch.objects.create(
            ticket=ticket,
            unit=unit,
            role=DispatchRole.LEAD,
            dispatched_at=now,
            dispatched_by=actor,
            note=f"{lead.name}转派：{note}"[:500],
            forwarded_from=previous,
        )
    return ticket


def _active_dispatch(ticket: Ticket, actor: Staff | None, *, lead_only: bool) -> Dispatch:
    """The active dispatch of a unit the actor handles for; PermissionDenied when there is none."""
    rows = Dispatch.objects.filter(ticket=ticket, active=True).select_related("unit")
    if lead_only:
        rows = rows.filter(role=DispatchRole.LEAD)
    for d in rows:
        if policies.can(actor, hp.HANDLE, d.unit):
            return d
    raise PermissionDenied(_("该工单未派给您所在的单位。"), detail={"permission": hp.HANDLE})


def ticket_accept(*, actor: Staff | None, ticket: Ticket) -> Ticket:
    """The lead unit signs for the ticket (签收); assisting units' acceptance is recorded on their dispatch."""
    dispatch = _active_dispatch(ticket, actor, lead_only=False)
    now = clock.now()
    with transaction.atomic():
        if dispatch.role == DispatchRole.ASSISTING:
            if dispatch.accepted_at is not None:
                raise Conflict(_("已签收。"))
            Dispatch.objects.filter(pk=dispatch.pk).update(accepted_at=now)
            record_event(actor=actor, action="ticket.accept_assisting", obj=ticket, new={"unit": dispatch.unit.code})
            return ticket
        ticket = transition(
            ticket,
            to=TicketStatus.HANDLING,
            transitions=states.ACCEPT,
            actor=actor,
            action="ticket.accept",
            expected=ticket.status,
        )
        Dispatch.objects.filter(pk=dispatch.pk).update(accepted_at=now)
    return ticket


def ticket_return(*, actor: Staff | None, ticket: Ticket, reason: str) -> Ticket:
    """The lead unit sends a misrouted ticket back with a reason; every return is counted. It goes back to whoever
    sent it: the hotline's dispatcher, or the unit that passed it down (转派), which has it again to act on."""
    reason = reason.strip()
    if not reason:
        raise InvalidInput(_("请填写退单理由。"), detail={"reason": ["required"]})
    dispatch = _active_dispatch(ticket, actor, lead_only=True)
    sender = dispatch.forwarded_from
    now = clock.now()
    with transaction.atomic():
        if sender is not None:
            ticket = transition(
                ticket,
                to=TicketStatus.DISPATCHED,
                transitions=states.FORWARD,
                actor=actor,
                action="ticket.return",
                expected=ticket.status,
                reason=reason,
                changes={"return_count": ticket.return_count + 1, "lead_unit": sender.unit},
            )
        else:
            ticket = transition(
                ticket,
                to=TicketStatus.RETURNED,
                transitions=states.RETURN,
                actor=actor,
                action="ticket.return",
                expected=ticket.status,
                reason=reason,
                changes={"return_count": ticket.return_count + 1, "lead_unit": None},
            )
        Dispatch.objects.filter(pk=dispatch.pk).update(returned_at=now, return_reason=reason[:500], active=False)
        if sender is not None:
            Dispatch.objects.filter(pk=sender.pk).update(active=True)
        else:
            Dispatch.objects.filter(ticket=ticket, active=True).update(active=False)
    return ticket


def ticket_urge(*, actor: Staff | None, ticket: Ticket, note: str) -> Urge:
    """督办: press the lead unit of a ticket still at a unit; the dispatcher or a supervisor may."""
    if not (policies.can(actor, hp.OPERATE, ticket) or policies.can(actor, hp.SUPERVISE, ticket)):
        raise PermissionDenied(_("您没有权限执行该操作。"), detail={"permission": hp.SUPERVISE})
    note = note.strip()
    if not note:
        raise InvalidInput(_("请填写督办意见。"), detail={"note": ["required"]})
    ticket.refresh_from_db(fields=["status", "lead_unit"])
    if ticket.status not in AT_UNIT or ticket.lead_unit_id is None:
        raise Conflict(_("只能督办承办单位正在办理的工单。"), detail={"status": ticket.status})
    with transaction.atomic():
        urge = Urge.objects.create(
            ticket=ticket, unit_id=ticket.lead_unit_id, at=clock.now(), by=actor, note=note[:500]
        )
        record_event(actor=actor, action="ticket.urge", obj=ticket, new={"unit": ticket.lead_unit_id}, reason=note)
    return urge


__all__ = ["ticket_accept", "ticket_dispatch", "ticket_forward", "ticket_return", "ticket_urge"]
