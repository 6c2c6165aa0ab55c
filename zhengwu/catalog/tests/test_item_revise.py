"""Items and versions: a change makes a new version, an unchanged save makes none, the rules are enforced."""

import dataclasses

import pytest

from zhengwu.catalog.models import Mode
from zhengwu.catalog.services import ItemContent, MaterialSpec, item_create, item_revise
from zhengwu.catalog.tests.factories import make_item
from zhengwu.core.errors import InvalidInput, PermissionDenied
from zhengwu.core.models import AuditEvent
from zhengwu.orgs.models import Role
from zhengwu.orgs.tests.factories import make_staff

pytestmark = pytest.mark.django_db


def test_revising_makes_a_new_version_and_keeps_the_old_one(county, county_admin):
    item = make_item(org=county["dept"], promised=10)
    v1 = item.current
    content = dataclasses.replace(
        ItemContent.of(v1), promised_limit_days=5, materials=(*ItemContent.of(v1).materials, MaterialSpec("授权委托书"))
    )
    v2 = item_revise(actor=county_admin, item=item, content=content, change_note="压缩承诺时限")
    assert (v1.number, v2.number) == (1, 2)
    assert item.current == v2 and v1.promised_limit_days == 10
    assert [m.name for m in v2.materials.all()][-1] == "授权委托书"
    assert v1.materials.count() == 3
    event = AuditEvent.objects.get(action="item.revise")
    assert event.old["promised_limit_days"] == 10 and event.new["promised_limit_days"] == 5


def test_saving_unchanged_content_makes_no_version(county, county_admin):
    item = make_item(org=county["dept"])
    same = item_revise(actor=county_admin, item=item, content=ItemContent.of(item.current))
    assert same.number == 1 and not AuditEvent.objects.filter(action="item.revise").exists()


def test_a_promise_longer_than_the_statute_is_refused(county, county_admin):
    with pytest.raises(InvalidInput):
        item_create(
            actor=county_admin,
            org=county["dept"],
            code="X1",
            content=ItemContent(name="x", category="licensing", statutory_limit_days=5, promised_limit_days=10),
        )


def test_an_instant_item_promises_no_days(county, county_admin):
    with pytest.raises(InvalidInput):
        item_create(
            actor=county_admin,
            org=county["dept"],
            code="X2",
            content=ItemContent(name="x", category="licensing", mode=Mode.INSTANT, promised_limit_days=3),
        )


def test_only_an_admin_of_the_org_manages_its_catalog(county, other_county):
    outsider = make_staff(org=other_county["gov"], role=Role.ADMIN)
    with pytest.raises(PermissionDenied):
        item_create(actor=outsider, org=county["dept"], code="X3", content=ItemContent(name="x", category="licensing"))
