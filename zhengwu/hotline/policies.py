"""Who may do what on the hotline: operators at the hotline's org, handlers at their unit, supervisors above."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from zhengwu.orgs import policies
from zhengwu.orgs.models import Role

if TYPE_CHECKING:
    from zhengwu.orgs.models import Staff

OPERATE = "hotline.operate"  # register, answer, dispatch, decide extensions, call back, conclude, convert
HANDLE = "hotline.handle"  # at the unit: accept, return, reply, request an extension
SUPERVISE = "hotline.supervise"  # overdue lists, urging, cards
CONFIGURE = "hotline.configure"  # handling rules, card rules, API clients

policies.register(OPERATE, {Role.HOTLINE_OPERATOR})
policies.register(HANDLE, {Role.UNIT_HANDLER})
policies.register(SUPERVISE, {Role.SUPERVISOR, Role.LEADER})
policies.register(CONFIGURE, {Role.ADMIN})


def ticket_visible_q(actor: Staff | None) -> Q:
    """Tickets the actor may read: their hotline's (operate/supervise/configure), or ever dispatched to a unit
    they handle for or whose own hotline they operate (a district passing a city's ticket down)."""
    return (
        policies.org_q(actor, OPERATE)
        | policies.org_q(actor, SUPERVISE)
        | policies.org_q(actor, CONFIGURE)
        | Q(pk__in=_dispatched_ids(actor))
    )


def _dispatched_ids(actor: Staff | None) -> object:
    from zhengwu.hotline.models import Dispatch

    units = policies.org_q(actor, HANDLE, field="unit") | policies.org_q(actor, OPERATE, field="unit")
    return Dispatch.objects.filter(units).values("ticket_id")
