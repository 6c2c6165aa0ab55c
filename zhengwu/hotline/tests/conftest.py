"""Hotline test fixtures: a county with its hotline staff, and a frozen clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from zhengwu.core.clock import SHANGHAI
from zhengwu.orgs.models import Org, Role, Scope, Staff
from zhengwu.orgs.tests.factories import make_staff


class FrozenClock:
    def __init__(self, at: dt.datetime) -> None:
        self.at = at

    def now(self) -> dt.datetime:
        return self.at

    def set(self, text: str) -> None:
        self.at = dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)

    def advance(self, **kwargs: float) -> None:
        self.at += dt.timedelta(**kwargs)


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> Iterator[FrozenClock]:
    """The clock stopped at Monday 2026-11-09 10:00 in Shanghai; move it with .set()/.advance()."""
    fc = FrozenClock(dt.datetime(2026, 11, 9, 10, 0, tzinfo=SHANGHAI))
    monkeypatch.setattr("zhengwu.core.clock.now", fc.now)
    yield fc


@pytest.fixture
def operator(county: dict[str, Org]) -> Staff:
    return make_staff(org=county["gov"], role=Role.HOTLINE_OPERATOR, scope=Scope.SELF)


@pytest.fixture
def handler(county: dict[str, Org]) -> Staff:
    return make_staff(org=county["dept"], role=Role.UNIT_HANDLER, scope=Scope.SELF)


@pytest.fixture
def handler2(county: dict[str, Org]) -> Staff:
    return make_staff(org=county["dept2"], role=Role.UNIT_HANDLER, scope=Scope.SELF)


@pytest.fixture
def supervisor(county: dict[str, Org]) -> Staff:
    return make_staff(org=county["gov"], role=Role.SUPERVISOR)
