"""The case figures of spec/service-metrics.md as one aggregate query over plain columns.

Each case stores its working time (submission → acceptance, acceptance → conclusion, in workdays), the local dates
of acceptance and conclusion, its evaluation's level and whether a bad rating was rectified, written when those
facts become known and recomputed when the calendar or an org's office hours change (`zhengwu.cases.work_facts`,
docs/adr/0004). So the query reads each case in scope once and only tests and adds columns: filtered COUNTs and
SUMs, no join but the scope's, no per-row computation of working time or local days. Each row's period tests
(submitted, accepted, rejected, concluded in the period; open at its end) are computed once: the rows are grouped
by them first (a handful of groups), and each figure is then read off the groups whose test it needs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import F, QuerySet

from zhengwu.cases.models import Case
from zhengwu.cases.states import BAD_LEVELS, Decision, Level
from zhengwu.catalog.models import Mode

# For this query only (set_config(…, is_local), put back after it): its long list of filtered aggregates costs
# more to JIT-compile than compiling saves.
SESSION_SETTINGS = {"jit": "off"}

GOOD_LEVELS = (Level.VERY_SATISFIED, Level.SATISFIED, Level.BASICALLY_SATISFIED)

# The columns the aggregate reads: alias → field of the ORM query that selects the rows.
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
    "accepted_on": "accepted_on",
    "concluded_on": "concluded_on",
    "accept_wd": "accept_workdays",
    "conclude_wd": "conclude_workdays",
    "level": "evaluation_level",
    "rectified": "rectified",
}


def _instant(value: dt.datetime) -> str:
    if connection.vendor == "postgresql":
        return f"'{value.astimezone(dt.UTC).isoformat()}'::timestamptz"
    return f"'{connection.ops.adapt_datetimefield_value(value)}'"


def _date(value: dt.date) -> str:
    return f"DATE '{value.isoformat()}'" if connection.vendor == "postgresql" else f"'{value.isoformat()}'"


def _in(values: Iterable[str]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in sorted(values)) + ")"


def case_sums(
    qs: QuerySet[Case], *, start: dt.datetime, end: dt.datetime, last: dt.date, group: str | None
) -> list[dict[str, Any]]:
    """One row per group (one row when `group` is None) of raw counts and sums over the rows of `qs`.

    `qs` is the cases in scope that the period touches; `group` is a BASE alias ("org_id", "window_id")."""
    base_sql, params = qs.order_by().values(**{f"b_{k}": F(v) for k, v in BASE.items()}).query.sql_with_params()
    s, e, lst = _instant(start), _instant(end), _date(last)

    def within(col: str) -> str:
        return f"(b.b_{col} >= {s} AND b.b_{col} < {e})"

    # The period tests, once per row: the inner query groups the rows by them (and by `group`), counting and adding
    # with conditions on plain columns only; the outer one picks each figure from the groups whose test it needs.
    flags = {
        "sub": within("submitted_at"),
        "acc": within("accepted_at"),
        "rej": within("rejected_at"),
        "con": within("concluded_at"),
        "opn": f"(b.b_accepted_at < {e} AND (b.b_concluded_at IS NULL OR b.b_concluded_at >= {e}))",
    }
    bad = f"b.b_level IN {_in(BAD_LEVELS)}"
    statutory = "b.b_statutory > 0"
    # figure → (period test, condition on the row's columns; None: every row)
    counts: dict[str, tuple[str, str | None]] = {
        "submitted": ("sub", None),
        "accepted": ("acc", None),
        "rejected": ("rej", None),
        "concluded": ("con", None),
        "approved": ("con", f"b.b_decision = '{Decision.APPROVED}'"),
        "denied": ("con", f"b.b_decision = '{Decision.DENIED}'"),
        "instant_concluded": ("con", f"b.b_mode = '{Mode.INSTANT}'"),
        "promised_concluded": ("con", f"b.b_mode = '{Mode.PROMISED}'"),
        "_on_time": ("con", "b.b_concluded_on <= b.b_due_on"),
        "_early": ("con", "b.b_concluded_on < b.b_due_on"),
        "overdue_concluded": ("con", "b.b_concluded_on > b.b_due_on"),
        "overdue_open": ("opn", f"b.b_due_on < {lst}"),
        "warnings_open": ("opn", f"b.b_due_on >= {lst} AND b.b_warn_on <= {lst}"),
        "_same_day": ("con", "b.b_concluded_on = b.b_accepted_on"),
        "_on_site": ("con", "b.b_on_site"),
        "_with_statutory": ("con", statutory),
        "_online_applied": ("sub", "b.b_channel = 'online'"),
        "_online_concluded": ("con", "b.b_channel = 'online' AND b.b_visits = 0"),
        "_zero_visit": ("con", "b.b_visits = 0"),
        "_one_visit": ("con", "b.b_visits <= 1"),
        "_evaluated": ("con", "b.b_level <> ''"),
        "_satisfied": ("con", f"b.b_level IN {_in(GOOD_LEVELS)}"),
        "bad_reviews": ("con", bad),
        "_rectified": ("con", f"{bad} AND b.b_rectified"),
        "_accept_n": ("acc", "b.b_accept_wd IS NOT NULL"),
        "_conclude_n": ("con", "b.b_conclude_wd IS NOT NULL"),
    }
    # figure → (period test, column added, condition)
    sums: dict[str, tuple[str, str, str | None]] = {
        "_promised_sum": ("con", "b.b_promised", statutory),
        "_statutory_sum": ("con", "b.b_statutory", statutory),
        "_accept_sum": ("acc", "b.b_accept_wd", None),
        "_handling_sum": ("con", "b.b_conclude_wd", statutory),
        "_conclude_sum": ("con", "b.b_conclude_wd", None),
    }
    inner = [f"{v} AS {k}" for k, v in flags.items()] + ["COUNT(*) AS n"]
    outer = []
    for name, (flag, condition) in counts.items():
        column = "n"
        if condition is not None:
            column = f"i_{name}"
            inner.append(f"COUNT(*) FILTER (WHERE {condition}) AS {column}")
        outer.append(f"COALESCE(CAST(SUM(g.{column}) FILTER (WHERE g.{flag}) AS BIGINT), 0) AS {name}")
    for name, (flag, value, condition) in sums.items():
        inner.append(f"SUM({value}){f' FILTER (WHERE {condition})' if condition else ''} AS i_{name}")
        outer.append(f"SUM(g.i_{name}) FILTER (WHERE g.{flag}) AS {name}")
    keys = list(flags)
    if group:
        inner.insert(0, f"b.b_{group} AS _key")
        keys.insert(0, "_key")
    # The text is made here from fixed pieces and literals of this module; the ORM's query carries the parameters.
    sql = (
        f"SELECT {'g._key, ' if group else ''}{', '.join(outer)} FROM ("  # noqa: S608
        f"SELECT {', '.join(inner)} FROM ({base_sql}) b GROUP BY {', '.join(str(i + 1) for i in range(len(keys)))}"
        f") g{' GROUP BY g._key' if group else ''}"
    )
    with transaction.atomic(), connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # Local to this transaction, and put back after the query when the caller's transaction goes on.
            names = list(SESSION_SETTINGS)
            cur.execute("SELECT " + ", ".join(f"current_setting('{n}')" for n in names))
            previous = cur.fetchone()
            cur.execute("SELECT " + ", ".join("set_config(%s, %s, true)" for _ in names), _flat(SESSION_SETTINGS))
        cur.execute(sql, params)
        columns = [c[0] for c in cur.description]
        rows = [dict(zip(columns, r, strict=True)) for r in cur.fetchall()]
        if connection.vendor == "postgresql":
            cur.execute(
                "SELECT " + ", ".join("set_config(%s, %s, true)" for _ in names),
                _flat(zip(names, previous, strict=True)),
            )
    for row in rows:
        row["_conclude_sum"] = row["_conclude_sum"] or 0.0
        for name in ("_promised_sum", "_statutory_sum"):  # whole numbers (a NUMERIC sum on PostgreSQL)
            row[name] = None if row[name] is None else int(row[name])
    return rows


def _flat(pairs: Iterable[tuple[str, str]] | dict[str, str]) -> list[str]:
    items = pairs.items() if isinstance(pairs, dict) else pairs
    return [value for pair in items for value in pair]
