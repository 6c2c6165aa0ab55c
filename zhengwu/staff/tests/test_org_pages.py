import pytest

from zhengwu.orgs import services
from zhengwu.orgs.models import Org, OrgKind, Role, Scope
from zhengwu.orgs.tests.factories import make_org, make_staff
from zhengwu.staff.tests.conftest import login

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def test_org_tree_shows_the_users_county_with_its_first_level(client, county_admin, county, other_county):
    html = login(client, county_admin).get("/staff/orgs/").content.decode()
    assert county["gov"].name in html
    assert county["dept"].name in html
    assert county["town"].name in html
    assert other_county["gov"].name not in html
    assert "您可查看 6 个机关/单位" in html


def test_deeper_levels_load_lazily_through_htmx(client, county_admin, county):
    login(client, county_admin)
    tree = client.get("/staff/orgs/").content.decode()
    # the village station is two levels down: not in the page, but behind the township's children link
    assert county["station"].name not in tree
    assert f'hx-get="/staff/orgs/{county["town"].code}/children/"' in tree
    fragment = client.get(f"/staff/orgs/{county['town'].code}/children/", **HX).content.decode()
    assert county["station"].name in fragment
    assert "<html" not in fragment


def test_children_come_in_pages_for_a_big_tree(client, county_admin, county):
    for i in range(55):
        make_org(parent=county["town"], kind=OrgKind.SERVICE_STATION, name=f"第{i}站")
    login(client, county_admin)
    first = client.get(f"/staff/orgs/{county['town'].code}/children/", **HX).content.decode()
    assert first.count('class="org-name"') == 50
    assert "显示更多（共 56 个）" in first
    second = client.get(f"/staff/orgs/{county['town'].code}/children/?page=2", **HX).content.decode()
    assert second.count('class="org-name"') == 6


def test_children_url_without_htmx_goes_to_the_org_page(client, county_admin, county):
    response = login(client, county_admin).get(f"/staff/orgs/{county['town'].code}/children/")
    assert response.status_code == 302
    assert response["Location"] == f"/staff/orgs/{county['town'].code}/"


def test_another_countys_org_is_not_found_not_forbidden(client, county_admin, other_county):
    login(client, county_admin)
    for url in (
        f"/staff/orgs/{other_county['gov'].code}/",
        f"/staff/orgs/{other_county['town'].code}/children/",
    ):
        assert client.get(url, **HX).status_code == 404


def test_a_self_scoped_member_sees_only_their_own_org(client, county):
    clerk = make_staff(org=county["town"], role=Role.WINDOW_STAFF, scope=Scope.SELF)
    login(client, clerk)
    tree = client.get("/staff/orgs/").content.decode()
    assert county["town"].name in tree
    assert county["station"].name not in tree
    assert "下级 1" not in tree, "the child count counts only children the user may see"
    assert client.get(f"/staff/orgs/{county['station'].code}/").status_code == 404
    assert client.get(f"/staff/orgs/{county['gov'].code}/").status_code == 404


def test_org_search_finds_only_within_scope(client, county_admin, county, other_county):
    login(client, county_admin)
    html = client.get("/staff/orgs/", {"q": "市场监督"}).content.decode()
    assert county["dept"].name in html
    assert other_county["dept"].name not in html


def test_org_detail_shows_children_halls_windows_and_masked_staff(client, county_admin, county):
    hall = services.hall_create(actor=None, org=county["center"], name="县政务服务大厅")
    services.window_create(actor=None, hall=hall, number="A01", name="综合受理", departments=[county["dept"]])
    clerk = services.staff_create(
        actor=None,
        org=county["center"],
        username="clerk1",
        full_name="李窗口",
        password="test-password-123",
        role=Role.WINDOW_STAFF,
        phone="13812345678",
        check_password=False,
    )
    login(client, county_admin)
    center = client.get(f"/staff/orgs/{county['center'].code}/").content.decode()
    assert "县政务服务大厅" in center and "A01" in center
    assert clerk.full_name in center
    assert "138****5678" in center
    assert "13812345678" not in center
    dept = client.get(f"/staff/orgs/{county['dept'].code}/").content.decode()
    assert "进驻窗口" in dept and "综合受理" in dept
    gov = client.get(f"/staff/orgs/{county['gov'].code}/").content.decode()
    assert county["town"].name in gov


def test_org_detail_hides_staff_from_a_role_without_staff_view(client, county):
    clerk = make_staff(org=county["center"], role=Role.WINDOW_STAFF, scope=Scope.SELF)
    html = login(client, clerk).get(f"/staff/orgs/{county['center'].code}/").content.decode()
    assert "您没有查看本机关工作人员的权限" in html
    assert clerk.username not in html.split("工作人员</h2>")[1]


def test_breadcrumb_names_only_visible_ancestors(client, county):
    town_admin = make_staff(org=county["town"], role=Role.ADMIN)
    html = login(client, town_admin).get(f"/staff/orgs/{county['station'].code}/").content.decode()
    assert county["town"].name in html
    assert county["gov"].name not in html


def test_people_lists_staff_of_the_county_with_masked_phones_only(client, county_admin, county, other_county):
    services.staff_create(
        actor=None,
        org=county["dept"],
        username="zhang",
        full_name="张三",
        password="x",
        role=Role.APPROVER,
        phone="13900001111",
        check_password=False,
    )
    outsider = make_staff(org=other_county["gov"])
    html = login(client, county_admin).get("/staff/people/").content.decode()
    assert "张三" in html
    assert "139****1111" in html and "13900001111" not in html
    assert outsider.username not in html


def test_people_hides_memberships_in_other_counties(client, county_admin, county, other_county):
    # a staff member with posts in both counties appears, but only with this county's post
    both = make_staff(org=county["dept"], role=Role.APPROVER)
    services.membership_grant(actor=None, staff=both, org=other_county["dept"], role=Role.APPROVER)
    html = login(client, county_admin).get("/staff/people/").content.decode()
    assert both.username in html
    assert other_county["dept"].name not in html
    # and searching by the other county's org name does not find them
    found = client.get("/staff/people/", {"q": "乙县"}).content.decode()
    assert both.username not in found


def test_people_page_is_forbidden_without_staff_view(client, county):
    clerk = make_staff(org=county["center"], role=Role.WINDOW_STAFF)
    assert login(client, clerk).get("/staff/people/").status_code == 403


def test_org_tree_is_bounded_for_a_superuser_with_many_roots(client, db):
    from zhengwu.orgs.models import Staff

    for _ in range(3):
        make_org(kind=OrgKind.GOVERNMENT)
    Staff.objects.create_superuser("root", password="test-password-123")
    client.post("/staff/login/", {"username": "root", "password": "test-password-123"})
    html = client.get("/staff/orgs/").content.decode()
    assert html.count('data-testid="org-tree"') == 1
    assert Org.objects.filter(parent=None).count() == 3
