"""The Clock: due dates with pauses, restarts, extensions and calendar days; state and warning band; explain()."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhengwu.core.errors import InvalidInput
from zhengwu.workdays import Clock, ClockState, Extension, Pause, Restart, add_workdays, workdays_between
from zhengwu.workdays.tests.conftest import d

pytestmark = pytest.mark.django_db

PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def test_twenty_workday_reply_limit_across_national_day_2025() -> None:
    # given a disclosure request received on 26 Sep 2025 with a 20-workday limit
    clock = Clock(start=d("2025-09-26"), limit=20)
    # then the count skips 1–8 Oct, counts Sunday 28 Sep and Saturday 11 Oct, and ends on 30 Oct
    assert clock.due_on == d("2025-10-30")
    assert workdays_between(d("2025-09-26"), clock.due_on) == 20
    assert clock.provisional is False


@PROPERTY
@given(
    start=st.dates(min_value=dt.date(2005, 1, 1), max_value=dt.date(2090, 1, 1)),
    limit=st.integers(min_value=1, max_value=60),
    offset=st.integers(min_value=0, max_value=80),
    length=st.integers(min_value=0, max_value=40),
)
def test_a_pause_moves_the_due_date_by_exactly_its_workdays(
    start: dt.date, limit: int, offset: int, length: int
) -> None:
    p0 = start + dt.timedelta(days=offset)
    p1 = p0 + dt.timedelta(days=length)
    plain = Clock(start=start, limit=limit)
    paused = Clock(start=start, limit=limit, pauses=(Pause(p0, p1, "征求第三方意见"),))
    assert paused.due_on == add_workdays(plain.due_on, workdays_between(p0, p1))


def test_overlapping_pauses_count_each_day_once() -> None:
    start = d("2025-03-03")
    one = Clock(start=start, limit=10, pauses=(Pause(d("2025-03-05"), d("2025-03-12")),))
    two = Clock(
        start=start, limit=10, pauses=(Pause(d("2025-03-05"), d("2025-03-10")), Pause(d("2025-03-07"), d("2025-03-12")))
    )
    assert one.due_on == two.due_on


def test_restart_counts_the_limit_again_in_full_and_drops_earlier_pauses_and_extensions() -> None:
    # given a request clarified on 10 Mar 2025 after a pause and an extension granted before the clarification
    clock = Clock(
        start=d("2025-03-03"),
        limit=20,
        pauses=(Pause(d("2025-03-04"), d("2025-03-07")),),
        extensions=(Extension(5, d("2025-03-05")),),
        restarts=(Restart(d("2025-03-10"), "收到补正后的申请"),),
    )
    # then the limit counts in full from 10 Mar
    assert clock.due_on == add_workdays(d("2025-03-10"), 20)
    assert clock.explain().restart == Restart(d("2025-03-10"), "收到补正后的申请")


def test_extension_moves_the_due_date_by_its_workdays_after_the_due_date() -> None:
    base = Clock(start=d("2026-09-15"), limit=10)
    extended = Clock(start=d("2026-09-15"), limit=10, extensions=(Extension(20, d("2026-09-20"), "经负责人同意"),))
    assert extended.due_on == add_workdays(base.due_on, 20)


def test_calendar_days_mode_rolls_a_rest_day_to_the_next_workday() -> None:
    clock = Clock(start=d("2025-09-16"), limit=15, calendar_days=True)
    assert clock.due_on == d("2025-10-09")
    assert clock.explain().rolled_from == d("2025-10-01")


@pytest.mark.parametrize(
    ("today", "state"),
    [
        ("2025-03-03", ClockState.ON_TIME),  # 10 workdays left
        ("2025-03-11", ClockState.ON_TIME),  # 4 left
        ("2025-03-12", ClockState.WARNING),  # 3 left: inside the band of 3
        ("2025-03-13", ClockState.WARNING),  # 2 left
        ("2025-03-17", ClockState.WARNING),  # the due date itself: 0 left, still on time
        ("2025-03-18", ClockState.OVERDUE),
    ],
)
def test_state_with_a_warning_band_of_three_workdays(today: str, state: ClockState) -> None:
    clock = Clock(start=d("2025-03-03"), limit=10, warning_workdays=3)
    assert clock.due_on == d("2025-03-17")
    assert clock.state(d(today)) == state


def test_warning_band_by_ratio_of_the_limit() -> None:
    # given a 60-workday limit and the default band (≤ 2 workdays or ≤ 20 % of the limit)
    clock = Clock(start=d("2025-03-03"), limit=60)
    due = clock.due_on
    # then 12 workdays before the due date it warns, 13 before it does not
    assert clock.state(_back(due, 12)) == ClockState.WARNING
    assert clock.state(_back(due, 13)) == ClockState.ON_TIME
    assert clock.remaining(_back(due, 13)) == 13


def _back(due: dt.date, n: int) -> dt.date:
    day = due
    while workdays_between(day, due) < n:
        day -= dt.timedelta(days=1)
    return day


def test_done_on_or_before_the_due_date_is_on_time() -> None:
    clock = Clock(start=d("2025-03-03"), limit=10)
    assert clock.state(d("2025-04-01"), done_on=d("2025-03-17")) == ClockState.ON_TIME
    assert clock.state(d("2025-04-01"), done_on=d("2025-03-18")) == ClockState.OVERDUE


def test_due_date_counted_into_2027_is_provisional() -> None:
    clock = Clock(start=d("2026-12-20"), limit=20)
    assert clock.provisional is True
    assert Clock(start=d("2026-11-02"), limit=20).provisional is False


def test_explain_names_the_holidays_weekends_makeup_days_pauses_and_extensions() -> None:
    clock = Clock(
        start=d("2025-09-26"),
        limit=10,
        pauses=(Pause(d("2025-10-13"), d("2025-10-15"), "征求第三方意见"),),
        extensions=(Extension(3, d("2025-10-20"), "经机关负责人同意延长"),),
    )
    lines = clock.explain().lines()
    text = "\n".join(lines)
    assert "起算日：2025-09-26（当日不计入），时限 10 个工作日。" in lines
    assert "不计：2025-10-01 至 2025-10-05 国庆节放假（5 天）" in lines
    assert "不计：2025-10-06 中秋节放假（1 天）" in lines
    assert "计入：2025-09-28（周日）国庆节调休上班日" in lines
    assert "计入：2025-10-11（周六）国庆节调休上班日" in lines
    assert "不计：2025-10-18 至 2025-10-19 周末（2 天）" in lines
    assert "暂停：2025-10-13 至 2025-10-15（征求第三方意见），其间 2 个工作日不计入，期限相应顺延。" in lines
    assert "延期：3 个工作日（经机关负责人同意延长，2025-10-20 批准）。" in lines
    assert "合计：2025-09-26 之后至 2025-10-23 共 15 个工作日。" in lines
    assert lines[-1] == "期限届满日：2025-10-23（周四）。"
    assert "暂定" not in text


def test_explain_marks_provisional_years_and_their_statutory_days() -> None:
    text = Clock(start=d("2026-12-28"), limit=5).explain().text()
    assert "2027-01-01 元旦（法定节日，暂定）" in text
    assert "暂定：2027 年的节假日安排尚未发布" in text


def test_bad_clock_values_are_rejected() -> None:
    with pytest.raises(InvalidInput):
        Clock(start=d("2025-01-01"), limit=-1)
    with pytest.raises(InvalidInput):
        Pause(d("2025-01-05"), d("2025-01-01"))
    with pytest.raises(InvalidInput):
        Extension(-2)
