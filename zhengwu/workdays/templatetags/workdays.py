"""`{% load workdays %}{% due_date clock %}`: a due date, its provisional badge and the reasons, on every page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template

from zhengwu.workdays.clock import Clock

register = template.Library()


@register.inclusion_tag("workdays/due_date.html")
def due_date(clock: Clock, today: dt.date | None = None, explain: bool = True) -> dict[str, Any]:
    """Render `clock`'s due date; `today` (default: today in Asia/Shanghai) decides the state shown."""
    explanation = clock.explain() if explain else None
    return {
        "due_on": clock.due_on,
        "provisional": clock.provisional,
        "state": clock.state(today),
        "remaining": clock.remaining(today),
        "lines": explanation.lines() if explanation is not None else [],
    }
