import pytest

from zhengwu.core.errors import InvalidInput, PermissionDenied
from zhengwu.core.models import AuditEvent
from zhengwu.orgs import services
from zhengwu.orgs.models import Org, OrgKind, Role
from zhengwu.orgs.selectors import org_subtree
from zhengwu.orgs.tests.factories import make_staff

pytestmark = pytest.mark.django_db


def test_child_path_extends_parent_path_and_subtree_finds_descendants(county):
    gov, town, station = county["gov"], county["town"], county["station"]
    assert station.path == f"{town.path}{station.pk}/"
    assert set(org_subtree(town)) == {town, station}
    assert set(org_subtree(gov)) == set(county.values())


def test_create_writes_one_audit_event_naming_the_new_org(county):
    org = services.org_create(
        actor=None, code="new-dept", name="新部门", kind=OrgKind.DEPARTMENT, parent=county["gov"].code
    )
    event = AuditEvent.objects.get(object_type="orgs.org", object_id=str(org.pk))
    assert event.action == "org.create"
    assert event.new["code"] == "new-dept"
    assert event.new["parent"] == county["gov"].code


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": "ministry"}, "kind"),
        ({"parent": "no-such-org"}, "parent"),
        ({"code": "has space"}, "code"),
        ({"name": "  "}, "name"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(county, kwargs, field):
    before_orgs, before_events = Org.objects.count(), AuditEvent.objects.count()
    args = {"code": "dept-x", "name": "某局", "kind": OrgKind.DEPARTMENT, "parent": county["gov"].code, **kwargs}
    with pytest.raises(InvalidInput) as err:
        services.org_create(actor=None, **args)
    assert field in err.value.detail
    assert (Org.objects.count(), AuditEvent.objects.count()) == (before_orgs, before_events)


def test_duplicate_code_is_refused(county):
    with pytest.raises(InvalidInput) as err:
        services.org_create(
            actor=None, code=county["dept"].code, name="重复", kind=OrgKind.DEPARTMENT, parent=county["gov"]
        )
    assert err.value.detail == {"code": ["duplicate"]}


def test_admin_of_one_county_cannot_add_under_another(county, other_county):
    admin = make_staff(org=county["gov"], role=Role.ADMIN)
    with pytest.raises(PermissionDenied):
        services.org_create(
            actor=admin, code="intruder", name="越权", kind=OrgKind.DEPARTMENT, parent=other_county["gov"]
        )
    assert not Org.objects.filter(code="intruder").exists()


def test_move_rehangs_the_whole_subtree(county, other_county):
    town, station = county["town"], county["station"]
    services.org_move(actor=None, org=town, new_parent=other_county["gov"])
    station.refresh_from_db()
    town.refresh_from_db()
    assert station.path.startswith(other_county["gov"].path)
    assert station.depth == other_county["gov"].depth + 2
    assert station in org_subtree(other_county["gov"])
    assert station not in org_subtree(county["gov"])


def test_move_under_own_descendant_is_refused(county):
    with pytest.raises(InvalidInput):
        services.org_move(actor=None, org=county["town"], new_parent=county["station"])
