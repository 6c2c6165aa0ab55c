"""The user's task list on the workspace home: every domain contributes its open items, sorted by due date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TaskItem:
    title: str
    url: str
    due_on: dt.date | None
    kind: str  # a short, translated label of what it is (办件, 依申请公开 …), shown beside the title
    state: str = "on_time"  # on_time | warning | overdue


TaskSource = Callable[[Any], Iterable[TaskItem]]
_SOURCES: list[TaskSource] = []


def register_source(source: TaskSource) -> TaskSource:
    """Domain apps register a function returning the user's open items (cases, requests, tickets …)."""
    _SOURCES.append(source)
    return source


def tasks_for(user: Any, limit: int = 50) -> list[TaskItem]:
    items = [item for source in _SOURCES for item in source(user)]
    items.sort(key=lambda t: (t.due_on is None, t.due_on or dt.date.max))
    return items[:limit]
