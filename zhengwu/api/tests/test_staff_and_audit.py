"""/api/v1/staff/ (masked phones, staff.view) and /api/v1/audit/events/ (audit.view, filters)."""

from __future__ import annotations

from rest_framework.test import APIClient

from zhengwu.api.tests.conftest import assert_error, token_client
from zhengwu.orgs import services
from zhengwu.orgs.models import Org, Role, Staff
from zhengwu.orgs.tests.factories import make_staff


def test_staff_list_masks_phones(api: APIClient, county: dict[str, Org]) -> None:
    clerk = make_staff(org=county["dept"], role=Role.WINDOW_STAFF)
    Staff.objects.filter(pk=clerk.pk).update(phone="13812345678")
    row = api.get(f"/api/v1/staff/{clerk.username}/").json()
    assert row["phone"] == "138****5678"
    assert "13812345678" not in api.get("/api/v1/staff/").content.decode()
    assert row["memberships"] == [
        {"org": county["dept"].code, "org_name": county["dept"].name, "role": "window_staff", "scope": "subtree"}
    ]


def test_roles_without_staff_view_see_no_staff(county: dict[str, Org]) -> None:
    clerk = make_staff(org=county["gov"], role=Role.WINDOW_STAFF)
    assert token_client(clerk).get("/api/v1/staff/").json()["count"] == 0


def test_audit_events_filter_by_object(api: APIClient, county: dict[str, Org]) -> None:
    dept = county["dept"]
    services.org_update(actor=None, org=dept, changes={"phone": "0571-1234567"}, reason="换号")
    body = api.get(f"/api/v1/audit/events/?object_type=orgs.org&object_id={dept.pk}").json()
    actions = [e["action"] for e in body["results"]]
    assert actions == ["org.update", "org.create"]  # newest first
    assert body["results"][0]["reason"] == "换号"
    assert body["results"][0]["org"] == dept.code


def test_audit_needs_audit_view(county: dict[str, Org]) -> None:
    leader = make_staff(org=county["gov"], role=Role.LEADER)
    assert token_client(leader).get("/api/v1/audit/events/").json()["count"] == 0


def test_audit_verify_is_for_the_platform_operator(
    api: APIClient, county: dict[str, Org], django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True) as queued:
        assert_error(api.post("/api/v1/audit/verify/"), 403, "forbidden")
    assert queued == []

    root = Staff.objects.create_superuser("platform", password="x" * 12)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = token_client(root).post("/api/v1/audit/verify/")
    assert response.status_code == 202
    assert response.json()["status"] == "queued"
    assert len(queued) == 1
    # The inline backend ran it on commit: the outcome is in the trail.
    event = token_client(root).get("/api/v1/audit/events/?action=audit.verify").json()["results"][0]
    assert event["new"]["intact"] is True
    assert event["new"]["checked"] >= len(county)
