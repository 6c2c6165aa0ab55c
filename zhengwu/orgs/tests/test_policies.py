"""One policy module decides every permission, by role and org subtree."""

import pytest

from zhengwu.core.errors import PermissionDenied
from zhengwu.orgs import policies
from zhengwu.orgs.models import Org, Role, Scope
from zhengwu.orgs.tests.factories import make_staff

pytestmark = pytest.mark.django_db


def test_subtree_scope_covers_descendants_and_not_siblings_or_other_counties(county, other_county):
    admin = make_staff(org=county["town"], role=Role.ADMIN, scope=Scope.SUBTREE)
    assert policies.can(admin, "orgs.manage", county["town"])
    assert policies.can(admin, "orgs.manage", county["station"])
    assert not policies.can(admin, "orgs.manage", county["gov"])
    assert not policies.can(admin, "orgs.manage", county["dept"])
    assert not policies.can(admin, "orgs.manage", other_county["station"])


def test_self_scope_covers_only_that_org(county):
    officer = make_staff(org=county["town"], role=Role.ADMIN, scope=Scope.SELF)
    assert policies.can(officer, "orgs.manage", county["town"])
    assert not policies.can(officer, "orgs.manage", county["station"])


def test_role_must_hold_the_permission(county):
    window = make_staff(org=county["gov"], role=Role.WINDOW_STAFF)
    assert policies.can(window, "orgs.view", county["dept"])
    assert not policies.can(window, "orgs.manage", county["dept"])
    with pytest.raises(PermissionDenied) as err:
        policies.require(window, "orgs.manage", county["dept"])
    assert err.value.detail == {"permission": "orgs.manage"}


def test_inactive_staff_hold_nothing(county):
    admin = make_staff(org=county["gov"], role=Role.ADMIN)
    admin.is_active = False
    assert not policies.can(admin, "orgs.view", county["gov"])
    assert not Org.objects.filter(policies.org_q(admin, "orgs.view", field="")).exists()


def test_scoped_queryset_equals_the_subtree(county, other_county):
    admin = make_staff(org=county["town"], role=Role.ADMIN)
    visible = set(policies.scope(admin, "orgs.view", Org.objects.all(), field=""))
    assert visible == {county["town"], county["station"]}


def test_several_memberships_add_up(county, other_county):
    staff = make_staff(org=county["dept"], role=Role.APPROVER, scope=Scope.SELF)
    from zhengwu.orgs.services import membership_grant

    membership_grant(actor=None, staff=staff, org=other_county["town"], role=Role.SUPERVISOR)
    staff = type(staff).objects.get(pk=staff.pk)  # fresh object: grants are cached per actor object
    visible = set(policies.scope(staff, "orgs.view", Org.objects.all(), field=""))
    assert visible == {county["dept"], other_county["town"], other_county["station"]}


def test_unknown_permission_is_a_programming_error(county, county_admin):
    with pytest.raises(KeyError):
        policies.can(county_admin, "orgs.fly", county["gov"])


def test_every_role_of_the_issue_exists():
    assert {r.value for r in Role} >= {
        "admin",
        "window_staff",
        "approver",
        "disclosure_officer",
        "hotline_operator",
        "unit_handler",
        "supervisor",
        "leader",
    }
