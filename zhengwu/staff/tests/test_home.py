import datetime as dt

import pytest

from zhengwu.orgs.models import Role, Scope
from zhengwu.orgs.tests.factories import make_staff
from zhengwu.staff import tasks
from zhengwu.staff.tasks import TaskItem
from zhengwu.staff.tests.conftest import login

pytestmark = pytest.mark.django_db


def test_home_shows_name_posts_and_explains_an_empty_task_list(client, county_admin, county, monkeypatch):
    monkeypatch.setattr(tasks, "_SOURCES", [])
    html = login(client, county_admin).get("/staff/").content.decode()
    assert county_admin.display_name in html
    assert county["gov"].name in html
    assert "系统管理员" in html
    assert "暂无待办事项" in html


def test_tasks_are_listed_by_due_date_with_their_clock_state(client, county_admin, monkeypatch):
    # given a source with items in no particular order
    def source(user):
        return [
            TaskItem("第三件", "/c", dt.date(2026, 3, 9), "办件", "on_time"),
            TaskItem("没有期限", "/d", None, "工单"),
            TaskItem("第一件", "/a", dt.date(2026, 3, 2), "办件", "overdue"),
            TaskItem("第二件", "/b", dt.date(2026, 3, 5), "依申请公开", "warning"),
        ]

    monkeypatch.setattr(tasks, "_SOURCES", [source])
    html = login(client, county_admin).get("/staff/").content.decode()
    positions = [html.index(t) for t in ("第一件", "第二件", "第三件", "没有期限")]
    assert positions == sorted(positions)
    assert "超时" in html and "预警" in html and "正常" in html
    assert "期限届满日 2026-03-02" in html


def test_side_nav_shows_only_what_the_role_may_open(client, county):
    window = make_staff(org=county["center"], role=Role.WINDOW_STAFF, scope=Scope.SELF)
    html = login(client, window).get("/staff/").content.decode()
    assert 'href="/staff/orgs/"' in html
    assert 'href="/staff/people/"' not in html
    assert 'href="/staff/audit/"' not in html
    assert 'href="/admin/"' not in html


def test_side_nav_of_an_admin_lists_people_and_audit(client, county_admin):
    html = login(client, county_admin).get("/staff/").content.decode()
    assert 'href="/staff/people/"' in html
    assert 'href="/staff/audit/"' in html


def test_workspace_sends_the_csrf_token_with_htmx_requests(client, county_admin):
    html = login(client, county_admin).get("/staff/").content.decode()
    assert 'hx-headers=\'{"X-CSRFToken": "' in html
    assert "/static/zhengwu/vendor/htmx.min.js" in html
    assert "<script>" not in html, "the CSP allows no inline script"
