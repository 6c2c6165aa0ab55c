"""Elapsed working time between two instants, in workdays (spec/workdays.md, "Working time").

Only the seconds inside an org's office hours on its workdays count, so an instant outside office hours counts
as the next office-hours start. W(t) — the working seconds from 2004-01-01 to t — is O(1) on the workday index;
the elapsed working time is (W(end) − W(start)) / (seconds of one workday).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from django.utils.translation import gettext as _

from zhengwu.core.clock import SHANGHAI
from zhengwu.core.errors import InvalidInput
from zhengwu.workdays import index as ix

if TYPE_CHECKING:
    from zhengwu.orgs.models import Org

DEFAULT_OFFICE_HOURS = "09:00-12:00,13:30-17:30"
# Asia/Shanghai has kept UTC+8 without daylight saving since 1991, over the whole calendar range.
SHANGHAI_OFFSET_SECONDS = 8 * 3600
DAY = 86400

Periods = tuple[tuple[int, int], ...]


def parse_office_hours(office_hours: str | Sequence[tuple[dt.time, dt.time]] | None) -> Periods:
    """Office periods as (start, end) seconds of the day, checked to be ordered and not overlapping."""
    if office_hours is None:
        office_hours = DEFAULT_OFFICE_HOURS
    if isinstance(office_hours, str):
        try:
            pairs = [tuple(dt.time.fromisoformat(t) for t in part.split("-")) for part in office_hours.split(",")]
        except ValueError:
            pairs = []
        if not pairs or any(len(p) != 2 for p in pairs):
            raise InvalidInput(
                _("办公时间格式应如 09:00-12:00,13:30-17:30：%(value)s") % {"value": office_hours},
                detail={"office_hours": ["format"]},
            )
    else:
        pairs = [tuple(p) for p in office_hours]
    periods = tuple(
        (a.hour * 3600 + a.minute * 60 + a.second, b.hour * 3600 + b.minute * 60 + b.second) for a, b in pairs
    )
    previous_end = -1
    for start, end in periods:
        if not previous_end <= start < end:
            raise InvalidInput(_("办公时间段应按时间先后排列且互不重叠。"), detail={"office_hours": ["order"]})
        previous_end = end
    return periods


def _org_settings(org: Org | None, office_hours: Any, division_code: str) -> tuple[Periods, str]:
    if org is not None:
        office_hours = office_hours or org.office_hours
        division_code = division_code or (org.division.code if org.division is not None else "")
    return parse_office_hours(office_hours), division_code


def _worked_in_day(seconds: Any, periods: Periods) -> Any:
    total = 0
    for start, end in periods:
        total = total + np.clip(seconds - start, 0, end - start)
    return total


def working_time(
    start: dt.datetime,
    end: dt.datetime,
    *,
    org: Org | None = None,
    office_hours: str | Sequence[tuple[dt.time, dt.time]] | None = None,
    division_code: str = "",
) -> float:
    """Workdays of office time between two timezone-aware instants (end not before start)."""
    for name, value in (("start", start), ("end", end)):
        if not isinstance(value, dt.datetime) or value.tzinfo is None or value.utcoffset() is None:
            raise InvalidInput(_("需要带时区的时间：%(value)r") % {"value": value}, detail={name: ["naive"]})
    if end < start:
        raise InvalidInput(_("结束时间早于开始时间。"), detail={"end": ["order"]})
    periods, code = _org_settings(org, office_hours, division_code)
    index = ix.current().for_division(code)
    per_day = sum(b - a for a, b in periods)

    def worked(instant: dt.datetime) -> float:
        local = instant.astimezone(SHANGHAI)
        off = local.date().toordinal() - ix.EPOCH
        if not 0 <= off < ix.DAYS:
            raise InvalidInput(
                _("时间 %(value)s 不在日历范围内。") % {"value": local.isoformat()},
                detail={"instant": ["out_of_range"]},
            )
        seconds = local.hour * 3600 + local.minute * 60 + local.second + local.microsecond / 1e6
        today = sum(min(max(seconds - a, 0), b - a) for a, b in periods) if index.workday_list[off] else 0
        before = index.cum_list[off] - index.workday_list[off]
        return before * per_day + today

    return (worked(end) - worked(start)) / per_day


def working_time_array(
    starts: Any,
    ends: Any,
    *,
    org: Org | None = None,
    office_hours: str | Sequence[tuple[dt.time, dt.time]] | None = None,
    division_code: str = "",
) -> np.ndarray:
    """`working_time` over arrays of datetime64 instants, read as UTC (as the database stores them)."""
    periods, code = _org_settings(org, office_hours, division_code)
    index = ix.current().for_division(code)
    per_day = float(sum(b - a for a, b in periods))
    cum_before = (index.cum - index.workday).astype(np.float64) * per_day
    workday = index.workday

    def worked(instants: Any, name: str) -> np.ndarray:
        arr = np.asarray(instants)
        if not np.issubdtype(arr.dtype, np.datetime64):
            raise InvalidInput(_("需要 datetime64 时间数组。"), detail={name: ["type"]})
        local = arr.astype("datetime64[us]").astype(np.int64) + SHANGHAI_OFFSET_SECONDS * 1_000_000
        days, micros = np.divmod(local, DAY * 1_000_000)
        off = days - ix.EPOCH_NP
        if off.size and (off.min() < 0 or off.max() >= ix.DAYS):
            raise InvalidInput(_("时间数组中有日历范围之外的时间。"), detail={name: ["out_of_range"]})
        today = _worked_in_day(micros / 1e6, periods) * workday[off]
        return cum_before[off] + today

    w_start, w_end = worked(starts, "starts"), worked(ends, "ends")
    result = (w_end - w_start) / per_day
    if result.size and np.min(result) < 0 and np.any(np.asarray(ends) < np.asarray(starts)):
        raise InvalidInput(_("有结束时间早于开始时间。"), detail={"ends": ["order"]})
    return result
