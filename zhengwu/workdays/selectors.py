"""Reads of the calendar: a year as the notice states it, the missing-notice warning, an org's calendar key."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from zhengwu.core.errors import InvalidInput
from zhengwu.workdays import index as ix
from zhengwu.workdays.provisional import statutory_holidays

if TYPE_CHECKING:
    from zhengwu.orgs.models import Org

# From this month on, next year's notice is expected (it is usually published in October to December).
WARN_FROM_MONTH = 11


@dataclass(frozen=True)
class YearCalendar:
    year: int
    provisional: bool
    notice: str
    document_no: str
    holidays: tuple[tuple[dt.date, str], ...]
    makeup_workdays: tuple[tuple[dt.date, str], ...]
    local_days_off: tuple[tuple[dt.date, str, str], ...]  # (date, division code prefix, name)


def calendar_year_show(*, year: int) -> YearCalendar:
    """The year's holidays and make-up days: the loaded notice, else the provisional statutory days."""
    from zhengwu.workdays.models import CalendarDay, CalendarYear, DayKind, LocalDayOff

    if not ix.FIRST_DAY.year <= year <= ix.LAST_DAY.year:
        raise InvalidInput(
            _("年份应在 %(first)s 至 %(last)s 之间：%(year)s")
            % {"first": ix.FIRST_DAY.year, "last": ix.LAST_DAY.year, "year": year},
            detail={"year": ["out_of_range"]},
        )
    loaded = CalendarYear.objects.filter(year=year).first()
    local = tuple(
        LocalDayOff.objects.filter(date__year=year)
        .order_by("date", "division_code")
        .values_list("date", "division_code", "name")
    )
    if loaded is None:
        return YearCalendar(
            year=year,
            provisional=True,
            notice="",
            document_no="",
            holidays=tuple(statutory_holidays(year).items()),
            makeup_workdays=(),
            local_days_off=local,
        )
    days = list(CalendarDay.objects.filter(calendar_year=loaded).order_by("date").values_list("date", "kind", "name"))
    return YearCalendar(
        year=year,
        provisional=False,
        notice=loaded.notice,
        document_no=loaded.document_no,
        holidays=tuple((d, n) for d, k, n in days if k == DayKind.HOLIDAY),
        makeup_workdays=tuple((d, n) for d, k, n in days if k == DayKind.MAKEUP_WORKDAY),
        local_days_off=local,
    )


def next_year_notice_missing(today: dt.date) -> int | None:
    """From November on, the next year when its notice is not loaded yet (for a warning to administrators)."""
    if today.month < WARN_FROM_MONTH or today.year + 1 > ix.LAST_DAY.year:
        return None
    following = today.year + 1
    return None if following in ix.current().loaded_years else following


def division_code_of(org: Org) -> str:
    """The key under which an org's local days off are found ("" when it has no division)."""
    return org.division.code if org.division_id and org.division is not None else ""
