"""Rankings of departments and windows (按时办结率, 满意率, 平均办结时间 …) and the quarter's model windows."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from zhengwu.core.errors import InvalidInput
from zhengwu.orgs.models import Org
from zhengwu.reports.service.metrics import Period, grouped_case_metrics

# The order of a ranking: each key with its direction; a group with no figure for a key ranks after those with one.
RANK_ORDER: tuple[tuple[str, str], ...] = (
    ("on_time_rate", "desc"),
    ("satisfaction_rate", "desc"),
    ("avg_conclude_workdays", "asc"),
    ("concluded", "desc"),
)

# 季度红旗窗口: the default rule, overridden key by key with the setting ZHENGWU_MODEL_WINDOW_RULE.
DEFAULT_MODEL_WINDOW_RULE: dict[str, Any] = {
    "min_concluded": 10,  # enough cases for the rates to mean something
    "min_on_time_rate": 1.0,
    "min_satisfaction_rate": 0.99,
    "max_bad_reviews": 0,
    "max_overdue_open": 0,
    "top": 3,
}


def model_window_rule() -> dict[str, Any]:
    return {**DEFAULT_MODEL_WINDOW_RULE, **(getattr(settings, "ZHENGWU_MODEL_WINDOW_RULE", None) or {})}


def _sort_key(row: dict[str, Any]) -> tuple[Any, ...]:
    key: list[Any] = []
    for code, direction in RANK_ORDER:
        value = row["metrics"].get(code)
        if value is None:
            key.append((1, 0))
        else:
            key.append((0, -value if direction == "desc" else value))
    key.append(row["name"])
    return tuple(key)


def ranking(*, org: Org, period: Period, scope: str = "subtree", by: str = "org") -> list[dict[str, Any]]:
    """Groups in rank order, each with `rank` (ties share a rank: equal on every ranking key)."""
    rows = sorted(grouped_case_metrics(org=org, period=period, scope=scope, by=by), key=_sort_key)
    previous: tuple[Any, ...] | None = None
    for position, row in enumerate(rows, start=1):
        current = _sort_key(row)[:-1]
        row["rank"] = rows[position - 2]["rank"] if previous == current else position
        previous = current
    return rows


def quarter_period(value: str) -> Period:
    """'2025Q3' → 1 Jul – 30 Sep 2025."""
    match = re.fullmatch(r"(\d{4})[Qq]([1-4])", value.strip())
    if not match:
        raise InvalidInput(
            _("季度格式应为 YYYYQn，如 2025Q3：%(value)s") % {"value": value}, detail={"quarter": ["invalid"]}
        )
    year, q = int(match.group(1)), int(match.group(2))
    first = dt.date(year, 3 * q - 2, 1)
    last = dt.date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1) - dt.timedelta(days=1)
    return Period(first, last)


def model_windows(*, org: Org, period: Period, rule: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The windows of `org`'s subtree that meet every threshold of the rule, best first, at most `top`."""
    rule = {**model_window_rule(), **(rule or {})}
    chosen = []
    for row in ranking(org=org, period=period, scope="subtree", by="window"):
        m = row["metrics"]
        if (
            m["concluded"] >= rule["min_concluded"]
            and (m["on_time_rate"] or 0) >= rule["min_on_time_rate"]
            and m["satisfaction_rate"] is not None
            and m["satisfaction_rate"] >= rule["min_satisfaction_rate"]
            and m["bad_reviews"] <= rule["max_bad_reviews"]
            and m["overdue_open"] <= rule["max_overdue_open"]
        ):
            chosen.append(row)
    return chosen[: int(rule["top"])]
