"""County A's admin can neither see nor touch county B through the API: 404s, empty lists, refused writes."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from zhengwu.api.tests.conftest import assert_error
from zhengwu.core.models import AuditEvent
from zhengwu.orgs.models import Org, Role
from zhengwu.orgs.tests.factories import make_staff


@pytest.fixture
def b_staff(other_county: dict[str, Org]):  # type: ignore[no-untyped-def]
    return make_staff(org=other_county["dept"], role=Role.WINDOW_STAFF)


def test_other_countys_org_answers_404(api: APIClient, other_county: dict[str, Org]) -> None:
    for key in ("gov", "dept", "station"):
        code = other_county[key].code
        assert_error(api.get(f"/api/v1/orgs/{code}/"), 404, "not_found")
        assert_error(api.get(f"/api/v1/orgs/{code}/children/"), 404, "not_found")


def test_lists_hold_nothing_of_the_other_county(
    api: APIClient, county: dict[str, Org], other_county: dict[str, Org], b_staff: object
) -> None:
    b_codes = {o.code for o in other_county.values()}
    orgs = api.get("/api/v1/orgs/?page_size=500").json()["results"]
    assert b_codes.isdisjoint({o["code"] for o in orgs})
    assert api.get(f"/api/v1/orgs/?under={other_county['gov'].code}").json()["count"] == 0

    staff = api.get("/api/v1/staff/?page_size=500").json()["results"]
    assert b_staff.username not in {s["username"] for s in staff}  # type: ignore[attr-defined]

    b_org_ids = [o.pk for o in other_county.values()]
    events = api.get("/api/v1/audit/events/?page_size=500").json()["results"]
    assert {e["org"] for e in events}.isdisjoint(b_codes)
    assert AuditEvent.objects.filter(org_id__in=b_org_ids).exists()  # they exist; A just cannot see them


def test_other_countys_staff_and_events_answer_404(api: APIClient, other_county: dict[str, Org], b_staff) -> None:  # type: ignore[no-untyped-def]
    assert_error(api.get(f"/api/v1/staff/{b_staff.username}/"), 404, "not_found")
    b_event = AuditEvent.objects.filter(org=other_county["dept"]).first()
    assert b_event is not None
    assert_error(api.get(f"/api/v1/audit/events/{b_event.pk}/"), 404, "not_found")
    listed = api.get(f"/api/v1/audit/events/?object_type=orgs.org&object_id={other_county['dept'].pk}").json()
    assert listed["count"] == 0


def test_cannot_create_under_the_other_county(api: APIClient, other_county: dict[str, Org]) -> None:
    response = api.post(
        "/api/v1/orgs/",
        {"code": "intruder", "name": "入侵局", "kind": "department", "parent": other_county["gov"].code},
        format="json",
    )
    body = assert_error(response, 400, "invalid")
    # Answered exactly like a parent that does not exist, so B's codes cannot be probed.
    assert body["detail"] == {"parent": ["not_found"]}
    assert not Org.objects.filter(code="intruder").exists()


def test_a_role_in_both_counties_shows_only_the_visible_one(
    api: APIClient, county: dict[str, Org], other_county: dict[str, Org]
) -> None:
    from zhengwu.orgs import services

    both = make_staff(org=county["dept"], role=Role.APPROVER)
    services.membership_grant(actor=None, staff=both, org=other_county["dept"], role=Role.APPROVER)
    row = api.get(f"/api/v1/staff/{both.username}/").json()
    assert [m["org"] for m in row["memberships"]] == [county["dept"].code]
