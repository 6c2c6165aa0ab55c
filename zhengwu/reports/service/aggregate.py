"""The case figures of spec/service-metrics.md as one aggregate query over plain columns.

Each case stores its working time (submission → acceptance, acceptance → conclusion, in workdays), the local dates
of acceptance and conclusion, its evaluation's level and whether a bad rating was rectified, written when those
facts become known and recomputed when the calendar or an org's office hours change (`zhengwu.cases.work_facts`,
docs/adr/0004). So the query reads each case in scope once and only tests and adds columns: filtered COUNTs and
SUMs, no join but the scope's, no per-row computation of working time or local days.
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

    sub, con = within("submitted_at"), within("concluded_at")
    opn = f"(b.b_accepted_at < {e} AND (b.b_concluded_at IS NULL OR b.b_concluded_at >= {e}))"
    bad = f"b.b_level IN {_in(BAD_LEVELS)}"
    statutory = "b.b_statutory > 0"
    counts = {
        "submitted": sub,
        "accepted": within("accepted_at"),
        "rejected": within("rejected_at"),
        "concluded": con,
        "approved": f"{con} AND b.b_decision = '{Decision.APPROVED}'",
        "denied": f"{con} AND b.b_decision = '{Decision.DENIED}'",
        "instant_concluded": f"{con} AND b.b_mode = '{Mode.INSTANT}'",
        "promised_concluded": f"{con} AND b.b_mode = '{Mode.PROMISED}'",
        "_on_time": f"{con} AND b.b_concluded_on <= b.b_due_on",
        "_early": f"{con} AND b.b_concluded_on < b.b_due_on",
        "overdue_concluded": f"{con} AND b.b_concluded_on > b.b_due_on",
        "overdue_open": f"{opn} AND b.b_due_on < {lst}",
        "warnings_open": f"{opn} AND b.b_due_on >= {lst} AND b.b_warn_on <= {lst}",
        "_same_day": f"{con} AND b.b_concluded_on = b.b_accepted_on",
        "_on_site": f"{con} AND b.b_on_site",
        "_with_statutory": f"{con} AND {statutory}",
        "_online_applied": f"{sub} AND b.b_channel = 'online'",
        "_online_concluded": f"{con} AND b.b_channel = 'online' AND b.b_visits = 0",
        "_zero_visit": f"{con} AND b.b_visits = 0",
        "_one_visit": f"{con} AND b.b_visits <= 1",
        "_evaluated": f"{con} AND b.b_level <> ''",
        "_satisfied": f"{con} AND b.b_level IN {_in(GOOD_LEVELS)}",
        "bad_reviews": f"{con} AND {bad}",
        "_rectified": f"{con} AND {bad} AND b.b_rectified",
    }
    aggregates = [f"COUNT(*) FILTER (WHERE {condition}) AS {name}" for name, condition in counts.items()]
    aggregates += [
        f"SUM(b.b_promised) FILTER (WHERE {con} AND {statutory}) AS _promised_sum",
        f"SUM(b.b_statutory) FILTER (WHERE {con} AND {statutory}) AS _statutory_sum",
        f"SUM(b.b_accept_wd) FILTER (WHERE {within('accepted_at')}) AS _accept_sum",
        f"COUNT(b.b_accept_wd) FILTER (WHERE {within('accepted_at')}) AS _accept_n",
        f"SUM(b.b_conclude_wd) FILTER (WHERE {con} AND {statutory}) AS _handling_sum",
        f"SUM(b.b_conclude_wd) FILTER (WHERE {con}) AS _conclude_sum",
        f"COUNT(b.b_conclude_wd) FILTER (WHERE {con}) AS _conclude_n",
    ]
    key = f"b.b_{group}" if group else None
    # The text is made here from fixed pieces and literals of this module; the ORM's query carries the parameters.
    sql = (
        f"SELECT {key + ' AS _key, ' if key else ''}{', '.join(aggregates)} FROM ({base_sql}) b"  # noqa: S608
        f"{' GROUP BY ' + key if key else ''}"
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
    return rows


def _flat(pairs: Iterable[tuple[str, str]] | dict[str, str]) -> list[str]:
    items = pairs.items() if isinstance(pairs, dict) else pairs
    return [value for pair in items for value in pair]
