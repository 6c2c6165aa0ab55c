"""Token issuance and revocation, session auth with CSRF, and the shared login lockout."""

from __future__ import annotations

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from zhengwu.api.tests.conftest import assert_error
from zhengwu.orgs.models import Org, Staff
from zhengwu.orgs.tests.factories import PASSWORD
from zhengwu.staff import lockout

TOKEN_URL = "/api/v1/auth/token/"


def test_staff_gets_a_token_and_uses_it(county_admin: Staff) -> None:
    client = APIClient()
    response = client.post(TOKEN_URL, {"username": county_admin.username, "password": PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]

    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = client.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["username"] == county_admin.username
    assert me.json()["memberships"][0]["role"] == "admin"


def test_wrong_password_is_rejected_with_the_contract(county_admin: Staff) -> None:
    response = APIClient().post(TOKEN_URL, {"username": county_admin.username, "password": "nope"}, format="json")
    assert_error(response, 400, "invalid_credentials")


def test_api_sign_in_failures_and_successes_are_in_the_audit_trail(county_admin: Staff) -> None:
    from zhengwu.core.models import AuditEvent

    APIClient().post(TOKEN_URL, {"username": county_admin.username, "password": "nope"}, format="json")
    APIClient().post(TOKEN_URL, {"username": county_admin.username, "password": PASSWORD}, format="json")
    events = AuditEvent.objects.filter(object_type="orgs.staff", object_id=str(county_admin.pk)).order_by("id")
    assert [(e.action, e.new.get("channel")) for e in events if e.action.startswith("staff.login")] == [
        ("staff.login_failed", "api"),
        ("staff.login", "api"),
    ]


def test_inactive_staff_gets_no_token(county_admin: Staff) -> None:
    county_admin.is_active = False
    county_admin.save()
    response = APIClient().post(TOKEN_URL, {"username": county_admin.username, "password": PASSWORD}, format="json")
    assert_error(response, 400, "invalid_credentials")


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_account_even_with_the_right_password(county_admin: Staff) -> None:
    client = APIClient()
    for _ in range(3):
        client.post(TOKEN_URL, {"username": county_admin.username, "password": "wrong"}, format="json")
    response = client.post(TOKEN_URL, {"username": county_admin.username, "password": PASSWORD}, format="json")
    assert_error(response, 429, "login_locked")


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_a_lock_set_by_the_web_login_also_blocks_the_api(county_admin: Staff) -> None:
    for _ in range(3):
        lockout.register_failure(county_admin.username, "198.51.100.7")
    response = APIClient().post(TOKEN_URL, {"username": county_admin.username, "password": PASSWORD}, format="json")
    assert_error(response, 429, "login_locked")


def test_delete_revokes_the_token(county_admin: Staff) -> None:
    client = APIClient()
    token = client.post(TOKEN_URL, {"username": county_admin.username, "password": PASSWORD}, format="json").json()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token['token']}")
    assert client.delete(TOKEN_URL).status_code == 204

    assert_error(client.get("/api/v1/me/"), 401, "authentication_failed")


def test_token_issue_and_revoke_are_audited(county_admin: Staff) -> None:
    client = APIClient()
    token = client.post(TOKEN_URL, {"username": county_admin.username, "password": PASSWORD}, format="json").json()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token['token']}")
    client.delete(TOKEN_URL)
    from zhengwu.core.models import AuditEvent

    actions = list(
        AuditEvent.objects.filter(object_type="orgs.staff", object_id=str(county_admin.pk)).values_list(
            "action", flat=True
        )
    )
    assert actions[-2:] == ["staff.token_issue", "staff.token_revoke"]


def test_no_credentials_answers_401_with_a_challenge(db: None) -> None:
    response = APIClient().get("/api/v1/orgs/")
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Token")


def test_bad_token_answers_401(db: None) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert_error(client.get("/api/v1/orgs/"), 401, "authentication_failed")


def test_session_clients_need_the_csrf_token_to_write(county: dict[str, Org], county_admin: Staff) -> None:
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(county_admin)
    assert client.get("/api/v1/me/").status_code == 200

    body = {"code": "csrf-test", "name": "测试局", "kind": "department", "parent": county["gov"].code}
    assert_error(client.post("/api/v1/orgs/", body, format="json"), 403, "csrf_failed")

    client.get("/api/v1/me/")  # sets the csrftoken cookie, as a browser client would first do
    csrf = client.cookies["csrftoken"].value
    response = client.post("/api/v1/orgs/", body, format="json", HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 201, response.content


@pytest.mark.parametrize("payload", [{}, {"username": "x"}, {"username": None, "password": None}, []])
def test_token_request_with_missing_fields_is_invalid(db: None, payload: object) -> None:
    body = assert_error(APIClient().post(TOKEN_URL, payload, format="json"), 400, "invalid")
    assert isinstance(body["detail"], dict)
