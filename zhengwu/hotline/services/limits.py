"""Handling time limits: the configured rule for a ticket's kind and urgency, and the due date it gives."""

from __future__ import annotations

import datetime as dt

from zhengwu.core import clock
from zhengwu.hotline.models import HandlingRule, LimitUnit, TicketKind, Urgency
from zhengwu.orgs.models import Org
from zhengwu.workdays import add_workdays

# Used when neither the hotline's org nor any org above it configured a rule for the kind and urgency.
DEFAULT_LIMITS: dict[tuple[str, str], tuple[int, str]] = {
    **{(k, Urgency.NORMAL.value): (5, LimitUnit.WORKDAYS.value) for k in TicketKind.values},
    (TicketKind.CONSULTATION.value, Urgency.NORMAL.value): (1, LimitUnit.WORKDAYS.value),
    (TicketKind.REPORT.value, Urgency.NORMAL.value): (10, LimitUnit.WORKDAYS.value),
    (TicketKind.SUGGESTION.value, Urgency.NORMAL.value): (10, LimitUnit.WORKDAYS.value),
    **{(k, Urgency.URGENT.value): (1, LimitUnit.WORKDAYS.value) for k in TicketKind.values},
    **{(k, Urgency.EMERGENCY.value): (2, LimitUnit.HOURS.value) for k in TicketKind.values},
}


def limit_for(*, org: Org, kind: str, urgency: str) -> tuple[int, str]:
    """(limit, unit) from the nearest org on the path up from `org` that has a rule; else the default.

    Kept per process by (org path, kind, urgency) in `config_cache`, dropped when any rule or org changes."""
    from zhengwu.hotline import config_cache

    return config_cache.cached(
        ("limit", org.path, kind, urgency), lambda: _limit_from_rules(org=org, kind=kind, urgency=urgency)
    )


def _limit_from_rules(*, org: Org, kind: str, urgency: str) -> tuple[int, str]:
    ids = org.ancestor_ids()
    rules = {
        r.org_id: (r.limit, r.unit)
        for r in HandlingRule.objects.filter(org_id__in=ids, kind=kind, urgency=urgency).only("org_id", "limit", "unit")
    }
    for org_id in reversed(ids):
        if org_id in rules:
            return rules[org_id]
    return DEFAULT_LIMITS[(kind, urgency)]


def due_for(*, start: dt.datetime, limit: int, unit: str) -> tuple[dt.date, dt.date, dt.datetime | None]:
    """(counting_from, due_on, due_at) for a clock started at `start`; due_at only for an hour limit."""
    day = clock.local(start).date()
    if unit == LimitUnit.HOURS:
        due_at = start + dt.timedelta(hours=limit)  # hour limits (emergencies) run round the clock
        return day, clock.local(due_at).date(), due_at
    return day, add_workdays(day, limit), None


def extend(*, due_on: dt.date, due_at: dt.datetime | None, workdays: int) -> tuple[dt.date, dt.datetime | None]:
    """An extension of `workdays` moves the due date (and an hour limit's due time, same clock time)."""
    new_on = add_workdays(due_on, workdays)
    if due_at is None:
        return new_on, None
    local = clock.local(due_at)
    return new_on, dt.datetime.combine(new_on, local.timetz())
