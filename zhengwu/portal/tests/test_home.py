import pytest

from zhengwu.orgs import services
from zhengwu.orgs.models import Role
from zhengwu.orgs.tests.factories import make_county, make_staff

pytestmark = pytest.mark.django_db


def test_portal_home_is_chinese_with_a_viewport_for_phones(client, county):
    html = client.get("/").content.decode()
    assert '<html lang="zh-hans">' in html
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in html
    assert 'class="skip-link" href="#main"' in html


def test_a_single_county_deployment_is_named_after_its_county(client, county):
    html = client.get("/").content.decode()
    assert "甲县政务服务网" in html
    assert "主办：甲县人民政府" in html


def test_portal_leads_to_guides_disclosure_and_the_hotline(client, county):
    html = client.get("/").content.decode()
    for section in ("办事大厅", "办事指南", "政府信息公开", "12345"):
        assert section in html
    assert 'href="tel:12345"' in html
    for path in (
        "/services/",
        "/services/progress/",
        "/disclosure/",
        "/disclosure/apply/",
        "/disclosure/progress/",
        "/hotline/web/",
        "/hotline/mailbox/",
        "/hotline/progress/",
    ):
        assert f'href="{path}"' in html, path
        assert client.get(path).status_code == 200, path
    assert 'action="/services/"' in html  # the guide search


def test_portal_lists_the_hall_with_its_windows(client, county):
    hall = services.hall_create(actor=None, org=county["center"], name="县政务服务大厅", address="城关镇人民路1号")
    services.window_create(actor=None, hall=hall, number="A01", name="综合受理窗口", departments=[county["dept"]])
    html = client.get("/").content.decode()
    assert "县政务服务大厅" in html
    assert "城关镇人民路1号" in html
    assert "A01 综合受理窗口" in html


def test_portal_never_shows_staff(client, county):
    staff = make_staff(org=county["gov"], role=Role.ADMIN)
    html = client.get("/").content.decode()
    assert staff.username not in html
    assert staff.full_name not in html


def test_with_two_counties_the_portal_uses_the_generic_name(client, county):
    make_county("乙县")
    html = client.get("/").content.decode()
    assert "甲县政务服务网" not in html
    assert "政务服务网" in html


def test_footer_offers_english_through_set_language_and_a_staff_entrance(client, county):
    html = client.get("/").content.decode()
    assert 'action="/i18n/setlang/"' in html
    assert 'name="language" value="en"' in html
    assert 'href="/staff/login/"' in html


def test_unknown_page_gets_the_friendly_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
