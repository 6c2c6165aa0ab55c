"""Stored ticket due dates follow the calendar: when a year's notice replaces a provisional year, open tickets
whose workday clock runs through that year get their due date counted again (spec/workdays.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from zhengwu.core.transitions import audited_update
from zhengwu.hotline.models import LimitUnit, Ticket
from zhengwu.hotline.states import OPEN

if TYPE_CHECKING:
    from zhengwu.orgs.models import Staff


def ticket_due_dates_recompute(*, years: range, actor: Staff | None) -> int:
    """Recount the due date of every open workday-limit ticket counted across `years`; audit each change."""
    first, last = years.start, years.stop - 1
    rows = Ticket.objects.filter(
        Q(counting_from__year__lte=last) & (Q(due_on__year__gte=first) | Q(counting_from__year__gte=first)),
        status__in=OPEN,
        limit_unit=LimitUnit.WORKDAYS,
        counting_from__isnull=False,
    )
    changed = 0
    for ticket in rows.iterator(2000):
        clock = ticket.clock
        if clock is None or clock.due_on == ticket.due_on:
            continue
        audited_update(
            ticket, actor=actor, action="ticket.due_recompute", changes={"due_on": clock.due_on}, reason=str(years)
        )
        changed += 1
    return changed
