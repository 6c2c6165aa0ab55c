"""Counting workdays (spec/workdays.md): every call O(1) on the index; array forms for bulk work."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from django.utils.translation import gettext as _

from zhengwu.core.errors import InvalidInput
from zhengwu.workdays import index as ix


def _out_of_range(day: Any, field: str) -> InvalidInput:
    return InvalidInput(
        _("日期 %(day)s 不在日历范围内（%(first)s 至 %(last)s）。")
        % {"day": day, "first": ix.FIRST_DAY.isoformat(), "last": ix.LAST_DAY.isoformat()},
        detail={field: ["out_of_range"]},
    )


def _offset(day: Any, field: str = "date") -> int:
    if type(day) is not dt.date and (not isinstance(day, dt.date) or isinstance(day, dt.datetime)):
        raise InvalidInput(_("需要一个日期（不含时间）：%(value)r") % {"value": day}, detail={field: ["type"]})
    off = day.toordinal() - ix.EPOCH
    if not 0 <= off < ix.DAYS:
        raise _out_of_range(day, field)
    return off


def _count(n: Any) -> int:
    if type(n) is not int:
        if isinstance(n, bool) or not hasattr(n, "__index__"):
            raise InvalidInput(_("工作日数必须是非负整数：%(value)r") % {"value": n}, detail={"n": ["invalid"]})
        n = n.__index__()
    if n < 0:
        raise InvalidInput(_("工作日数必须是非负整数：%(value)r") % {"value": n}, detail={"n": ["invalid"]})
    return n


def _beyond(index: ix.Index, off: int, n: int) -> InvalidInput:
    return InvalidInput(
        _("自 %(day)s 起 %(n)s 个工作日超出日历范围（至 %(last)s）。")
        % {"day": ix.day_of(off), "n": n, "last": ix.LAST_DAY.isoformat()},
        detail={"n": ["out_of_range"]},
    )


def add_workdays(day: dt.date, n: int, *, division_code: str = "") -> dt.date:
    """The n-th workday strictly after `day` (the event day itself never counts); n = 0 returns `day`."""
    off = _offset(day)
    n = _count(n)
    if n == 0:
        return day
    index = ix.current().for_division(division_code)
    k = index.cum_list[off] + n - 1
    positions = index.positions_list
    if k >= len(positions):
        raise _beyond(index, off, n)
    return dt.date.fromordinal(positions[k] + ix.EPOCH)


def workdays_between(a: dt.date, b: dt.date, *, division_code: str = "") -> int:
    """The workdays in (a, b]; negative when b is before a (minus the workdays in (b, a])."""
    oa, ob = _offset(a, "a"), _offset(b, "b")
    cum = ix.current().for_division(division_code).cum_list
    return cum[ob] - cum[oa]


def is_workday(day: dt.date, *, division_code: str = "") -> bool:
    return ix.current().for_division(division_code).workday_list[_offset(day)]


def is_provisional(day: dt.date) -> bool:
    """Whether `day` lies in a year whose State Council notice is not loaded (make-up days unknown)."""
    _offset(day)
    return day.year not in ix.current().loaded_years


def is_provisional_span(a: dt.date, b: dt.date) -> bool:
    """Whether any day of [a, b] lies in a provisional year: a date counted across it may still change."""
    oa, ob = sorted((_offset(a, "a"), _offset(b, "b")))
    pc = ix.current().provisional_cum
    return bool(pc[ob] - (pc[oa - 1] if oa else 0) > 0)


def next_workday_on_or_after(day: dt.date, *, division_code: str = "") -> dt.date:
    """`day` itself when it is a workday, else the next one (a period ending on a rest day ends on the next workday)."""
    off = _offset(day)
    index = ix.current().for_division(division_code)
    if index.workday_list[off]:
        return day
    k = index.cum_list[off]
    if k >= len(index.positions_list):
        raise _beyond(index, off, 1)
    return ix.day_of(index.positions_list[k])


def add_calendar_days(day: dt.date, n: int, *, division_code: str = "") -> dt.date:
    """A limit of n calendar days (日): day + n, moved to the next workday when that is a rest day."""
    _offset(day)
    n = _count(n)
    end = day + dt.timedelta(days=n)
    if end > ix.LAST_DAY:
        raise _out_of_range(end, "n")
    return next_workday_on_or_after(end, division_code=division_code)


# --- Array forms ---------------------------------------------------------------------------------------------


def _offsets(days: Any, field: str) -> np.ndarray:
    arr = np.asarray(days)
    if not np.issubdtype(arr.dtype, np.datetime64):
        raise InvalidInput(_("需要 datetime64 日期数组。"), detail={field: ["type"]})
    off = arr.astype("datetime64[D]").astype(np.int64) - ix.EPOCH_NP
    if off.size and (off.min() < 0 or off.max() >= ix.DAYS):
        raise _out_of_range(_("（数组中）"), field)
    return off


def add_workdays_array(days: Any, n: Any, *, division_code: str = "") -> np.ndarray:
    """`add_workdays` over arrays: datetime64 days and an int or an int array of counts; returns datetime64[D]."""
    off = _offsets(days, "date")
    counts = np.asarray(n, dtype=np.int64)
    if counts.size and counts.min() < 0:
        raise InvalidInput(_("工作日数必须是非负整数。"), detail={"n": ["invalid"]})
    index = ix.current().for_division(division_code)
    k = index.cum[off].astype(np.int64) + counts - 1
    if k.size and k.max() >= len(index.positions):
        raise _beyond(index, int(off.flat[int(np.argmax(k))]), int(np.max(counts)))
    result = index.positions[np.maximum(k, 0)].astype(np.int64)
    result = np.where(counts == 0, off, result)
    return (result + ix.EPOCH_NP).astype("datetime64[D]")


def workdays_between_array(a: Any, b: Any, *, division_code: str = "") -> np.ndarray:
    """`workdays_between` over arrays of datetime64 days."""
    oa, ob = _offsets(a, "a"), _offsets(b, "b")
    cum = ix.current().for_division(division_code).cum
    return cum[ob].astype(np.int64) - cum[oa]
