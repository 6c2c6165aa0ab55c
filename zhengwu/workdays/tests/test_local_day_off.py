"""Local days off: a division's festival applies to orgs whose division code starts with its code."""

from __future__ import annotations

import pytest

from zhengwu.core.errors import InvalidInput, PermissionDenied
from zhengwu.core.models import AuditEvent
from zhengwu.orgs.models import Division, DivisionLevel, Org, Role
from zhengwu.orgs.tests.factories import make_staff
from zhengwu.workdays import Clock, add_workdays, is_workday, workdays_between
from zhengwu.workdays.selectors import division_code_of
from zhengwu.workdays.services import local_day_off_create, local_day_off_delete
from zhengwu.workdays.tests.conftest import d

pytestmark = pytest.mark.django_db


@pytest.fixture
def region() -> dict[str, Division]:
    province = Division.objects.create(code="99", name="测试自治区", level=DivisionLevel.PROVINCE)
    city = Division.objects.create(code="9901", name="甲市", level=DivisionLevel.CITY, parent=province)
    county = Division.objects.create(code="990122", name="乙自治县", level=DivisionLevel.COUNTY, parent=city)
    town = Division.objects.create(code="990122001", name="丙镇", level=DivisionLevel.TOWNSHIP, parent=county)
    other = Division.objects.create(code="990123", name="丁县", level=DivisionLevel.COUNTY, parent=city)
    return {"province": province, "city": city, "county": county, "town": town, "other": other}


def test_a_county_festival_applies_to_its_orgs_and_townships_only(
    region: dict[str, Division], county: dict[str, Org]
) -> None:
    # given the autonomous county 990122 takes Wednesday 15 Apr 2026 off for its festival
    local_day_off_create(actor=None, org=county["gov"], division_code="990122", date=d("2026-04-15"), name="三月三")
    # then its orgs and its townships' orgs skip that day; the neighbouring county and the nation do not
    assert not is_workday(d("2026-04-15"), division_code="990122")
    assert not is_workday(d("2026-04-15"), division_code="990122001")
    assert is_workday(d("2026-04-15"), division_code="990123")
    assert is_workday(d("2026-04-15"))
    assert add_workdays(d("2026-04-14"), 1, division_code="990122001") == d("2026-04-16")
    assert workdays_between(d("2026-04-13"), d("2026-04-17"), division_code="990122") == 3
    clock = Clock(start=d("2026-04-14"), limit=1, division_code="990122")
    assert "不计：2026-04-15 三月三（地方放假）（1 天）" in clock.explain().lines()
    event = AuditEvent.objects.get(action="workdays.local_day_off_create")
    assert event.new["division_code"] == "990122"


def test_a_region_wide_day_applies_to_every_county_under_it(
    region: dict[str, Division], county: dict[str, Org]
) -> None:
    local_day_off_create(
        actor=None, org=county["gov"], division_code="99", date=d("2026-04-15"), name="自治区成立纪念日"
    )
    assert not is_workday(d("2026-04-15"), division_code="990123")
    assert is_workday(d("2026-04-15"), division_code="980123")


def test_an_org_finds_its_division_code(region: dict[str, Division], county: dict[str, Org]) -> None:
    org = county["dept"]
    org.division = region["town"]
    org.save(update_fields=["division"])
    assert division_code_of(org) == "990122001"
    assert division_code_of(county["dept2"]) == ""


def test_deleting_restores_the_workday(region: dict[str, Division], county: dict[str, Org]) -> None:
    day = local_day_off_create(actor=None, org=county["gov"], division_code="990122", date=d("2026-04-15"), name="x")
    local_day_off_delete(actor=None, org=county["gov"], local_day_off=day)
    assert is_workday(d("2026-04-15"), division_code="990122")


def test_an_admin_may_only_set_days_for_their_own_division(region: dict[str, Division], county: dict[str, Org]) -> None:
    gov = county["gov"]
    gov.division = region["county"]
    gov.save(update_fields=["division"])
    admin = make_staff(org=gov, role=Role.ADMIN)
    local_day_off_create(actor=admin, org=gov, division_code="990122001", date=d("2026-04-15"), name="镇庆")
    with pytest.raises(InvalidInput):
        local_day_off_create(actor=admin, org=gov, division_code="990123", date=d("2026-04-15"), name="邻县")
    clerk = make_staff(org=gov, role=Role.WINDOW_STAFF)
    with pytest.raises(PermissionDenied):
        local_day_off_create(actor=clerk, org=gov, division_code="990122", date=d("2026-04-16"), name="x")


def test_unknown_division_and_duplicates_are_rejected(region: dict[str, Division], county: dict[str, Org]) -> None:
    with pytest.raises(InvalidInput):
        local_day_off_create(actor=None, org=county["gov"], division_code="123456", date=d("2026-04-15"), name="x")
    local_day_off_create(actor=None, org=county["gov"], division_code="990122", date=d("2026-04-15"), name="x")
    with pytest.raises(InvalidInput):
        local_day_off_create(actor=None, org=county["gov"], division_code="990122", date=d("2026-04-15"), name="y")
