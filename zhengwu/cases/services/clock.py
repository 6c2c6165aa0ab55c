"""A case's handling clock: built only from `zhengwu.workdays` (accepted day, promised limit, pauses, extensions)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from zhengwu.core import clock as core_clock
from zhengwu.workdays import Clock, Extension, Pause, workdays_between

if TYPE_CHECKING:
    from zhengwu.cases.models import Case

WARNING_RATIO = Clock.warning_ratio  # the Clock's own defaults: lists and the due-date tag agree
WARNING_WORKDAYS = Clock.warning_workdays


def _division_code(case: Case) -> str:
    division = case.org.division
    return division.code if division is not None else ""


def case_clock(case: Case, *, today: dt.date | None = None, include_open_pause: bool = True) -> Clock | None:
    """The case's Clock, or None before acceptance. An open special procedure counts as paused until `today`."""
    if case.accepted_at is None or case.promised_limit_days is None:
        return None
    today = today or core_clock.today()
    pauses = []
    for p in case.pauses.all():
        if p.ended_on is not None:
            pauses.append(Pause(p.started_on, p.ended_on, p.get_kind_display()))
        elif include_open_pause:
            pauses.append(Pause(p.started_on, max(today, p.started_on), p.get_kind_display()))
    extensions = [Extension(e.workdays, e.granted_on, e.reason) for e in case.extensions.all()]
    return Clock(
        start=core_clock.local(case.accepted_at).date(),
        limit=case.promised_limit_days,
        pauses=tuple(pauses),
        extensions=tuple(extensions),
        division_code=_division_code(case),
    )


def warning_from(clock: Clock) -> dt.date:
    """The first day on which `clock.state(day)` is `warning` (or later, overdue): stored as `warn_on`."""
    due = clock.due_on
    total = clock.limit + sum(e.workdays for e in clock.effective_extensions())
    band = max(clock.warning_workdays, int(clock.warning_ratio * total))
    code = clock.division_code
    day = due
    for _ in range(400):
        before = day - dt.timedelta(days=1)
        if workdays_between(before, due, division_code=code) > band:
            break
        day = before
    return day


def stored_dates(case: Case) -> dict[str, dt.date | None]:
    """`due_on` and `warn_on` as stored: closed pauses only (an open one moves the date when it ends)."""
    clock = case_clock(case, include_open_pause=False)
    if clock is None:
        return {"due_on": None, "warn_on": None}
    return {"due_on": clock.due_on, "warn_on": warning_from(clock)}
