import pytest

from zhengwu.core import selectors
from zhengwu.core.models import AuditEvent
from zhengwu.orgs import services
from zhengwu.orgs.models import Role
from zhengwu.orgs.tests.factories import make_staff
from zhengwu.staff.tests.conftest import login

pytestmark = pytest.mark.django_db


def test_audit_page_shows_actor_action_old_new_and_reason(client, county_admin, county):
    # given a rename by the county admin with a reason
    services.org_update(actor=county_admin, org=county["dept"], changes={"short_name": "市场监管局"}, reason="统一简称")
    html = login(client, county_admin).get("/staff/audit/").content.decode()
    assert county_admin.display_name in html
    assert "修改机构" in html and "org.update" in html
    assert "<ins>市场监管局</ins>" in html
    assert "统一简称" in html


def test_audit_page_is_newest_first(client, county_admin, county):
    login(client, county_admin)
    services.org_update(actor=county_admin, org=county["dept"], changes={"short_name": "旧"}, reason="第一次")
    services.org_update(actor=county_admin, org=county["dept"], changes={"short_name": "新"}, reason="第二次")
    html = client.get("/staff/audit/").content.decode()
    assert html.index("第二次") < html.index("第一次")


def test_audit_page_never_shows_another_countys_events(client, county_admin, county, other_county):
    services.org_update(actor=None, org=other_county["dept"], changes={"short_name": "乙简称"}, reason="乙县的事")
    html = login(client, county_admin).get("/staff/audit/").content.decode()
    assert "乙县的事" not in html
    assert other_county["dept"].name not in html


def test_audit_page_filters_by_object_and_action(client, county_admin, county):
    login(client, county_admin)
    dept = county["dept"]
    html = client.get("/staff/audit/", {"object_type": "orgs.org", "object_id": dept.pk}).content.decode()
    assert f"orgs.org#{dept.pk}" in html
    assert f"orgs.org#{county['dept2'].pk}" not in html
    logins = client.get("/staff/audit/", {"action": "staff.login"}).content.decode()
    assert "staff.login" in logins and "org.create" not in logins


def test_audit_pages_by_id_without_counting_the_trail(county_admin, county):
    for i in range(7):
        services.org_update(actor=None, org=county["dept"], changes={"short_name": f"简称{i}"})
    first = selectors.audit_page_for_actor(county_admin, size=3)
    assert first.newer_than is None and first.older_than is not None
    second = selectors.audit_page_for_actor(county_admin, before=first.older_than, size=3)
    assert [e.id for e in second.events] == sorted((e.id for e in second.events), reverse=True)
    assert second.events[0].id < first.events[-1].id
    back = selectors.audit_page_for_actor(county_admin, after=second.newer_than, size=3)
    assert [e.id for e in back.events] == [e.id for e in first.events]


def test_audit_page_needs_audit_view(client, county):
    clerk = make_staff(org=county["center"], role=Role.WINDOW_STAFF)
    assert login(client, clerk).get("/staff/audit/").status_code == 403


def test_supervisor_of_a_township_sees_only_its_subtree(client, county):
    supervisor = make_staff(org=county["town"], role=Role.SUPERVISOR)
    login(client, supervisor)
    visible_orgs = set(
        AuditEvent.objects.filter(pk__in=[e.pk for e in selectors.audit_page_for_actor(supervisor).events]).values_list(
            "org_id", flat=True
        )
    )
    assert visible_orgs <= {county["town"].pk, county["station"].pk}
    assert visible_orgs


def test_audit_page_names_each_object_in_words_not_only_by_type_and_id(client, county_admin, county):
    # given a change to a department and a login of the admin (an object of another type)
    dept = county["dept"]
    services.org_update(actor=county_admin, org=dept, changes={"short_name": "监管"}, reason="简称")
    html = login(client, county_admin).get("/staff/audit/").content.decode()
    # then the reader sees "机关/单位 <name>" for the org and the staff member's name, each linked to its own trail
    assert f'object_id={dept.pk}" title="只看这个对象的记录">机关/单位 {dept.name}</a>' in html
    assert f"{county_admin.display_name}</a>" in html


def test_an_object_deleted_since_is_still_named_by_type_and_id(county_admin, county):
    services.org_update(actor=None, org=county["dept"], changes={"short_name": "将删"})
    event = AuditEvent.objects.filter(object_type="orgs.org").latest("id")
    labels = selectors.audit_object_labels([event])
    assert labels[("orgs.org", event.object_id)].endswith(county["dept"].name)
    ghost = AuditEvent(object_type="orgs.org", object_id="999999")
    unknown = AuditEvent(object_type="nosuch.model", object_id="1")
    labels = selectors.audit_object_labels([ghost, unknown])
    assert labels[("orgs.org", "999999")].endswith("#999999")
    assert ("nosuch.model", "1") not in labels
