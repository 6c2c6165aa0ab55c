"""The workspace home tells calendar administrators, from November on, that next year's notice is missing."""

import datetime as dt
from unittest import mock

import pytest

from zhengwu.orgs.models import Role
from zhengwu.orgs.tests.factories import make_staff
from zhengwu.staff.nav import nav_entries, register_nav

pytestmark = pytest.mark.django_db


def _home(client, staff, today):
    client.force_login(staff)
    with mock.patch("zhengwu.core.clock.today", return_value=today):
        return client.get("/staff/").content.decode()


def test_admin_sees_the_missing_notice_warning_in_november(client, county):
    admin = make_staff(org=county["gov"], role=Role.ADMIN)
    # 2026 is the newest year chinesecalendar carries: 2027's notice is not loaded in a fresh database.
    assert 'data-testid="notice-missing"' in _home(client, admin, dt.date(2026, 11, 23))
    assert 'data-testid="notice-missing"' not in _home(client, admin, dt.date(2026, 10, 31))


def test_window_staff_are_not_bothered_with_it(client, county):
    window = make_staff(org=county["gov"], role=Role.WINDOW_STAFF)
    assert 'data-testid="notice-missing"' not in _home(client, window, dt.date(2026, 11, 23))


def test_registered_domain_entries_appear_in_the_nav_for_those_who_may_use_them(client, county):
    register_nav(key="zz-test", label="测试入口", url_name="staff:people", permission="staff.view", order=999)
    try:
        supervisor = make_staff(org=county["gov"], role=Role.SUPERVISOR)
        window = make_staff(org=county["gov"], role=Role.WINDOW_STAFF)
        assert "测试入口" in _home(client, supervisor, dt.date(2026, 6, 1))
        assert "测试入口" not in _home(client, window, dt.date(2026, 6, 1))
    finally:
        from zhengwu.staff import nav

        nav._ENTRIES.pop("zz-test")
    assert all(e.key != "zz-test" for e in nav_entries())
