"""The precomputed workday index every count reads: built once per process from the holiday table, rebuilt on change.

One array entry per day from 2004-01-01 to 2100-12-31. `cum[i]` is the number of workdays on days 0..i, so the
workdays in (a, b] are `cum[b] - cum[a]`, and `positions[k]` is the day of the (k+1)-th workday, so the n-th
workday after d is `positions[cum[d] + n - 1]`: both O(1). Another process's change is noticed through the
`CalendarVersion` row, read at most every `WORKDAYS_INDEX_CHECK_SECONDS` (default 2) seconds; a change made
in this process is noticed at once (docs/adr/0002-workday-index.md).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass, field
from functools import partial

import numpy as np
from django.conf import settings
from django.db import connection, transaction

from zhengwu.workdays.provisional import statutory_holidays

FIRST_DAY = dt.date(2004, 1, 1)
LAST_DAY = dt.date(2100, 12, 31)
EPOCH = FIRST_DAY.toordinal()
DAYS = LAST_DAY.toordinal() - EPOCH + 1
# numpy datetime64[D] counts from 1970-01-01.
EPOCH_NP = (FIRST_DAY - dt.date(1970, 1, 1)).days

# Why a day is not an ordinary weekday/weekend day; explain() reads these.
HOLIDAY, MAKEUP, PROVISIONAL_HOLIDAY, LOCAL = "holiday", "makeup_workday", "provisional_holiday", "local_day_off"


@dataclass
class Index:
    version: int
    workday: np.ndarray  # bool per day
    cum: np.ndarray  # int32 per day: workdays on days 0..i
    positions: np.ndarray  # int32: day of the k-th workday (0-based k)
    provisional: np.ndarray  # bool per day: the day's year has no loaded notice
    provisional_cum: np.ndarray  # int32 per day: provisional days on days 0..i
    loaded_years: frozenset[int]
    special: dict[int, tuple[str, str]]  # day -> (HOLIDAY | MAKEUP | PROVISIONAL_HOLIDAY | LOCAL, name)
    local: dict[str, list[tuple[int, str]]]  # division code prefix -> [(day, name)]
    local_lengths: tuple[int, ...] = ()
    # Python lists of the same numbers: indexing a list is faster than a numpy scalar on the scalar path.
    cum_list: list[int] = field(default_factory=list)
    positions_list: list[int] = field(default_factory=list)
    workday_list: list[bool] = field(default_factory=list)
    _by_division: dict[str, Index] = field(default_factory=dict)
    _by_days: dict[frozenset[tuple[int, str]], Index] = field(default_factory=dict)

    def for_division(self, code: str) -> Index:
        """This index with the local days off of `code` and its ancestor divisions (code prefixes)."""
        if not code or not self.local:
            return self
        found = self._by_division.get(code)
        if found is not None:
            return found
        days = frozenset(
            item for length in self.local_lengths if len(code) >= length for item in self.local.get(code[:length], ())
        )
        if not days:
            derived = self
        else:
            derived = self._by_days.get(days) or _derive(self, days)
            self._by_days[days] = derived
        self._by_division[code] = derived
        return derived


def _finish(
    *,
    version: int,
    workday: np.ndarray,
    provisional: np.ndarray,
    loaded_years: frozenset[int],
    special: dict[int, tuple[str, str]],
    local: dict[str, list[tuple[int, str]]],
) -> Index:
    cum = np.cumsum(workday, dtype=np.int32)
    positions = np.flatnonzero(workday).astype(np.int32)
    return Index(
        version=version,
        workday=workday,
        cum=cum,
        positions=positions,
        provisional=provisional,
        provisional_cum=np.cumsum(provisional, dtype=np.int32),
        loaded_years=loaded_years,
        special=special,
        local=local,
        local_lengths=tuple(sorted({len(prefix) for prefix in local})),
        cum_list=cum.tolist(),
        positions_list=positions.tolist(),
        workday_list=workday.tolist(),
    )


def _derive(base: Index, days: frozenset[tuple[int, str]]) -> Index:
    workday = base.workday.copy()
    special = dict(base.special)
    for day, name in sorted(days):
        workday[day] = False
        previous = special.get(day)
        special[day] = (LOCAL, name if previous is None or previous[0] == MAKEUP else f"{previous[1]}、{name}")
    return _finish(
        version=base.version,
        workday=workday,
        provisional=base.provisional,
        loaded_years=base.loaded_years,
        special=special,
        local={},
    )


def offset_of(day: dt.date) -> int:
    return day.toordinal() - EPOCH


def day_of(offset: int) -> dt.date:
    return dt.date.fromordinal(offset + EPOCH)


def build(version: int) -> Index:
    """Read the holiday table (three small queries) and compute the arrays."""
    from zhengwu.workdays.models import CalendarDay, CalendarYear, LocalDayOff

    offsets = np.arange(DAYS, dtype=np.int32)
    workday = (offsets + FIRST_DAY.weekday()) % 7 < 5
    loaded = frozenset(CalendarYear.objects.values_list("year", flat=True))
    years = np.array([FIRST_DAY.year + i for i in range(LAST_DAY.year - FIRST_DAY.year + 1)])
    year_of_day = (offsets.astype("timedelta64[D]") + np.datetime64(FIRST_DAY, "D")).astype("datetime64[Y]").astype(
        np.int64
    ) + 1970
    provisional = ~np.isin(year_of_day, np.array(sorted(loaded), dtype=np.int64))
    special: dict[int, tuple[str, str]] = {}
    for year in years.tolist():
        if year in loaded:
            continue
        for day, name in statutory_holidays(year).items():
            off = offset_of(day)
            workday[off] = False
            special[off] = (PROVISIONAL_HOLIDAY, name)
    for day, kind, name in CalendarDay.objects.values_list("date", "kind", "name"):
        off = offset_of(day)
        if not 0 <= off < DAYS:
            continue
        workday[off] = kind == MAKEUP
        special[off] = (HOLIDAY if kind == HOLIDAY else MAKEUP, name)
    local: dict[str, list[tuple[int, str]]] = {}
    for code, day, name in LocalDayOff.objects.values_list("division_code", "date", "name"):
        off = offset_of(day)
        if 0 <= off < DAYS:
            local.setdefault(code, []).append((off, name))
    return _finish(
        version=version, workday=workday, provisional=provisional, loaded_years=loaded, special=special, local=local
    )


class _State:
    index: Index | None = None
    checked_at = 0.0
    # The outermost transaction in which this process changed the calendar. An index built inside it holds
    # uncommitted rows: it serves that transaction only, until on_commit confirms it (a rollback must not leave
    # its rows behind, even if another process's change brings the version number back to the same value).
    changed_in: object | None = None
    tentative_in: object | None = None
    check_seconds = 0.0  # read from settings at each rebuild check, kept here off the hot path


_state = _State()
_lock = threading.Lock()


def _check_seconds() -> float:
    return float(getattr(settings, "WORKDAYS_INDEX_CHECK_SECONDS", 2.0))


def _db_version() -> int:
    from zhengwu.workdays.models import CalendarVersion

    row = CalendarVersion.objects.filter(pk=1).values_list("version", flat=True).first()
    return int(row or 0)


def _outermost_transaction() -> object | None:
    return connection.atomic_blocks[0] if connection.in_atomic_block and connection.atomic_blocks else None


def current() -> Index:
    """The index, rebuilt when the calendar's version in the database has changed."""
    state = _state
    index = state.index
    if index is not None and state.tentative_in is None and time.monotonic() - state.checked_at < _check_seconds():
        return index
    with _lock:
        version = _db_version()
        index = state.index
        txn = _outermost_transaction()
        stale_tentative = state.tentative_in is not None and state.tentative_in is not txn
        if index is None or index.version != version or stale_tentative:
            index = build(version)
            state.index = index
            state.tentative_in = txn if txn is not None and txn is state.changed_in else None
            if state.tentative_in is not None:
                transaction.on_commit(partial(_confirm, index))
        state.checked_at = time.monotonic()
        state.check_seconds = _check_seconds()
        return index


def _confirm(built: Index) -> None:
    if _state.index is built:
        _state.tentative_in = None
        _state.changed_in = None


def invalidate() -> None:
    """Called by every change to the calendar, inside its transaction: this process rebuilds at its next count."""
    _state.index = None
    _state.tentative_in = None
    _state.changed_in = _outermost_transaction()
    _state.checked_at = 0.0
