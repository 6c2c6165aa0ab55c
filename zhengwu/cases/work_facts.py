"""A case's working-time and evaluation facts, stored when they become known, so reports only add them up.

`accept_workdays` (working time from submission to acceptance, spec/workdays.md), `conclude_workdays` (acceptance
to conclusion), `accepted_on` / `concluded_on` (Asia/Shanghai local dates), `evaluation_level` and `rectified` are
copies of what the instants, the org's office hours, the calendar and the evaluation say (docs/adr/0004). They are
written with the instants they derive from:

* one transition (accept, conclude): `accept_facts` / `conclude_facts`, through `working_time`;
* many rows at once (ledger import, test and demo data): `fill_facts`, through `working_time_array`;
* inputs that change under stored rows (a year's notice, a local day off, an org's office hours or division):
  `recompute`, one SQL UPDATE computing W(end) − W(start) in the database with `WorkingTimeSql`. The same SQL fills
  the rows that existed before the columns (migration cases/0008).

W(t), the working time from 2004-01-01 to t in workdays, is `before[d] + workday[d] × (office seconds of t's local
day up to t) / (seconds of one workday)` on the workday index; a working time is W(end) − W(start), 0 for instants
recorded out of order, NULL (None) when an instant lies outside the calendar's range.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from django.db import connection
from django.db.models import QuerySet

from zhengwu.cases.states import BAD_LEVELS, RectificationStatus
from zhengwu.core.clock import SHANGHAI
from zhengwu.workdays import index as ix
from zhengwu.workdays import working_time, working_time_array
from zhengwu.workdays.working_time import SHANGHAI_OFFSET_SECONDS, Periods, parse_office_hours

if TYPE_CHECKING:
    from zhengwu.cases.models import Case
    from zhengwu.orgs.models import Org

DAY = 86400
# Below this a recomputed working time is the stored one (1e-6 workday is 25 ms of office time; a change of the
# calendar or of office hours moves it by a second or more).
SAME_WORKDAYS = 1e-6
WORK_FIELDS = ("accept_workdays", "conclude_workdays", "accepted_on", "concluded_on")


# --- One transition ----------------------------------------------------------------------------------------------


def _in_range(instant: dt.datetime) -> bool:
    return ix.FIRST_DAY <= instant.astimezone(SHANGHAI).date() <= ix.LAST_DAY


def _between(start: dt.datetime, end: dt.datetime, org: Org) -> float | None:
    if not (_in_range(start) and _in_range(end)):
        return None
    if end <= start:  # recorded out of order: no working time, as W is monotone
        return 0.0
    return working_time(start, end, org=org)


def accept_facts(case: Case, accepted_at: dt.datetime) -> dict[str, Any]:
    """The fields an acceptance at `accepted_at` stores (the case's org with its division loaded)."""
    return {
        "accepted_on": accepted_at.astimezone(SHANGHAI).date(),
        "accept_workdays": _between(case.submitted_at, accepted_at, case.org),
    }


def conclude_facts(case: Case, concluded_at: dt.datetime) -> dict[str, Any]:
    """The fields a conclusion at `concluded_at` stores."""
    accepted = case.accepted_at  # None only for a conclusion the transition table refuses
    return {
        "concluded_on": concluded_at.astimezone(SHANGHAI).date(),
        "conclude_workdays": None if accepted is None else _between(accepted, concluded_at, case.org),
    }


# --- Many rows ---------------------------------------------------------------------------------------------------


def _utc64(values: Sequence[dt.datetime | None]) -> np.ndarray:
    """Aware instants (None allowed) as datetime64[us] UTC, NaT for None. Through `timestamp()` (one C call each):
    converting a million datetime objects with `astimezone`/`replace` and NumPy's own parser took ~7 s of an
    import. A float of seconds near 2026 resolves 0.24 µs, so rounding to the microsecond gives the instant back."""
    stamps = np.fromiter((np.nan if v is None else v.timestamp() for v in values), dtype=np.float64, count=len(values))
    out = np.full(len(stamps), np.datetime64("NaT"), dtype="datetime64[us]")
    ok = ~np.isnan(stamps)
    out[ok] = np.rint(stamps[ok] * 1e6).astype(np.int64).astype("datetime64[us]")
    return out


def work_arrays(
    submitted: np.ndarray,
    accepted: np.ndarray,
    concluded: np.ndarray,
    *,
    office_hours: str | None,
    division_code: str,
) -> dict[str, np.ndarray]:
    """The four facts over arrays of datetime64 UTC instants (NaT where missing) of one org's setting.

    Working times are float64 with NaN for None; dates are datetime64[D] with NaT."""
    out: dict[str, np.ndarray] = {}
    day0 = np.datetime64(ix.FIRST_DAY, "us")
    day1 = np.datetime64(ix.LAST_DAY + dt.timedelta(days=1), "us")
    shift = np.timedelta64(SHANGHAI_OFFSET_SECONDS, "s")
    for name, start, end in (("accept_workdays", submitted, accepted), ("conclude_workdays", accepted, concluded)):
        local_start, local_end = start + shift, end + shift
        ok = ~np.isnat(start) & ~np.isnat(end)
        ok &= (local_start >= day0) & (local_start < day1) & (local_end >= day0) & (local_end < day1)
        values = np.full(len(start), np.nan)
        if ok.any():
            s, e = start[ok], end[ok]
            values[ok] = working_time_array(s, np.maximum(s, e), office_hours=office_hours, division_code=division_code)
        out[name] = values
    out["accepted_on"] = (accepted + shift).astype("datetime64[D]")
    out["concluded_on"] = (concluded + shift).astype("datetime64[D]")
    return out


def fill_facts(records: Sequence[dict[str, Any]], org: Org) -> None:
    """Add the four facts to case field dicts of `org` (with `submitted_at`, `accepted_at`, `concluded_at`)."""
    if not records:
        return
    get = [r.get for r in records]
    arrays = work_arrays(
        _utc64([g("submitted_at") for g in get]),
        _utc64([g("accepted_at") for g in get]),
        _utc64([g("concluded_at") for g in get]),
        office_hours=org.office_hours,
        division_code=org.division.code if org.division is not None else "",
    )
    columns = {
        "accept_workdays": [None if v != v else v for v in arrays["accept_workdays"].tolist()],
        "conclude_workdays": [None if v != v else v for v in arrays["conclude_workdays"].tolist()],
        "accepted_on": arrays["accepted_on"].tolist(),
        "concluded_on": arrays["concluded_on"].tolist(),
    }
    for name, values in columns.items():
        for record, value in zip(records, values, strict=True):
            record[name] = value


def evaluation_facts(level: str | None, rectified: bool) -> dict[str, Any]:
    """`evaluation_level` ('' without an evaluation) and `rectified` (a bad rating whose rectification is closed)."""
    return {"evaluation_level": level or "", "rectified": level in BAD_LEVELS and rectified}


# --- The SQL path: W in the database -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Setting:
    """Orgs sharing office hours and calendar (national days and their division's local days off)."""

    periods: Periods
    index: ix.Index
    org_ids: tuple[int, ...]

    @property
    def per_day(self) -> int:
        return sum(b - a for a, b in self.periods)


def settings_for(orgs: Iterable[tuple[int, str, str | None]]) -> list[Setting]:
    """Group (org id, office hours, division code) by effective setting; the largest class comes last."""
    base = ix.current()
    classes: dict[tuple[Periods, int], tuple[Periods, ix.Index, list[int]]] = {}
    for org_id, office_hours, division_code in orgs:
        periods = parse_office_hours(office_hours)
        index = base.for_division(division_code or "")
        key = (periods, id(index))
        classes.setdefault(key, (periods, index, []))[2].append(org_id)
    out = [Setting(p, i, tuple(sorted(ids))) for p, i, ids in classes.values()]
    return sorted(out, key=lambda s: (len(s.org_ids), s.org_ids))


def org_settings(orgs: QuerySet[Any]) -> list[Setting]:
    return settings_for(orgs.values_list("id", "office_hours", "division__code"))


# SQLite: W(x) as a Python function registered on the connection, reading the setting by key.
_SQLITE_SETTINGS: OrderedDict[str, tuple[Periods, int, list[int], list[bool]]] = OrderedDict()


def _sqlite_working_days(key: str, x: float | None) -> float | None:
    if x is None:
        return None
    periods, per_day, before, workday = _SQLITE_SETTINGS[key]
    day = int(x // DAY)
    off = day - ix.EPOCH_NP
    if not 0 <= off < ix.DAYS:
        return None
    seconds = x - day * DAY
    today = sum(min(max(seconds - a, 0.0), b - a) for a, b in periods) if workday[off] else 0.0
    return before[off] + today / per_day


def register_sqlite_functions() -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        connection.connection.create_function("zw_working_days", 2, _sqlite_working_days, deterministic=True)


class WorkingTimeSql:
    """W and local days as SQL expressions. Values are written as literals (numbers and arrays this module makes,
    never user text)."""

    def __init__(self) -> None:
        self.vendor = connection.vendor

    def local_seconds(self, column: str) -> str:
        """Seconds since 1970-01-01 00:00 Asia/Shanghai local time (UTC+8 throughout the calendar's range)."""
        if self.vendor == "postgresql":
            return f"(date_part('epoch', {column}) + {SHANGHAI_OFFSET_SECONDS}.0)"
        return f"((julianday({column}) - 2440587.5) * 86400.0 + {SHANGHAI_OFFSET_SECONDS}.0)"

    def local_date(self, column: str) -> str:
        if self.vendor == "postgresql":
            return f"(({column}) AT TIME ZONE 'Asia/Shanghai')::date"
        return f"date({column}, '+{SHANGHAI_OFFSET_SECONDS} seconds')"

    def day_of(self, seconds: str) -> str:
        return f"floor({seconds} / {DAY}.0)"

    def working_days(self, seconds: str, settings: list[Setting], org_column: str) -> str:
        """W at `seconds` (local seconds since 1970) in workdays since 2004-01-01; NULL for NULL or out of range."""
        branches = [self._working_days_one(seconds, s) for s in settings]
        if len(branches) == 1:
            return branches[0]
        cases = " ".join(
            f"WHEN {org_column} IN ({', '.join(str(int(i)) for i in s.org_ids)}) THEN {b}"
            for s, b in zip(settings[:-1], branches[:-1], strict=True)
        )
        return f"(CASE {cases} ELSE {branches[-1]} END)"

    def between(self, start: str, end: str, settings: list[Setting], org_column: str) -> str:
        """max(W(end) − W(start), 0); NULL when either is NULL or out of range."""
        diff = (
            f"({self.working_days(self.local_seconds(end), settings, org_column)}"
            f" - {self.working_days(self.local_seconds(start), settings, org_column)})"
        )
        return f"(CASE WHEN {diff} < 0 THEN 0.0 ELSE {diff} END)"

    def _working_days_one(self, seconds: str, setting: Setting) -> str:
        index = setting.index
        if self.vendor == "postgresql":
            before = "{" + ",".join(map(str, (index.cum - index.workday).tolist())) + "}"
            workday = "{" + ",".join("1" if v else "0" for v in index.workday_list) + "}"
            day = self.day_of(seconds)
            off = f"({day}::int - {ix.EPOCH_NP - 1})"  # arrays are 1-based
            secs = f"({seconds} - {day} * {DAY}.0)"
            today = " + ".join(f"LEAST(GREATEST({secs} - {a}.0, 0.0), {b - a}.0)" for a, b in setting.periods)
            return f"(('{before}'::int4[])[{off}] + ('{workday}'::int4[])[{off}] * ({today}) / {setting.per_day}.0)"
        key = f"{setting.periods}/{id(index)}/{index.version}"
        if key not in _SQLITE_SETTINGS:
            before_list = (index.cum - index.workday).tolist()
            _SQLITE_SETTINGS[key] = (setting.periods, setting.per_day, before_list, index.workday_list)
            while len(_SQLITE_SETTINGS) > 16:
                _SQLITE_SETTINGS.popitem(last=False)
        return f"zw_working_days('{key}', {seconds})"


def recompute(cases: QuerySet[Case], settings: list[Setting] | None = None) -> int:
    """Recompute the four facts of `cases` (accepted ones) in one UPDATE; returns how many rows changed.

    `settings` defaults to those of every org; rows whose stored values are already right (working time within
    SAME_WORKDAYS) are not written."""
    from zhengwu.orgs.models import Org

    if settings is None:
        settings = org_settings(Org.objects.all())
    if not settings:
        return 0
    q = WorkingTimeSql()
    table = cases.model._meta.db_table
    ids_sql, params = cases.filter(accepted_at__isnull=False).order_by().values("pk").query.sql_with_params()
    new = {
        "accept_workdays": q.between("c.submitted_at", "c.accepted_at", settings, "c.org_id"),
        "conclude_workdays": q.between("c.accepted_at", "c.concluded_at", settings, "c.org_id"),
        "accepted_on": q.local_date("c.accepted_at"),
        "concluded_on": q.local_date("c.concluded_at"),
    }
    differs = "IS DISTINCT FROM" if q.vendor == "postgresql" else "IS NOT"
    # A working time counts as changed when it moved by more than SAME_WORKDAYS, not by float rounding: the SQL
    # path reads instants as floats (SQLite to the millisecond), so its last bits differ from the Python path's.
    changed = [
        f"({table}.{k} IS NULL) <> (n.{k} IS NULL) OR abs({table}.{k} - n.{k}) > {SAME_WORKDAYS}"
        for k in ("accept_workdays", "conclude_workdays")
    ] + [f"{table}.{k} {differs} n.{k}" for k in ("accepted_on", "concluded_on")]
    # The new values come from a subquery joined on id, so the changed-rows test and the SET read them once.
    sql = (
        f"UPDATE {table} SET {', '.join(f'{k} = n.{k}' for k in new)} FROM ("  # noqa: S608
        f"SELECT c.id AS id, {', '.join(f'{v} AS {k}' for k, v in new.items())} FROM {table} c "
        f"WHERE c.id IN ({ids_sql})) n "
        f"WHERE {table}.id = n.id AND ({' OR '.join(changed)})"
    )
    register_sqlite_functions()
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return max(cur.rowcount, 0)


def recompute_evaluation_facts(cases: QuerySet[Case]) -> int:
    """`evaluation_level` and `rectified` of `cases` from their evaluation rows, in one UPDATE (changed rows only)."""
    from zhengwu.cases.models import Evaluation, Rectification

    table, ev, rect = cases.model._meta.db_table, Evaluation._meta.db_table, Rectification._meta.db_table
    ids_sql, params = cases.order_by().values("pk").query.sql_with_params()
    bad = ", ".join(f"'{v}'" for v in sorted(BAD_LEVELS))
    level = f"COALESCE((SELECT e.level FROM {ev} e WHERE e.case_id = c.id), '')"  # noqa: S608
    closed = (
        f"EXISTS (SELECT 1 FROM {ev} e JOIN {rect} r ON r.evaluation_id = e.id"  # noqa: S608
        f" WHERE e.case_id = c.id AND r.status = '{RectificationStatus.CLOSED}' AND e.level IN ({bad}))"
    )
    differs = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    sql = (
        f"UPDATE {table} SET evaluation_level = n.lv, rectified = n.rc FROM ("  # noqa: S608
        f"SELECT c.id AS id, {level} AS lv, {closed} AS rc FROM {table} c WHERE c.id IN ({ids_sql})) n "
        f"WHERE {table}.id = n.id AND ({table}.evaluation_level {differs} n.lv OR {table}.rectified {differs} n.rc)"
    )
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return max(cur.rowcount, 0)


def facts_of(case: Case) -> Mapping[str, Any]:
    return {f: getattr(case, f) for f in (*WORK_FIELDS, "evaluation_level", "rectified")}
