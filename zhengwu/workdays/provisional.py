"""Statutory holiday dates of a year without a loaded notice, from the law's fixed rules and the lunar calendar."""

from __future__ import annotations

import datetime as dt
from functools import cache

from lunar_python import Lunar, LunarYear, Solar

# Names as the State Council notices print them.
NEW_YEAR = "元旦"
SPRING_FESTIVAL = "春节"
QINGMING = "清明节"
LABOUR_DAY = "劳动节"
DRAGON_BOAT = "端午节"
MID_AUTUMN = "中秋节"
NATIONAL_DAY = "国庆节"


def _date(julian_day: float) -> dt.date:
    s = Solar.fromJulianDay(julian_day)  # the day in China Standard Time, as the almanac counts it
    return dt.date(s.getYear(), s.getMonth(), s.getDay())


@cache
def statutory_holidays(year: int) -> dict[dt.date, str]:
    """The days off fixed by law in `year` (全国年节及纪念日放假办法, 2025 revision); make-up days are unknown.

    元旦 1 Jan; 春节 除夕 through 正月初三; 清明 on the solar term; 劳动节 1–2 May; 端午 5/5 lunar;
    中秋 8/15 lunar; 国庆 1–3 Oct. When two fall on one day the names are joined.
    """
    days: dict[dt.date, list[str]] = {}

    def add(day: dt.date, name: str) -> None:
        days.setdefault(day, []).append(name)

    add(dt.date(year, 1, 1), NEW_YEAR)
    lunar_year = LunarYear.fromYear(year)  # the lunar year whose 正月初一 falls in this Gregorian year
    months = {m.getMonth(): m for m in lunar_year.getMonths() if m.getYear() == year}  # leap months are negative
    new_year = months[1].getFirstJulianDay()
    for offset in range(-1, 3):  # 除夕 (the last day of the twelfth month, 29th or 30th) through 初三
        add(_date(new_year + offset), SPRING_FESTIVAL)
    qingming = lunar_year.getJieQiJulianDays()[Lunar.JIE_QI_IN_USE.index("清明")]
    add(_date(qingming), QINGMING)
    add(dt.date(year, 5, 1), LABOUR_DAY)
    add(dt.date(year, 5, 2), LABOUR_DAY)
    add(_date(months[5].getFirstJulianDay() + 4), DRAGON_BOAT)
    add(_date(months[8].getFirstJulianDay() + 14), MID_AUTUMN)
    for day in (1, 2, 3):
        add(dt.date(year, 10, day), NATIONAL_DAY)
    return {day: "、".join(names) for day, names in sorted(days.items())}
