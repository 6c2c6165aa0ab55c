"""Benchmark of zhengwu.workdays: `uv run python bench/workdays/run.py` (figures go to docs/PERFORMANCE.md).

Measures, in one run: add_workdays against a day-by-day loop over chinesecalendar for n = 20 and n = 60, the
vectorised form (due dates per second), and working time over 1,000,000 instant pairs. A benchmark, not a test.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("ZHENGWU_DATABASE_URL", "sqlite://:memory:")
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))

import django

django.setup()

import chinese_calendar  # noqa: E402
import numpy as np  # noqa: E402
from django.core.management import call_command  # noqa: E402

from zhengwu.workdays import add_workdays, add_workdays_array, working_time_array  # noqa: E402
from zhengwu.workdays import index as ix  # noqa: E402

SCALAR_CALLS = 20_000
LOOP_CALLS = 2_000
VECTOR_SIZE = 1_000_000
PAIRS = 1_000_000
REPEATS = 5


def loop_add(day: dt.date, n: int) -> dt.date:
    """The obvious implementation: walk day by day asking chinesecalendar."""
    one = dt.timedelta(days=1)
    while n:
        day += one
        if chinese_calendar.is_workday(day):
            n -= 1
    return day


def best(fn: Callable[[], object], repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    ix.current()
    build_s = time.perf_counter() - started
    rng = np.random.default_rng(2026)
    # Start days inside the years chinesecalendar knows, so the loop can answer every one of them.
    offsets = rng.integers(0, (dt.date(2026, 6, 30) - dt.date(2004, 1, 1)).days, SCALAR_CALLS)
    starts = [dt.date(2004, 1, 1) + dt.timedelta(days=int(o)) for o in offsets]
    print(f"machine: {platform.machine()} · {os.cpu_count()} cores · Python {platform.python_version()}")
    print(f"index build (first use in a process): {build_s * 1000:.0f} ms")
    rows = []
    for n in (20, 60):
        for day in starts[:200]:
            assert add_workdays(day, n) == loop_add(day, n), (day, n)
        fast = best(lambda n=n: [add_workdays(day, n) for day in starts]) / SCALAR_CALLS
        slow = best(lambda n=n: [loop_add(day, n) for day in starts[:LOOP_CALLS]], 3) / LOOP_CALLS
        rows.append((n, fast, slow))
        print(
            f"add_workdays n={n}: {fast * 1e6:.2f} µs/call; day-by-day loop {slow * 1e6:.1f} µs/call; ×{slow / fast:.0f}"
        )

    days = np.datetime64("2004-01-01") + rng.integers(0, 34_000, VECTOR_SIZE).astype("timedelta64[D]")
    counts = rng.integers(0, 61, VECTOR_SIZE)
    vec = best(lambda: add_workdays_array(days, counts))
    print(f"add_workdays_array: {VECTOR_SIZE:,} due dates in {vec * 1000:.1f} ms = {VECTOR_SIZE / vec / 1e6:.1f} M/s")

    base = np.datetime64("2020-01-01T00:00:00", "us")
    begin = base + rng.integers(0, 6 * 365 * 86_400_000_000, PAIRS).astype("timedelta64[us]")
    end = begin + rng.integers(0, 30 * 86_400_000_000, PAIRS).astype("timedelta64[us]")
    wt = best(lambda: working_time_array(begin, end))
    result = working_time_array(begin, end)
    print(
        f"working_time_array: {PAIRS:,} pairs in {wt * 1000:.0f} ms "
        f"(median {statistics.median(result.tolist()):.2f} workdays)"
    )


if __name__ == "__main__":
    main()
