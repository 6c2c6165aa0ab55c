"""/api/v1/orgs/: list and retrieve within the caller's scope, children, and creation through org_create."""

from __future__ import annotations

from rest_framework.test import APIClient

from zhengwu.api.tests.conftest import assert_error, token_client
from zhengwu.orgs.models import Org, Role, Scope, Staff
from zhengwu.orgs.tests.factories import make_staff


def codes(response: object) -> set[str]:
    return {row["code"] for row in response.json()["results"]}  # type: ignore[attr-defined]


def test_admin_lists_their_county_tree_paginated(api: APIClient, county: dict[str, Org]) -> None:
    response = api.get("/api/v1/orgs/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(county)
    assert codes(response) == {o.code for o in county.values()}
    assert {"count", "next", "previous", "results"} <= set(body)


def test_page_size_is_honoured_and_bounded(api: APIClient, county: dict[str, Org]) -> None:
    body = api.get("/api/v1/orgs/?page_size=2").json()
    assert len(body["results"]) == 2 and body["next"]
    assert_error(api.get("/api/v1/orgs/?page=99"), 404, "not_found")


def test_under_limits_to_a_subtree(api: APIClient, county: dict[str, Org]) -> None:
    response = api.get(f"/api/v1/orgs/?under={county['town'].code}")
    assert codes(response) == {county["town"].code, county["station"].code}


def test_self_scoped_staff_sees_only_their_org(county: dict[str, Org]) -> None:
    clerk = make_staff(org=county["dept"], role=Role.WINDOW_STAFF, scope=Scope.SELF)
    assert codes(token_client(clerk).get("/api/v1/orgs/")) == {county["dept"].code}


def test_retrieve_and_children(api: APIClient, county: dict[str, Org]) -> None:
    gov = county["gov"]
    detail = api.get(f"/api/v1/orgs/{gov.code}/").json()
    assert detail["name"] == gov.name and detail["parent"] is None

    children = api.get(f"/api/v1/orgs/{gov.code}/children/").json()["results"]
    assert {c["code"] for c in children} == {county[k].code for k in ("dept", "dept2", "center", "town")}
    assert all(c["parent"] == gov.code for c in children)


def test_admin_creates_an_org_under_their_county(api: APIClient, county: dict[str, Org]) -> None:
    response = api.post(
        "/api/v1/orgs/",
        {"code": "jx-fgw", "name": "甲县发展和改革局", "kind": "department", "parent": county["gov"].code},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["parent"] == county["gov"].code
    assert api.get("/api/v1/orgs/jx-fgw/").json()["name"] == "甲县发展和改革局"
    events = api.get("/api/v1/audit/events/?object_type=orgs.org&action=org.create").json()["results"]
    assert events[0]["new"]["code"] == "jx-fgw"


def test_non_admin_may_not_create(county: dict[str, Org]) -> None:
    leader = make_staff(org=county["gov"], role=Role.LEADER)
    response = token_client(leader).post(
        "/api/v1/orgs/",
        {"code": "x1", "name": "某局", "kind": "department", "parent": county["gov"].code},
        format="json",
    )
    body = assert_error(response, 403, "forbidden")
    assert body["detail"] == {"permission": "orgs.manage"}
    assert not Org.objects.filter(code="x1").exists()


def test_county_admin_may_not_create_a_root(api: APIClient) -> None:
    response = api.post("/api/v1/orgs/", {"code": "root2", "name": "某省", "kind": "government"}, format="json")
    assert_error(response, 403, "forbidden")


def test_domain_validation_errors_keep_their_field_detail(api: APIClient, county: dict[str, Org]) -> None:
    response = api.post(
        "/api/v1/orgs/",
        {"code": county["dept"].code, "name": "重复", "kind": "department", "parent": county["gov"].code},
        format="json",
    )
    body = assert_error(response, 400, "invalid")
    assert body["detail"] == {"code": ["duplicate"]}


def test_serializer_validation_names_each_field(api: APIClient) -> None:
    response = api.post("/api/v1/orgs/", {"code": "bad code!", "kind": "ministry"}, format="json")
    body = assert_error(response, 400, "invalid")
    assert {"code", "name", "kind"} <= set(body["detail"])


def test_superuser_sees_everything(county: dict[str, Org], other_county: dict[str, Org]) -> None:
    root = Staff.objects.create_superuser("platform", password="x" * 12)
    assert codes(token_client(root).get("/api/v1/orgs/?page_size=100")) >= {
        county["gov"].code,
        other_county["gov"].code,
    }
