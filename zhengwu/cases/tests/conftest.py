"""Fixtures for the cases tests: a county with a hall, a window staffed by a department, its people, a frozen clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from unittest import mock

import pytest

from zhengwu.core.clock import SHANGHAI
from zhengwu.orgs import services as org_services
from zhengwu.orgs.models import Org, Role, Scope, Staff, Window
from zhengwu.orgs.tests.factories import make_county, make_staff


@dataclass
class Hall:
    county: dict[str, Org]
    dept: Org
    center: Org
    window: Window
    window_staff: Staff
    approver: Staff
    supervisor: Staff


def make_hall(name: str = "甲县") -> Hall:
    county = make_county(name)
    hall = org_services.hall_create(actor=None, org=county["center"], name=f"{name}政务服务大厅")
    window = org_services.window_create(
        actor=None, hall=hall, number="A01", name="市场准入", departments=[county["dept"]]
    )
    return Hall(
        county=county,
        dept=county["dept"],
        center=county["center"],
        window=window,
        window_staff=make_staff(org=county["center"], role=Role.WINDOW_STAFF, scope=Scope.SELF),
        approver=make_staff(org=county["dept"], role=Role.APPROVER, scope=Scope.SELF),
        supervisor=make_staff(org=county["gov"], role=Role.SUPERVISOR),
    )


@pytest.fixture
def hall(db: None) -> Hall:
    return make_hall()


Freeze = Callable[[str], dt.datetime]


@pytest.fixture
def freeze() -> Iterator[Freeze]:
    """`freeze("2025-09-29 10:00")` sets the clock (Asia/Shanghai) until the test ends or it is called again."""
    current: list[dt.datetime] = [dt.datetime(2025, 9, 29, 10, 0, tzinfo=SHANGHAI)]

    def set_to(text: str) -> dt.datetime:
        current[0] = dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)
        return current[0]

    with mock.patch("zhengwu.core.clock.now", side_effect=lambda: current[0]):
        yield set_to


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
