"""Workdays and time limits (spec/workdays.md): the one engine every deadline in zhengwu uses."""

from zhengwu.workdays.clock import Clock, ClockState, Explanation, Extension, Pause, Restart, SkippedDays
from zhengwu.workdays.counting import (
    add_calendar_days,
    add_workdays,
    add_workdays_array,
    is_provisional,
    is_provisional_span,
    is_workday,
    next_workday_on_or_after,
    workdays_between,
    workdays_between_array,
)
from zhengwu.workdays.recompute import register_due_date_recompute
from zhengwu.workdays.working_time import working_time, working_time_array

__all__ = [
    "Clock",
    "ClockState",
    "Explanation",
    "Extension",
    "Pause",
    "Restart",
    "SkippedDays",
    "add_calendar_days",
    "add_workdays",
    "add_workdays_array",
    "is_provisional",
    "is_provisional_span",
    "is_workday",
    "next_workday_on_or_after",
    "register_due_date_recompute",
    "workdays_between",
    "workdays_between_array",
    "working_time",
    "working_time_array",
]
