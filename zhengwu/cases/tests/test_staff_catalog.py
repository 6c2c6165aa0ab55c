"""Staff pages to create and edit catalog items: the manager's list with search, a form that names the wrong field
and why, a change that makes a new version while accepted cases keep theirs, audit events, and no access for roles
that do not manage the catalog or to another county's items."""

import pytest
from django.test import Client

from zhengwu.cases.tests.conftest import make_hall
from zhengwu.cases.tests.factories import accepted_case
from zhengwu.catalog.models import ServiceItem
from zhengwu.catalog.tests.factories import make_item
from zhengwu.core.models import AuditEvent
from zhengwu.orgs.models import Role
from zhengwu.orgs.tests.factories import make_staff

pytestmark = pytest.mark.django_db


def _client(staff) -> Client:
    client = Client()
    client.force_login(staff)
    return client


def _form(**overrides):
    data = {
        "name": "食品经营许可",
        "category": "licensing",
        "keywords": "餐饮 食品",
        "legal_basis": "《中华人民共和国食品安全法》第三十五条",
        "conditions": "",
        "mode": "promised",
        "statutory_limit_days": "20",
        "promised_limit_days": "10",
        "online": "on",
        "online_depth": "3",
        "max_visits": "1",
        "fee_yuan": "0",
        "fee_basis": "",
        "materials": "申请书|1|0|是\n营业执照|1|1\n场所平面图|0|1|否|按比例绘制",
        "steps": "受理\n审查\n决定",
        "window": "",
        "place": "政务服务中心一楼",
        "phone": "0571-12345678",
    }
    data.update(overrides)
    return data


@pytest.fixture
def admin(hall):
    return make_staff(org=hall.county["gov"], role=Role.ADMIN)


def test_a_manager_creates_an_item_with_its_materials_and_it_is_audited(hall, admin):
    client = _client(admin)
    assert "事项管理" in client.get("/staff/").content.decode()  # the nav entry
    response = client.post(
        "/staff/cases/catalog/new/",
        _form(code="SCJG-001", org=hall.dept.pk, window=hall.window.pk),
    )
    assert response.status_code == 302 and response["Location"] == "/staff/cases/items/SCJG-001/"
    item = ServiceItem.objects.get(code="SCJG-001")
    version = item.current
    assert item.org == hall.dept and version.number == 1 and version.window == hall.window
    assert (version.statutory_limit_days, version.promised_limit_days, version.online_depth) == (20, 10, 3)
    materials = [(m.name, m.originals, m.copies, m.required, m.note) for m in version.materials.all()]
    assert materials == [
        ("申请书", 1, 0, True, ""),
        ("营业执照", 1, 1, True, ""),
        ("场所平面图", 0, 1, False, "按比例绘制"),
    ]
    assert version.step_list() == ["受理", "审查", "决定"]
    event = AuditEvent.objects.get(action="item.create", object_id=str(item.pk))
    assert event.actor_id == admin.pk and event.new["code"] == "SCJG-001"


def test_the_form_names_the_wrong_field_and_why(hall, admin):
    client = _client(admin)
    response = client.post(
        "/staff/cases/catalog/new/",
        _form(
            code="bad code!",
            org=hall.dept.pk,
            promised_limit_days="30",
            materials="申请书|一|0\n|1|1",
            fully_online="on",
            online="",
        ),
    )
    body = response.content.decode()
    assert response.status_code == 400 and not ServiceItem.objects.exists()
    assert 'data-field="code"' in body and "只能用字母、数字" in body
    assert 'data-field="promised_limit_days"' in body and "承诺时限（30）不能超过法定时限（20）" in body
    assert 'data-field="materials"' in body and "第 1 行：原件份数应为 0 到 99 的整数：一" in body
    assert "第 2 行：缺少材料名称" in body
    assert 'data-field="fully_online"' in body and "全程网办的事项必须可网上申请" in body
    instant = client.post(
        "/staff/cases/catalog/new/", _form(code="X-1", org=hall.dept.pk, mode="instant", promised_limit_days="3")
    )
    assert instant.status_code == 400 and "即办件当场办结，承诺时限应为 0" in instant.content.decode()


def test_a_duplicate_code_is_reported_on_the_code_field(hall, admin):
    make_item(org=hall.dept, code="DUP-1")
    response = _client(admin).post("/staff/cases/catalog/new/", _form(code="DUP-1", org=hall.dept.pk))
    body = response.content.decode()
    assert response.status_code == 400 and 'data-field="code"' in body and "事项编码已存在：DUP-1" in body


def test_editing_makes_a_new_version_and_accepted_cases_keep_theirs(hall, admin):
    case = accepted_case(hall, promised=10)
    item = case.item
    client = _client(admin)
    page = client.get(f"/staff/cases/catalog/{item.code}/edit/").content.decode()
    assert "营业执照|1|1|是" in page and 'name="base_version" value="1"' in page
    response = client.post(
        f"/staff/cases/catalog/{item.code}/edit/",
        _form(
            name=item.current.name,
            promised_limit_days="5",
            materials="申请书|1|0",
            base_version="1",
            change_note="压缩承诺时限",
        ),
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.current.number == 2 and item.current.promised_limit_days == 5
    assert [m.name for m in item.current.materials.all()] == ["申请书"]
    case.refresh_from_db()
    assert case.item_version.number == 1 and case.promised_limit_days == 10
    event = AuditEvent.objects.get(action="item.revise", object_id=str(item.pk))
    assert event.old["promised_limit_days"] == 10 and event.new["promised_limit_days"] == 5
    assert event.reason == "压缩承诺时限"
    detail = client.get(response["Location"]).content.decode()
    assert "第 2 版" in detail and "压缩承诺时限" in detail


def test_saving_an_outdated_form_changes_nothing_and_says_why(hall, admin):
    item = make_item(org=hall.dept, promised=10)
    client = _client(admin)
    client.post(f"/staff/cases/catalog/{item.code}/edit/", _form(promised_limit_days="8", base_version="1"))
    stale = client.post(f"/staff/cases/catalog/{item.code}/edit/", _form(promised_limit_days="6", base_version="1"))
    item.refresh_from_db()
    assert stale.status_code == 400 and "已被他人改为第 2 版" in stale.content.decode()
    assert item.current.number == 2 and item.current.promised_limit_days == 8


def test_the_manager_list_searches_and_only_managers_reach_the_pages(hall, admin):
    make_item(org=hall.dept, code="SCJG-A", name="食品经营许可")
    make_item(org=hall.dept, code="SCJG-B", name="药品零售许可")
    other = make_hall("乙县")
    make_item(org=other.dept, code="YX-1", name="乙县食品经营许可")
    client = _client(admin)
    body = client.get("/staff/cases/catalog/", {"q": "食品"}).content.decode()
    assert "SCJG-A" in body and "SCJG-B" not in body and "YX-1" not in body
    assert client.get("/staff/cases/catalog/YX-1/edit/").status_code == 404
    approver = _client(hall.approver)
    assert approver.get("/staff/cases/catalog/").status_code == 403
    assert approver.get("/staff/cases/catalog/SCJG-A/edit/").status_code == 404
    assert approver.post("/staff/cases/catalog/new/", _form(code="Z-1", org=hall.dept.pk)).status_code == 403
    assert "事项管理" not in approver.get("/staff/").content.decode()
    assert not ServiceItem.objects.filter(code="Z-1").exists()
