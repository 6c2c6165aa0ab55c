"""Every API error has the {"code", "message", "detail"} shape and a 4xx status — never a 500 or an HTML page."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from zhengwu.api.tests.conftest import assert_error
from zhengwu.core.errors import Conflict
from zhengwu.orgs.models import Org, Staff


@pytest.fixture(autouse=True)
def _debug_off(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = False


def test_unknown_api_path_is_json_404(api: APIClient) -> None:
    assert_error(api.get("/api/v1/no-such-thing/"), 404, "not_found")
    assert_error(APIClient().get("/api/v2/orgs/"), 404, "not_found")


def test_method_not_allowed(api: APIClient, county: dict[str, Org]) -> None:
    assert_error(api.delete(f"/api/v1/orgs/{county['gov'].code}/"), 405, "method_not_allowed")
    assert_error(api.put("/api/v1/me/", {}, format="json"), 405, "method_not_allowed")


def test_malformed_json(api: APIClient) -> None:
    response = api.post("/api/v1/orgs/", data=b'{"code": "x",', content_type="application/json")
    assert_error(response, 400, "malformed_request")
    response = api.post("/api/v1/orgs/", data=b"\xff\xfe\x00garbage", content_type="application/json")
    assert_error(response, 400, "malformed_request")


def test_unsupported_media_type(api: APIClient) -> None:
    response = api.post("/api/v1/orgs/", data=b"<org/>", content_type="application/xml")
    assert_error(response, 415, "unsupported_media_type")


def test_not_acceptable(api: APIClient) -> None:
    assert_error(api.get("/api/v1/me/", HTTP_ACCEPT="application/xml"), 406, "not_acceptable")


def test_domain_errors_keep_their_own_code(api: APIClient, county: dict[str, Org], monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def clash(**kwargs: object) -> Org:
        raise Conflict("已被他人修改。", detail={"version": 3})

    monkeypatch.setattr("zhengwu.orgs.services.org_create", clash)
    response = api.post(
        "/api/v1/orgs/",
        {"code": "c1", "name": "某局", "kind": "department", "parent": county["gov"].code},
        format="json",
    )
    body = assert_error(response, 409, "conflict")
    assert body == {"code": "conflict", "message": "已被他人修改。", "detail": {"version": 3}}


def test_bad_query_parameters_are_400_not_500(api: APIClient) -> None:
    assert_error(api.get("/api/v1/audit/events/?object_id=" + "9" * 100), 400, "invalid")
    assert_error(api.get("/api/v1/audit/events/?object_type=a%00b"), 400, "invalid")
    assert_error(api.get("/api/v1/orgs/?under=%00"), 400, "invalid")
    assert_error(api.get("/api/v1/audit/events/99999999999999999/"), 404, "not_found")


def test_body_too_large_is_413(api: APIClient, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"code": "x", "name": "名" * 2000, "kind": "department"})
    assert_error(api.post("/api/v1/orgs/", data=body, content_type="application/json"), 413, "request_too_large")


def test_throttled_calls_get_429_with_retry_after(county_admin: Staff, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from rest_framework.throttling import SimpleRateThrottle

    # The rates are read once at import into the class; patch them there for this test only.
    monkeypatch.setattr(
        SimpleRateThrottle,
        "THROTTLE_RATES",
        {"anon": "2/min", "user": "3/min", "auth_token": "2/min", "public_intake": "2/min"},
    )
    cache.clear()  # the database cache: rolled back with the test's transaction
    client = APIClient()
    client.force_authenticate(county_admin)
    statuses = [client.get("/api/v1/me/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/me/")
    body = assert_error(response, 429, "rate_limited")
    assert int(response["Retry-After"]) >= 1
    assert body["detail"]["retry_after"] == int(response["Retry-After"])

    anon = APIClient()
    for _ in range(2):
        anon.post("/api/v1/auth/token/", {"username": "x", "password": "y"}, format="json")
    assert_error(anon.post("/api/v1/auth/token/", {"username": "x", "password": "y"}, format="json"), 429)
