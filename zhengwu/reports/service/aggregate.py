"""The case figures of spec/service-metrics.md as one aggregate query, working time included.

Working time (spec/workdays.md) is computed in SQL from the workday index: W(t), the working time from 2004-01-01
to the instant t in workdays, is `before[d] + workday[d] × (office seconds of t's day up to t) / (seconds of one
workday)`, where d is t's Asia/Shanghai day and `before`/`workday` are the index's arrays, written into the query
as `int4[]` literals on PostgreSQL (a Python function registered on the connection on SQLite). The working time between two
instants is W(end) − W(start) (0 for a pair recorded out of order), so every sum is one SUM over the rows.

The query reads each case once. Every value a row needs more than once — whether it counts as submitted, accepted,
concluded in the period, its local days, its W values — is computed once per row in two derived layers (subqueries
the planner keeps as they are, see `_Sql.fence`), and the aggregates only test and add those values. Orgs may
keep different office hours or local days off: orgs with the same effective setting form a class, and W is a CASE
over the classes (one branch for the usual single class).
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import F, QuerySet

from zhengwu.cases.models import Case
from zhengwu.cases.states import BAD_LEVELS, Decision, Level, RectificationStatus
from zhengwu.catalog.models import Mode
from zhengwu.orgs.models import Org
from zhengwu.workdays import index as ix
from zhengwu.workdays.working_time import SHANGHAI_OFFSET_SECONDS, Periods, parse_office_hours

# For this query only (set_config(…, is_local), put back after it): its long expression list costs seconds to
# JIT-compile, more than compiling saves; and the evaluation rows of a city's year fit a hash table in memory.
SESSION_SETTINGS = {"jit": "off", "work_mem": "64MB"}

GOOD_LEVELS = (Level.VERY_SATISFIED, Level.SATISFIED, Level.BASICALLY_SATISFIED)
DAY = 86400

# The base columns the derived layers read: alias → field path of the ORM query that selects the rows.
BASE = {
    "org_id": "org_id",
    "window_id": "window_id",
    "submitted_at": "submitted_at",
    "accepted_at": "accepted_at",
    "rejected_at": "rejected_at",
    "concluded_at": "concluded_at",
    "decision": "decision",
    "mode": "mode",
    "channel": "channel",
    "visits": "visits",
    "on_site": "on_site",
    "due_on": "due_on",
    "warn_on": "warn_on",
    "statutory": "statutory_limit_days",
    "promised": "promised_limit_days",
    "ev_id": "evaluation__id",
    "ev_level": "evaluation__level",
    "rect_status": "evaluation__rectification__status",
}


# --- Working-time settings: classes of orgs sharing office hours and calendar --------------------------------------


@dataclass(frozen=True)
class Setting:
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


class _Sql:
    """Vendor differences of the few expressions the query uses. Values are written as literals (they are dates,
    instants and numbers this module makes, never user text): only the ORM's query of the rows has parameters."""

    def __init__(self) -> None:
        self.vendor = connection.vendor

    def instant(self, value: dt.datetime) -> str:
        if self.vendor == "postgresql":
            return f"'{value.astimezone(dt.UTC).isoformat()}'::timestamptz"
        return f"'{connection.ops.adapt_datetimefield_value(value)}'"

    def date(self, value: dt.date) -> str:
        return f"DATE '{value.isoformat()}'" if self.vendor == "postgresql" else f"'{value.isoformat()}'"

    def local_seconds(self, column: str) -> str:
        """Seconds since 1970-01-01 00:00 Asia/Shanghai local time (UTC+8 throughout the calendar's range)."""
        if self.vendor == "postgresql":
            return f"(date_part('epoch', {column}) + {SHANGHAI_OFFSET_SECONDS}.0)"
        return f"((julianday({column}) - 2440587.5) * 86400.0 + {SHANGHAI_OFFSET_SECONDS}.0)"

    def epoch_day(self, column: str) -> str:
        """A date column as days since 1970-01-01."""
        if self.vendor == "postgresql":
            return f"({column} - DATE '1970-01-01')"
        return f"CAST(julianday({column}) - 2440587.5 AS INTEGER)"

    def day_of(self, seconds: str) -> str:
        return f"floor({seconds} / {DAY}.0)"

    def greatest0(self, value: str) -> str:
        return f"GREATEST({value}, 0.0)" if self.vendor == "postgresql" else f"MAX({value}, 0.0)"

    def fence(self, n: int) -> tuple[str, str]:
        """(an extra select item, a suffix) that keep a subquery from being merged into the query around it, so its
        expressions are computed once per row rather than once per use.

        PostgreSQL: a set-returning function in the select list (one row per row) — unlike OFFSET 0 it leaves the
        scan, the joins and the aggregate free to run in parallel workers. SQLite: LIMIT -1 OFFSET 0."""
        if self.vendor == "postgresql":
            return f", generate_series(1, 1) AS _once{n}", ""
        return "", " LIMIT -1 OFFSET 0"

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


# --- The query -------------------------------------------------------------------------------------------------------


def _in(values: Iterable[str]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def case_sums(
    qs: QuerySet[Case],
    *,
    start: dt.datetime,
    end: dt.datetime,
    last: dt.date,
    settings: list[Setting],
    group: str | None,
) -> list[dict[str, Any]]:
    """One row per group (one row when `group` is None) of raw counts and sums over the rows of `qs`.

    `qs` is the cases in scope that the period touches; `group` is a BASE alias ("org_id", "window_id")."""
    base_sql, params = qs.order_by().values(**{f"b_{k}": F(v) for k, v in BASE.items()}).query.sql_with_params()
    q = _Sql()
    s, e, lst = q.instant(start), q.instant(end), q.date(last)

    def within(col: str) -> str:
        return f"(b.b_{col} >= {s} AND b.b_{col} < {e})"

    # Layer 1: the period tests, the instants as local seconds, the due date as a day number.
    layer1 = {
        "sub": within("submitted_at"),
        "acc": within("accepted_at"),
        "rej": within("rejected_at"),
        "con": within("concluded_at"),
        "opn": f"(b.b_accepted_at < {e} AND (b.b_concluded_at IS NULL OR b.b_concluded_at >= {e}))",
        "xs": q.local_seconds("b.b_submitted_at"),
        "xa": q.local_seconds("b.b_accepted_at"),
        "xc": q.local_seconds("b.b_concluded_at"),
        "due": q.epoch_day("b.b_due_on"),
    }
    # Layer 2: local days and W.
    layer2 = {
        "cd": q.day_of("l1.xc"),
        "ad": q.day_of("l1.xa"),
        "ws": q.working_days("l1.xs", settings, "l1.b_org_id"),
        "wa": q.working_days("l1.xa", settings, "l1.b_org_id"),
        "wc": q.working_days("l1.xc", settings, "l1.b_org_id"),
    }
    con, sub, opn = "l2.con", "l2.sub", "l2.opn"
    bad = f"l2.b_ev_level IN {_in(BAD_LEVELS)}"
    statutory = "l2.b_statutory > 0"
    counts = {
        "submitted": sub,
        "accepted": "l2.acc",
        "rejected": "l2.rej",
        "concluded": con,
        "approved": f"{con} AND l2.b_decision = '{Decision.APPROVED}'",
        "denied": f"{con} AND l2.b_decision = '{Decision.DENIED}'",
        "instant_concluded": f"{con} AND l2.b_mode = '{Mode.INSTANT}'",
        "promised_concluded": f"{con} AND l2.b_mode = '{Mode.PROMISED}'",
        "_on_time": f"{con} AND l2.cd <= l2.due",
        "_early": f"{con} AND l2.cd < l2.due",
        "overdue_concluded": f"{con} AND l2.cd > l2.due",
        "overdue_open": f"{opn} AND l2.b_due_on < {lst}",
        "warnings_open": f"{opn} AND l2.b_due_on >= {lst} AND l2.b_warn_on <= {lst}",
        "_same_day": f"{con} AND l2.cd = l2.ad",
        "_on_site": f"{con} AND l2.b_on_site",
        "_with_statutory": f"{con} AND {statutory}",
        "_online_applied": f"{sub} AND l2.b_channel = 'online'",
        "_online_concluded": f"{con} AND l2.b_channel = 'online' AND l2.b_visits = 0",
        "_zero_visit": f"{con} AND l2.b_visits = 0",
        "_one_visit": f"{con} AND l2.b_visits <= 1",
        "_evaluated": f"{con} AND l2.b_ev_id IS NOT NULL",
        "_satisfied": f"{con} AND l2.b_ev_level IN {_in(GOOD_LEVELS)}",
        "bad_reviews": f"{con} AND {bad}",
        "_rectified": f"{con} AND {bad} AND l2.b_rect_status = '{RectificationStatus.CLOSED}'",
    }
    conclude = q.greatest0("l2.wc - l2.wa")
    aggregates = [f"COUNT(*) FILTER (WHERE {condition}) AS {name}" for name, condition in counts.items()]
    aggregates += [
        f"SUM(l2.b_promised) FILTER (WHERE {con} AND {statutory}) AS _promised_sum",
        f"SUM(l2.b_statutory) FILTER (WHERE {con} AND {statutory}) AS _statutory_sum",
        f"SUM({q.greatest0('l2.wa - l2.ws')}) FILTER (WHERE l2.acc) AS _accept_sum",
        "COUNT(*) FILTER (WHERE l2.acc AND l2.ws IS NOT NULL AND l2.wa IS NOT NULL) AS _accept_n",
        f"SUM({conclude}) FILTER (WHERE {con} AND {statutory}) AS _handling_sum",
        f"SUM({conclude}) FILTER (WHERE {con} AND NOT COALESCE({statutory}, FALSE)) AS _conclude_rest",
        f"COUNT(*) FILTER (WHERE {con} AND l2.wa IS NOT NULL AND l2.wc IS NOT NULL) AS _conclude_n",
    ]
    key = f"l2.b_{group}" if group else None
    (once1, end1), (once2, end2) = q.fence(1), q.fence(2)
    # The text is made here from fixed pieces and literals of this module; the ORM's query carries the parameters.
    # Each layer passes on only the columns used above it.
    kept = [f"b_{k}" for k in BASE if not k.endswith("_at")]
    sql = (
        f"SELECT {key + ' AS _key, ' if key else ''}{', '.join(aggregates)} FROM ("  # noqa: S608
        f"SELECT {', '.join(f'l1.{c}' for c in [*kept, *layer1] if c not in ('xs', 'xa', 'xc'))}, "
        f"{', '.join(f'{v} AS {k}' for k, v in layer2.items())}{once2} FROM ("
        f"SELECT {', '.join(f'b.{c}' for c in kept)}, "
        f"{', '.join(f'{v} AS {k}' for k, v in layer1.items())}{once1} FROM ({base_sql}) b{end1}"
        f") l1{end2}) l2"
        f"{' GROUP BY ' + key if key else ''}"
    )
    with transaction.atomic(), connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # Local to this transaction, and put back after the query when the caller's transaction goes on.
            names = list(SESSION_SETTINGS)
            cur.execute("SELECT " + ", ".join(f"current_setting('{n}')" for n in names))
            previous = cur.fetchone()
            cur.execute("SELECT " + ", ".join("set_config(%s, %s, true)" for _ in names), _flat(SESSION_SETTINGS))
        else:
            connection.connection.create_function("zw_working_days", 2, _sqlite_working_days, deterministic=True)
        cur.execute(sql, params)
        columns = [c[0] for c in cur.description]
        rows = [dict(zip(columns, r, strict=True)) for r in cur.fetchall()]
        if connection.vendor == "postgresql":
            cur.execute(
                "SELECT " + ", ".join("set_config(%s, %s, true)" for _ in names),
                _flat(zip(names, previous, strict=True)),
            )
    for row in rows:
        row["_conclude_sum"] = (row["_handling_sum"] or 0.0) + (row["_conclude_rest"] or 0.0)
    return rows


def _flat(pairs: Iterable[tuple[str, str]] | dict[str, str]) -> list[str]:
    items = pairs.items() if isinstance(pairs, dict) else pairs
    return [value for pair in items for value in pair]


def org_settings(orgs: QuerySet[Org]) -> list[Setting]:
    return settings_for(orgs.values_list("id", "office_hours", "division__code"))
