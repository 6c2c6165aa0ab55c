"""Seeding the holiday table from chinesecalendar: every year it knows that the table lacks, in a few bulk inserts."""

from __future__ import annotations

import datetime as dt
from typing import Any

# chinesecalendar names its holidays in English; the notices name them so.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def _name(value: Any) -> str:
    raw = getattr(value, "value", value)
    return HOLIDAY_NAMES.get(str(raw), str(raw))


def chinesecalendar_years() -> dict[int, list[tuple[dt.date, str, str]]]:
    """Per year: (date, kind, Chinese name) of every holiday and make-up day chinesecalendar carries."""
    from chinese_calendar import constants

    years: dict[int, list[tuple[dt.date, str, str]]] = {}
    for day, holiday in constants.holidays.items():
        years.setdefault(day.year, []).append((day, "holiday", _name(holiday)))
    for day, holiday in constants.workdays.items():
        years.setdefault(day.year, []).append((day, "makeup_workday", _name(holiday)))
    first, last = min(years), max(years)
    return {year: sorted(years.get(year, [])) for year in range(first, last + 1)}


def seed_with(calendar_year: Any, calendar_day: Any, calendar_version: Any) -> int:
    """Insert the missing years using the given model classes (the live ones, or a migration's historical ones)."""
    known = chinesecalendar_years()
    have = set(calendar_year.objects.values_list("year", flat=True))
    missing = [year for year in known if year not in have]
    if not missing:
        return 0
    taken = set(calendar_day.objects.filter(date__year__in=missing).values_list("date", flat=True))
    calendar_year.objects.bulk_create(
        [
            calendar_year(
                year=year,
                notice=f"国务院办公厅关于{year}年部分节假日安排的通知",
                source="chinesecalendar",
            )
            for year in missing
        ]
    )
    calendar_day.objects.bulk_create(
        [
            calendar_day(calendar_year_id=year, date=day, kind=kind, name=name)
            for year in missing
            for day, kind, name in known[year]
            if day not in taken
        ],
        batch_size=500,
    )
    bump_version(calendar_version)
    return len(missing)


def bump_version(calendar_version: Any) -> None:
    from django.db.models import F

    if not calendar_version.objects.filter(pk=1).update(version=F("version") + 1):
        calendar_version.objects.create(pk=1, version=1)


def calendar_seed() -> int:
    """Load the years chinesecalendar knows and the table lacks; returns the number of years added. Idempotent."""
    from django.db import transaction

    from zhengwu.core.audit import record_event
    from zhengwu.workdays.index import invalidate
    from zhengwu.workdays.models import CalendarDay, CalendarVersion, CalendarYear

    with transaction.atomic():
        before = set(CalendarYear.objects.values_list("year", flat=True))
        added = seed_with(CalendarYear, CalendarDay, CalendarVersion)
        if added:
            invalidate()
            years = sorted(set(CalendarYear.objects.values_list("year", flat=True)) - before)
            record_event(
                actor=None,
                action="workdays.calendar_seed",
                object_type="workdays.calendaryear",
                object_id=f"{years[0]}-{years[-1]}",
                new={"years": years, "source": "chinesecalendar"},
            )
    return added
