"""Fixtures shared by every app's tests."""

from __future__ import annotations

import pytest

from zhengwu.orgs.models import Org, Role, Staff
from zhengwu.orgs.tests.factories import make_county, make_staff


@pytest.fixture
def county(db: None) -> dict[str, Org]:
    return make_county("甲县")


@pytest.fixture
def other_county(db: None) -> dict[str, Org]:
    return make_county("乙县")


@pytest.fixture
def county_admin(county: dict[str, Org]) -> Staff:
    return make_staff(org=county["gov"], role=Role.ADMIN)
