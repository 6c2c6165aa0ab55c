"""Provisional years: statutory days from the lunar calendar, checked against the notices chinesecalendar carries."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest
from chinese_calendar import constants

from zhengwu.workdays.provisional import statutory_holidays
from zhengwu.workdays.tests.conftest import d

# 清明, 端午 and 中秋 became statutory holidays in 2008; chinesecalendar carries notices up to its newest year.
LUNAR_YEARS = range(2008, max(constants.holidays).year + 1)


def _days(year: int, name: str) -> list[dt.date]:
    return [day for day, names in statutory_holidays(year).items() if name in names.split("、")]


@pytest.mark.parametrize("year", LUNAR_YEARS)
def test_lunar_and_solar_term_dates_are_holidays_in_every_known_notice(year: int) -> None:
    # given a year whose notice chinesecalendar carries, when computing its statutory days from lunar_python,
    # then 春节 初一–初三, 清明, 端午, 中秋 and the fixed days are holidays in that notice
    spring = _days(year, "春节")
    assert len(spring) == 4
    chuxi, *new_year_days = spring
    for day in [*new_year_days, *_days(year, "清明节"), *_days(year, "端午节"), *_days(year, "中秋节")]:
        assert chinese_calendar.is_holiday(day), (year, day)
    for day in (*_days(year, "元旦"), dt.date(year, 5, 1), *_days(year, "国庆节")):
        assert chinese_calendar.is_holiday(day), (year, day)
    if year >= 2025:  # 除夕 is statutory since the 2025 revision (it was worked in 2014 and 2015)
        assert chinese_calendar.is_holiday(chuxi)


@pytest.mark.parametrize("year", LUNAR_YEARS)
def test_qingming_is_the_solar_term(year: int) -> None:
    terms = chinese_calendar.get_solar_terms(dt.date(year, 3, 25), dt.date(year, 4, 15))
    assert _days(year, "清明节") == [day for day, term in terms if term == "清明"]


def test_2027_statutory_days() -> None:
    # 2027: 除夕 5 Feb, 春节 6 Feb, 清明 5 Apr, 端午 9 Jun, 中秋 15 Sep
    assert _days(2027, "春节") == [d("2027-02-05"), d("2027-02-06"), d("2027-02-07"), d("2027-02-08")]
    assert _days(2027, "清明节") == [d("2027-04-05")]
    assert _days(2027, "端午节") == [d("2027-06-09")]
    assert _days(2027, "中秋节") == [d("2027-09-15")]


def test_every_year_to_2100_has_its_thirteen_statutory_days() -> None:
    for year in range(2027, 2101):
        days = statutory_holidays(year)
        assert all(day.year == year for day in days), year
        assert sum(len(names.split("、")) for names in days.values()) == 13, year
