"""The web shell in a real browser: staff sign in and out, the portal on a phone."""

from __future__ import annotations

import pytest

from zhengwu.orgs import services
from zhengwu.orgs.models import Role
from zhengwu.orgs.tests.factories import PASSWORD, make_county, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def county_with_hall(transactional_db):  # type: ignore[no-untyped-def]
    county = make_county("青岚县")
    hall = services.hall_create(actor=None, org=county["center"], name="县政务服务大厅", address="城关镇岚山大道88号")
    for number, name in [("A01", "综合受理窗口"), ("A02", "市场主体登记"), ("B01", "不动产登记")]:
        services.window_create(actor=None, hall=hall, number=number, name=name, departments=[county["dept"]])
    return county


@pytest.fixture
def admin(county_with_hall):  # type: ignore[no-untyped-def]
    return make_staff(org=county_with_hall["gov"], role=Role.ADMIN)


def _sign_in(page, base: str, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/staff/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_staff_signs_in_and_sees_the_workspace_with_org_and_role(live_server, desktop, admin, county_with_hall, shot):
    errors: list[str] = []
    desktop.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    # when the admin signs in
    _sign_in(desktop, live_server.url, admin.username, PASSWORD)
    desktop.wait_for_url(f"{live_server.url}/staff/")
    # then the workspace greets them, with their org and role in the top bar and the posts card
    assert desktop.get_by_role("heading", level=1).inner_text() == f"您好，{admin.display_name}"
    assert desktop.get_by_test_id("user-post").inner_text().startswith("青岚县人民政府 · 系统管理员")
    assert "青岚县人民政府" in desktop.get_by_test_id("memberships").inner_text()
    assert desktop.get_by_test_id("tasks-empty").is_visible()
    nav = desktop.get_by_role("navigation", name="工作台导航")
    for entry in ("我的工作台", "机构", "工作人员", "审计记录"):
        assert nav.get_by_role("link", name=entry).is_visible()
    shot(desktop, "workspace_desktop")
    assert errors == [], "no script or CSP errors in the console"


def test_org_tree_opens_a_township_and_loads_its_children(live_server, desktop, admin, county_with_hall, shot):
    _sign_in(desktop, live_server.url, admin.username, PASSWORD)
    desktop.wait_for_url(f"{live_server.url}/staff/")
    desktop.goto(f"{live_server.url}/staff/orgs/")
    town = county_with_hall["town"]
    station = county_with_hall["station"]
    assert not desktop.get_by_text(station.name).is_visible()
    # when the township is expanded, htmx fetches its children (with the CSRF header set on <body>)
    desktop.locator(f"details[hx-get$='/{town.code}/children/'] > summary").click()
    desktop.get_by_role("link", name=station.name).wait_for()
    shot(desktop, "org_tree_desktop")


def test_wrong_password_shows_the_error(live_server, desktop, admin):
    _sign_in(desktop, live_server.url, admin.username, "not-the-password")
    alert = desktop.get_by_role("alert")
    assert "用户名或密码不正确" in alert.inner_text()
    assert desktop.url.startswith(f"{live_server.url}/staff/login/")


def test_logout_ends_the_session(live_server, desktop, admin):
    _sign_in(desktop, live_server.url, admin.username, PASSWORD)
    desktop.wait_for_url(f"{live_server.url}/staff/")
    desktop.get_by_role("button", name="退出登录").click()
    desktop.wait_for_url(f"{live_server.url}/staff/login/")
    assert "您已安全退出" in desktop.get_by_role("status").inner_text()
    # the workspace is closed again
    desktop.goto(f"{live_server.url}/staff/")
    assert desktop.url.startswith(f"{live_server.url}/staff/login/")


def test_portal_on_a_phone_has_no_horizontal_scroll_and_shows_its_sections(live_server, phone, county_with_hall, shot):
    phone.goto(f"{live_server.url}/")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"page is {width}px wide on a 375px screen"
    assert phone.get_by_role("heading", name="欢迎访问青岚县政务服务网").is_visible()
    for section in ("办事大厅", "办事指南", "政府信息公开", "12345 政务服务便民热线"):
        heading = phone.get_by_role("heading", name=section, exact=True)
        heading.scroll_into_view_if_needed()
        assert heading.is_visible()
    assert phone.get_by_text("A01 综合受理窗口").is_visible()
    # tap targets in the section nav are big enough for a thumb
    box = phone.get_by_role("link", name="办事指南").first.bounding_box()
    assert box is not None and box["height"] >= 40
    shot(phone, "portal_phone")


def test_portal_switches_to_english_and_back(live_server, phone, county_with_hall, english):
    phone.goto(f"{live_server.url}/")
    phone.get_by_role("button", name="English").click()
    phone.wait_for_load_state()
    assert phone.locator("html").get_attribute("lang") == "en"
    assert phone.get_by_role("link", name="Staff sign-in").is_visible()
    phone.get_by_role("button", name="简体中文").click()
    phone.wait_for_load_state()
    assert phone.locator("html").get_attribute("lang") == "zh-hans"


def test_login_page_fits_a_phone(live_server, phone, admin, shot):
    phone.goto(f"{live_server.url}/staff/login/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    assert phone.get_by_label("用户名").is_visible()
    shot(phone, "login_phone")
