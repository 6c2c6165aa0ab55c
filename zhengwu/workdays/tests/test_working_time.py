"""Working time between instants: office hours on workdays only, in workdays; scalar and array forms agree."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from zhengwu.core.clock import SHANGHAI
from zhengwu.core.errors import InvalidInput
from zhengwu.orgs.models import Org
from zhengwu.workdays import working_time, working_time_array

pytestmark = pytest.mark.django_db


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("start", "end", "workdays"),
    [
        ("2025-03-03 09:00", "2025-03-03 17:30", 1.0),  # one full day (3 h + 4 h = 420 min)
        ("2025-03-03 09:00", "2025-03-03 09:42", 0.1),  # 42 of 420 minutes
        ("2025-03-03 11:30", "2025-03-03 14:00", 1 / 420 * 60),  # lunch does not count: 30 + 30 min
        ("2025-03-03 18:00", "2025-03-04 08:00", 0.0),  # overnight, outside office hours
        ("2025-03-03 18:00", "2025-03-04 09:21", 21 / 420),  # the evening instant moves to 09:00 next day
        ("2025-03-07 17:00", "2025-03-10 09:30", 60 / 420),  # Friday 17:00 → Monday 09:30: 30 + 30 min
        ("2025-09-30 17:00", "2025-10-09 09:00", 30 / 420),  # National Day week counts nothing
        ("2025-10-10 17:30", "2025-10-11 12:00", 3 / 7),  # Saturday 11 Oct is a make-up workday
    ],
)
def test_working_time_counts_office_minutes_on_workdays(start: str, end: str, workdays: float) -> None:
    assert working_time(at(start), at(end)) == pytest.approx(workdays)


def test_an_orgs_own_office_hours(county: dict[str, Org]) -> None:
    org = county["station"]
    org.office_hours = "08:30-12:00"
    assert working_time(at("2025-03-03 08:30"), at("2025-03-03 10:15"), org=org) == pytest.approx(0.5)


def test_utc_instants_are_read_in_shanghai_time() -> None:
    start = dt.datetime(2025, 3, 3, 1, 0, tzinfo=dt.UTC)  # 09:00 in Shanghai
    assert working_time(start, start + dt.timedelta(hours=3)) == pytest.approx(3 / 7)


def test_naive_and_reversed_instants_are_rejected() -> None:
    with pytest.raises(InvalidInput):
        working_time(dt.datetime(2025, 3, 3, 9), at("2025-03-03 10:00"))
    with pytest.raises(InvalidInput):
        working_time(at("2025-03-03 10:00"), at("2025-03-03 09:00"))


def test_array_form_agrees_with_the_scalar_form() -> None:
    rng = np.random.default_rng(11)
    base = np.datetime64("2024-12-01T00:00:00", "s")
    starts = base + rng.integers(0, 400 * 86400, 3000).astype("timedelta64[s]")
    ends = starts + rng.integers(0, 30 * 86400, 3000).astype("timedelta64[s]")
    result = working_time_array(starts, ends)
    for s, e, r in zip(starts.tolist(), ends.tolist(), result.tolist(), strict=True):
        expected = working_time(s.replace(tzinfo=dt.UTC), e.replace(tzinfo=dt.UTC))
        assert r == pytest.approx(expected, abs=1e-9)
