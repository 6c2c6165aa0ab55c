"""add_workdays / workdays_between / is_workday on real weeks, the spec's invariants, and bad input."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhengwu.core.errors import InvalidInput
from zhengwu.workdays import (
    add_calendar_days,
    add_workdays,
    add_workdays_array,
    is_provisional,
    is_workday,
    workdays_between,
    workdays_between_array,
)
from zhengwu.workdays.tests.conftest import d

pytestmark = pytest.mark.django_db

PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
days = st.dates(min_value=dt.date(2004, 1, 1), max_value=dt.date(2099, 6, 30))
counts = st.integers(min_value=0, max_value=200)


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        # Spring Festival 2025: off 28 Jan – 4 Feb; Sunday 26 Jan and Saturday 8 Feb are make-up workdays.
        ("2025-01-24", 1, "2025-01-26"),
        ("2025-01-26", 1, "2025-01-27"),
        ("2025-01-27", 1, "2025-02-05"),
        ("2025-02-07", 1, "2025-02-08"),
        # Spring Festival 2026: off 15 – 23 Feb; Saturdays 14 and 28 Feb are make-up workdays.
        ("2026-02-13", 1, "2026-02-14"),
        ("2026-02-14", 1, "2026-02-24"),
        ("2026-02-13", 6, "2026-02-28"),
        # National Day 2025: off 1 – 8 Oct (with Mid-autumn); Sunday 28 Sep and Saturday 11 Oct worked.
        ("2025-09-26", 1, "2025-09-28"),
        ("2025-09-30", 1, "2025-10-09"),
        ("2025-09-30", 3, "2025-10-11"),
        # National Day 2026: off 1 – 7 Oct; Sunday 20 Sep and Saturday 10 Oct worked; Mid-autumn 25 Sep a Friday.
        ("2026-09-18", 1, "2026-09-20"),
        ("2026-09-24", 1, "2026-09-28"),
        ("2026-09-30", 1, "2026-10-08"),
        ("2026-09-30", 3, "2026-10-10"),
        # n = 0 is the event day itself, even a holiday.
        ("2026-10-01", 0, "2026-10-01"),
    ],
)
def test_add_workdays_on_real_weeks(start: str, n: int, due: str) -> None:
    # given an event day around a holiday week, when counting n workdays, then the notice's days decide
    assert add_workdays(d(start), n) == d(due)


@pytest.mark.parametrize(
    ("a", "b", "count"),
    [
        ("2025-01-24", "2025-02-09", 6),  # 26 Jan, 27 Jan, 5–8 Feb
        ("2026-02-13", "2026-02-28", 6),  # 14 Feb, 24–27 Feb, 28 Feb
        ("2025-09-30", "2025-10-12", 3),  # 9, 10, 11 Oct
        ("2026-09-30", "2026-10-11", 3),  # 8, 9, 10 Oct
        ("2026-10-11", "2026-10-11", 0),
    ],
)
def test_workdays_between_on_real_weeks(a: str, b: str, count: int) -> None:
    assert workdays_between(d(a), d(b)) == count


def test_make_up_saturday_is_a_workday_and_holiday_weekday_is_not() -> None:
    assert is_workday(d("2025-10-11")) is True  # Saturday, worked for National Day
    assert is_workday(d("2025-10-08")) is False  # Wednesday, National Day holiday
    assert is_workday(d("2026-10-17")) is False  # an ordinary Saturday


def test_january_2027_is_provisional_with_statutory_new_year() -> None:
    # given chinesecalendar 1.11 ends with 2026, when counting into 2027, then 1 Jan is off and the year provisional
    assert is_provisional(d("2026-12-31")) is False
    assert is_provisional(d("2027-01-04")) is True
    assert is_workday(d("2027-01-01")) is False
    assert add_workdays(d("2026-12-31"), 1) == d("2027-01-04")  # Friday 1 Jan holiday, then the weekend


def test_calendar_day_limit_ending_on_a_rest_day_moves_to_the_next_workday() -> None:
    # given 15 calendar days from 16 Sep 2025 end on 1 Oct (National Day), then the due date is 9 Oct
    assert add_calendar_days(d("2025-09-16"), 15) == d("2025-10-09")
    assert add_calendar_days(d("2025-09-15"), 15) == d("2025-09-30")


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: add_workdays(d("2003-12-31"), 1), "date"),
        (lambda: add_workdays(d("2025-01-01"), -1), "n"),
        (lambda: add_workdays(d("2100-12-30"), 10), "n"),
        (lambda: add_workdays(dt.datetime(2025, 1, 1, tzinfo=dt.UTC), 1), "date"),  # type: ignore[arg-type]
        (lambda: workdays_between(d("2025-01-01"), d("2101-01-01")), "b"),
    ],
)
def test_bad_input_is_a_clear_error_never_a_guess(call, field: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        call()
    assert field in exc.value.detail
    assert exc.value.message


@PROPERTY
@given(day=days, n=counts)
def test_counting_n_workdays_then_counting_back_gives_n(day: dt.date, n: int) -> None:
    due = add_workdays(day, n)
    assert workdays_between(day, due) == n
    assert n == 0 or (is_workday(due) and due > day)


@PROPERTY
@given(day=days, n=counts)
def test_due_date_is_monotone_in_day_and_count(day: dt.date, n: int) -> None:
    assert add_workdays(day, n + 1) > add_workdays(day, n)
    assert add_workdays(day + dt.timedelta(days=1), n) >= add_workdays(day, n)


@PROPERTY
@given(a=days, b=days, c=days)
def test_workdays_between_adds_up_and_never_decreases(a: dt.date, b: dt.date, c: dt.date) -> None:
    a, b, c = sorted((a, b, c))
    assert workdays_between(a, c) == workdays_between(a, b) + workdays_between(b, c)
    assert workdays_between(a, b) >= 0


@PROPERTY
@given(day=days, n=st.integers(min_value=1, max_value=60))
def test_due_date_equals_a_day_by_day_count(day: dt.date, n: int) -> None:
    # the index against the plainest possible reading of the rule: walk forward one day at a time
    cursor, left = day, n
    while left:
        cursor += dt.timedelta(days=1)
        left -= is_workday(cursor)
    assert add_workdays(day, n) == cursor


def test_array_forms_agree_with_the_scalar_forms() -> None:
    rng = np.random.default_rng(7)
    starts = np.datetime64("2004-01-01") + rng.integers(0, 34000, 2000).astype("timedelta64[D]")
    ns = rng.integers(0, 120, 2000)
    dues = add_workdays_array(starts, ns)
    for start, n, due in zip(starts.tolist(), ns.tolist(), dues.tolist(), strict=True):
        assert add_workdays(start, n) == due
    assert (workdays_between_array(starts, dues) == ns).all()


def test_array_form_rejects_negative_counts_and_out_of_range_days() -> None:
    with pytest.raises(InvalidInput):
        add_workdays_array(np.array(["2025-01-01"], dtype="datetime64[D]"), -1)
    with pytest.raises(InvalidInput):
        add_workdays_array(np.array(["2003-01-01"], dtype="datetime64[D]"), 1)
