"""The audit trail: one chained event per change, and verification that finds tampering."""

import itertools

import pytest
from django.db import connection, transaction

from zhengwu.core.audit import GENESIS, record_event, verify_chain
from zhengwu.core.models import AuditChainHead, AuditEvent
from zhengwu.orgs import services
from zhengwu.orgs.models import OrgKind

pytestmark = pytest.mark.django_db


def _tamper(sql: str, *params: object) -> None:
    """Edit a row behind the application's back, as someone with database access could."""
    with connection.cursor() as cur:
        cur.execute(sql, params)


def test_each_event_links_to_the_one_before(county):
    events = list(AuditEvent.objects.order_by("id"))
    assert events[0].prev_hash == GENESIS
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == before.hash
    assert AuditChainHead.objects.get().last_hash == events[-1].hash


def test_untouched_chain_verifies(county):
    checked, broken = verify_chain()
    assert broken is None
    assert checked == AuditEvent.objects.count() > 0


def test_edited_reason_is_found_and_named(county):
    victim = AuditEvent.objects.order_by("id")[2]
    _tamper("UPDATE core_auditevent SET reason = %s WHERE id = %s", "改过了", victim.id)
    checked, broken = verify_chain()
    assert broken is not None
    assert broken.event_id == victim.id
    assert "edited" in broken.reason
    assert checked == 2


def test_edited_new_value_is_found(county):
    victim = AuditEvent.objects.filter(action="org.create").order_by("id").last()
    _tamper("UPDATE core_auditevent SET new = %s WHERE id = %s", '{"code": "forged"}', victim.id)
    _, broken = verify_chain()
    assert broken is not None and broken.event_id == victim.id


def test_deleted_event_breaks_the_next_link(county):
    ids = list(AuditEvent.objects.order_by("id").values_list("id", flat=True))
    _tamper("DELETE FROM core_auditevent WHERE id = %s", ids[3])
    _, broken = verify_chain()
    assert broken is not None and broken.event_id == ids[4]


def test_removing_the_newest_events_is_found_at_the_head(county):
    last = AuditEvent.objects.order_by("id").last()
    _tamper("DELETE FROM core_auditevent WHERE id = %s", last.id)
    _, broken = verify_chain()
    assert broken is not None and broken.event_id == -1


def test_events_cannot_be_changed_through_the_orm(county):
    event = AuditEvent.objects.first()
    event.reason = "x"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


def test_a_rolled_back_change_leaves_no_event(county):
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.org_create(actor=None, code="ghost", name="幽灵局", kind=OrgKind.DEPARTMENT, parent=county["gov"])
        raise RuntimeError("the caller fails after the change")
    assert AuditEvent.objects.count() == before
    assert verify_chain()[1] is None


def test_event_records_actor_old_new_and_reason(county, county_admin):
    event = record_event(
        actor=county_admin,
        action="org.rename",
        obj=county["dept"],
        old={"name": "甲"},
        new={"name": "乙"},
        reason="机构改革",
    )
    event.refresh_from_db()
    assert (event.actor_label, event.old, event.new, event.reason) == (
        county_admin.username,
        {"name": "甲"},
        {"name": "乙"},
        "机构改革",
    )
    assert event.org == county["dept"]
    assert verify_chain()[1] is None


def test_bulk_events_extend_the_same_chain(county):
    from zhengwu.core.audit import EventSpec, record_events

    before = AuditEvent.objects.count()
    n = record_events(
        actor=None,
        events=[
            EventSpec(action="ledger.create", object_type="test.row", object_id=i, new={"i": i}) for i in range(50)
        ],
    )
    record_event(actor=None, action="after", object_type="test.row", object_id="x")
    assert n == 50 and AuditEvent.objects.count() == before + 51
    assert verify_chain() == (before + 51, None)
