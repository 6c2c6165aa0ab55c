"""The three-level network coverage (三级平台): a township counts when it has a convenience center, a village or
community when it has a service station."""

from __future__ import annotations

import datetime as dt

import pytest

from zhengwu.core.audit import record_event
from zhengwu.orgs.models import Division, DivisionLevel, Org, OrgKind
from zhengwu.orgs.services import org_update
from zhengwu.orgs.tests.factories import make_org
from zhengwu.reports.service.metrics import compute_service_metrics

pytestmark = pytest.mark.django_db

SEPT = {"date_from": dt.date(2025, 9, 1), "date_to": dt.date(2025, 9, 30)}


def _division(code: str, level: str, parent: Division | None) -> Division:
    return Division.objects.create(code=code, name=f"区划{code}", level=level, parent=parent)


def test_coverage_of_townships_and_villages(county):
    county_div = _division("341122", DivisionLevel.COUNTY, None)
    town1 = _division("341122100", DivisionLevel.TOWNSHIP, county_div)
    _division("341122101", DivisionLevel.TOWNSHIP, county_div)
    village1 = _division("341122100001", DivisionLevel.VILLAGE, town1)
    _division("341122100002", DivisionLevel.VILLAGE, town1)
    _division("341122100003", DivisionLevel.VILLAGE, town1)
    _division("330100100", DivisionLevel.TOWNSHIP, None)  # another county's township: out of scope
    Org.objects.filter(pk=county["gov"].pk).update(division=county_div)
    center = make_org(parent=county["town"], kind=OrgKind.CONVENIENCE_CENTER, name="城关镇便民服务中心")
    Org.objects.filter(pk__in=[center.pk, county["town"].pk]).update(division=town1)
    Org.objects.filter(pk=county["station"].pk).update(division=village1)
    # Made before the period ends (the factories stamp them now).
    Org.objects.all().update(created_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    gov = Org.objects.get(pk=county["gov"].pk)

    m = compute_service_metrics(org=gov, scope="subtree", **SEPT)["metrics"]

    assert m["township_center_coverage"] == 0.5  # 1 of 2 townships
    assert m["village_station_coverage"] == round(1 / 3, 6)


def test_a_center_set_up_after_the_period_does_not_count(county):
    town = _division("341122100", DivisionLevel.TOWNSHIP, None)
    Org.objects.filter(pk=county["town"].pk).update(division=town)
    Org.objects.all().update(created_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    make_org(parent=county["town"], kind=OrgKind.CONVENIENCE_CENTER)  # created now, and without a division yet
    m = compute_service_metrics(org=county["gov"], scope="subtree", **SEPT)["metrics"]
    assert m["township_center_coverage"] == 0.0
    assert m["village_station_coverage"] is None  # no village division known


def test_centers_count_as_they_stood_at_the_period_end(county, monkeypatch):
    county_div = _division("341122", DivisionLevel.COUNTY, None)
    towns = [_division(f"34112210{i}", DivisionLevel.TOWNSHIP, county_div) for i in range(3)]
    Org.objects.filter(pk=county["gov"].pk).update(division=county_div)
    centers = []
    for town in towns:
        center = make_org(parent=county["gov"], kind=OrgKind.CONVENIENCE_CENTER, name=f"{town.name}便民服务中心")
        Org.objects.filter(pk=center.pk).update(division=town)
        centers.append(center)
    Org.objects.all().update(created_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    # Closed in August 2025 (audited then); closed only now; closed in August and reopened in December.
    monkeypatch.setattr("zhengwu.core.clock.now", lambda: dt.datetime(2025, 8, 1, tzinfo=dt.UTC))
    org_update(actor=None, org=centers[0], changes={"is_active": False})
    org_update(actor=None, org=centers[2], changes={"is_active": False})
    monkeypatch.setattr("zhengwu.core.clock.now", lambda: dt.datetime(2025, 12, 1, tzinfo=dt.UTC))
    org_update(actor=None, org=centers[2], changes={"is_active": True})
    monkeypatch.undo()
    org_update(actor=None, org=centers[1], changes={"is_active": False})
    # Another township's center, closed now through the admin (which records the form's text "False").
    extra_town = _division("341122109", DivisionLevel.TOWNSHIP, county_div)
    admin_closed = make_org(parent=county["gov"], kind=OrgKind.CONVENIENCE_CENTER, name="经后台关闭的中心")
    Org.objects.filter(pk=admin_closed.pk).update(
        division=extra_town, created_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    )
    Org.objects.filter(pk=admin_closed.pk).update(is_active=False)
    record_event(actor=None, action="admin.change", obj=admin_closed, new={"is_active": "False"})
    gov = Org.objects.get(pk=county["gov"].pk)

    september = compute_service_metrics(org=gov, scope="subtree", **SEPT)["metrics"]
    assert september["township_center_coverage"] == 0.5  # the two closed only later (2 of 4)
    december = compute_service_metrics(
        org=gov, scope="subtree", date_from=dt.date(2025, 12, 1), date_to=dt.date(2025, 12, 31)
    )["metrics"]
    assert december["township_center_coverage"] == 0.75  # and the reopened one
