"""The leadership dashboard's figures: the report, twelve months of trend, channel mix, ratings and clock states,
each a grouped aggregate query; and the bars drawn from them as server-side SVG geometry (no script)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth

from zhengwu.cases.states import Channel, Level
from zhengwu.core.clock import SHANGHAI
from zhengwu.orgs.models import Org
from zhengwu.reports.service.metrics import Period, cases_in_scope, compute_service_metrics, rate
from zhengwu.reports.service.rankings import ranking


def _month_start(day: dt.date, back: int = 0) -> dt.date:
    index = day.year * 12 + day.month - 1 - back
    return dt.date(index // 12, index % 12 + 1, 1)


def monthly_trend(*, org: Org, scope: str, last: dt.date, months: int = 12) -> list[dict[str, Any]]:
    """Per month up to `last`'s month: accepted, concluded, on-time rate (two grouped queries)."""
    first = _month_start(last, months - 1)
    period = Period(first, last)
    qs = cases_in_scope(org, scope)
    accepted = dict(
        qs.filter(period.within("accepted_at"))
        .annotate(m=TruncMonth("accepted_at", tzinfo=SHANGHAI))
        .order_by()
        .values_list("m")
        .annotate(n=Count("id"))
    )
    concluded_rows = (
        qs.filter(period.within("concluded_at"))
        .annotate(m=TruncMonth("concluded_at", tzinfo=SHANGHAI))
        .order_by()
        .values("m")
        .annotate(n=Count("id"), on_time=Count("id", filter=Q(concluded_on__lte=F("due_on"))))
    )

    def month_of(value: Any) -> dt.date:
        return value.date() if isinstance(value, dt.datetime) else value

    accepted_by = {month_of(k): v for k, v in accepted.items()}
    concluded_by = {month_of(r["m"]): r for r in concluded_rows}
    out = []
    for back in range(months - 1, -1, -1):
        month = _month_start(last, back)
        row = concluded_by.get(month, {"n": 0, "on_time": 0})
        out.append(
            {
                "month": month,
                "accepted": accepted_by.get(month, 0),
                "concluded": row["n"],
                "on_time_rate": rate(row["on_time"], row["n"]),
            }
        )
    return out


def channel_mix(*, org: Org, scope: str, period: Period) -> list[dict[str, Any]]:
    counts = dict(
        cases_in_scope(org, scope)
        .filter(period.within("submitted_at"))
        .order_by()
        .values_list("channel")
        .annotate(n=Count("id"))
    )
    return [{"code": c.value, "label": c.label, "n": counts.get(c.value, 0)} for c in Channel]


def ratings(*, org: Org, scope: str, period: Period) -> list[dict[str, Any]]:
    """Evaluations of the cases concluded in the period, by level (the level each case keeps)."""
    counts = dict(
        cases_in_scope(org, scope)
        .filter(period.within("concluded_at"))
        .exclude(evaluation_level="")
        .order_by()
        .values_list("evaluation_level")
        .annotate(n=Count("id"))
    )
    return [{"code": lv.value, "label": lv.label, "n": counts.get(lv.value, 0)} for lv in Level]


def bars(rows: list[dict[str, Any]], key: str, width: int = 240) -> list[dict[str, Any]]:
    """Each row with `bar`: its length in SVG units, scaled to the largest value (a rate scales to 1)."""
    values = [r[key] or 0 for r in rows]
    top = max(values, default=0)
    scale = 1.0 if key.endswith("_rate") else (top or 1)
    return [{**r, "bar": round(width * (v / scale), 1) if scale else 0} for r, v in zip(rows, values, strict=True)]


def dashboard(*, org: Org, period: Period, scope: str) -> dict[str, Any]:
    report = compute_service_metrics(org=org, date_from=period.first, date_to=period.last, scope=scope)
    m = report["metrics"]
    open_at_end = (
        cases_in_scope(org, scope)
        .filter(accepted_at__lt=period.end)
        .filter(Q(concluded_at__isnull=True) | Q(concluded_at__gte=period.end))
        .count()
    )
    states = [
        {"code": "on_time", "n": open_at_end - m["warnings_open"] - m["overdue_open"]},
        {"code": "warning", "n": m["warnings_open"]},
        {"code": "overdue", "n": m["overdue_open"]},
    ]
    trend = monthly_trend(org=org, scope=scope, last=period.last)
    return {
        "report": report,
        "m": m,
        "trend_accepted": bars(trend, "accepted"),
        "trend_on_time": bars(trend, "on_time_rate"),
        "channels": bars(channel_mix(org=org, scope=scope, period=period), "n"),
        "ratings": bars(ratings(org=org, scope=scope, period=period), "n"),
        "states": bars(states, "n"),
        "departments": ranking(org=org, period=period, scope=scope, by="org"),
        "windows": ranking(org=org, period=period, scope=scope, by="window"),
    }
