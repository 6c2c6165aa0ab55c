"""A system check (run with `check --database default`) warning when next year's holiday notice is missing."""

from __future__ import annotations

from typing import Any

from django.core import checks


@checks.register(checks.Tags.database)
def next_year_notice_check(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if not databases:
        return []
    from zhengwu.core import clock
    from zhengwu.workdays.selectors import next_year_notice_missing

    try:
        missing = next_year_notice_missing(clock.today())
    except Exception:  # an unmigrated database: nothing to say yet
        return []
    if missing is None:
        return []
    return [
        checks.Warning(
            f"{missing} 年的节假日安排通知尚未载入，{missing} 年的期限暂按法定节日推算（暂定）。",
            hint="通知发布后用 `zhengwu calendar load FILE` 或管理后台“载入通知”载入。",
            id="workdays.W001",
        )
    ]
