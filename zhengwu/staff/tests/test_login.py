import pytest
from django.conf import settings

from zhengwu.core.models import AuditEvent
from zhengwu.orgs.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOCKED_TEXT = "登录失败次数过多"


def _post(client, username, password):
    return client.post("/staff/login/", {"username": username, "password": password})


def test_login_page_has_labelled_fields_and_a_csrf_token(client):
    response = client.get("/staff/login/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_username">用户名</label>' in html
    assert '<label for="id_password">密码</label>' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert '<html lang="zh-hans">' in html


def test_right_password_signs_in_and_lands_on_the_workspace(client, county_admin):
    response = _post(client, county_admin.username, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/staff/"
    home = client.get("/staff/")
    assert county_admin.display_name in home.content.decode()


def test_wrong_password_shows_an_error_and_stays_signed_out(client, county_admin):
    response = _post(client, county_admin.username, "not-the-password")
    html = response.content.decode()
    assert response.status_code == 200
    assert "用户名或密码不正确" in html
    assert 'role="alert"' in html
    assert client.get("/staff/").status_code == 302


def test_five_failures_lock_the_account_even_for_the_right_password(client, county_admin):
    # given five wrong passwords
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        response = _post(client, county_admin.username, "wrong-password")
    # then the fifth answer already says the account is locked
    assert LOCKED_TEXT in response.content.decode()
    # when the right password comes next
    response = _post(client, county_admin.username, PASSWORD)
    # then it is refused with the lockout message, and no session is opened
    assert response.status_code == 200
    assert LOCKED_TEXT in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_success_clears_earlier_failures(client, county_admin):
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        _post(client, county_admin.username, "wrong-password")
    assert _post(client, county_admin.username, PASSWORD).status_code == 302
    client.post("/staff/logout/")
    # four more failures after the success do not lock: the count started again
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        _post(client, county_admin.username, "wrong-password")
    assert _post(client, county_admin.username, PASSWORD).status_code == 302


def test_lockout_of_one_account_leaves_another_free(client, county_admin, county):
    from zhengwu.orgs.tests.factories import make_staff

    colleague = make_staff(org=county["dept"])
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        _post(client, county_admin.username, "wrong-password")
    assert _post(client, colleague.username, PASSWORD).status_code == 302


def test_login_and_failures_and_lockout_are_in_the_audit_trail(client, county_admin, county):
    _post(client, county_admin.username, PASSWORD)
    client.post("/staff/logout/")
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        _post(client, county_admin.username, "wrong-password")
    events = AuditEvent.objects.filter(object_type="orgs.staff", object_id=str(county_admin.pk)).order_by("id")
    actions = [e.action for e in events]
    assert actions[actions.index("staff.login") :] == [
        "staff.login",
        "staff.logout",
        *["staff.login_failed"] * settings.LOGIN_FAILURE_LIMIT,
        "staff.locked",
    ]
    login = events.get(action="staff.login")
    assert login.actor_id == county_admin.pk
    assert login.org_id == county["gov"].pk, "filed under the staff member's org so its auditors see it"
    assert events.filter(action="staff.login_failed").last().new["failures"] == settings.LOGIN_FAILURE_LIMIT


def test_failures_for_an_unknown_username_write_no_audit_event(client, db):
    before = AuditEvent.objects.count()
    _post(client, "nobody-here", "whatever-password")
    assert AuditEvent.objects.count() == before


def test_login_form_refuses_a_post_without_csrf_token(county_admin):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/staff/login/", {"username": county_admin.username, "password": PASSWORD})
    assert response.status_code == 403


def test_logout_is_post_only_and_ends_the_session(client, county_admin):
    _post(client, county_admin.username, PASSWORD)
    assert client.get("/staff/logout/").status_code == 405
    response = client.post("/staff/logout/", follow=True)
    assert "您已安全退出" in response.content.decode()
    assert client.get("/staff/").status_code == 302


def test_workspace_pages_send_anonymous_users_to_login(client, db):
    for url in ["/staff/", "/staff/orgs/", "/staff/people/", "/staff/audit/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/staff/login/?next=")
