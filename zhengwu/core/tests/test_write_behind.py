"""Writes queued behind the caller (zhengwu.core.write_behind) behave like writes done in line: the next statement
sees them, the audit chain stays whole, a refused row fails the import with Django's error and writes nothing, and
no failure leaves the worker waiting."""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection, transaction

from zhengwu.core import ledger
from zhengwu.core.audit import EventSpec, append_events, verify_chain
from zhengwu.core.models import AuditChainHead, AuditEvent
from zhengwu.core.write_behind import active, write_behind

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY behind the caller is PostgreSQL's")


def _events(n: int, **fields: object) -> list[dict[str, object]]:
    return [
        {
            "at": "2026-12-01T08:00:00+08:00",
            "actor_label": "system",
            "object_type": "test.thing",
            "object_id": str(i),
            "action": "test.write",
            "old": None,
            "new": {"n": i},
            "reason": "",
            "prev_hash": "",
            "hash": f"test-{i}",
            **fields,
        }
        for i in range(n)
    ]


def _no_worker() -> bool:
    return not any(t.name == "zhengwu-write-behind" for t in threading.enumerate())


@postgres_only
def test_rows_written_behind_are_seen_by_the_next_statement_and_keys_rise_with_them():
    before = AuditEvent.objects.count()
    with transaction.atomic(), write_behind() as behind:
        assert behind is not None and active(connection) is behind
        ids = ledger.bulk_insert(AuditEvent, _events(5000))
        # The ORM's next statement waits for the queued COPY: all rows are there, in key order.
        stored = list(AuditEvent.objects.filter(pk__in=ids).order_by("pk").values_list("object_id", "new"))
    assert ids == sorted(ids)
    assert stored == [(str(i), {"n": i}) for i in range(5000)]
    assert AuditEvent.objects.count() == before + 5000
    assert active(connection) is None and _no_worker()


@postgres_only
def test_events_appended_behind_keep_the_chain_and_its_head():
    from zhengwu.orgs.models import Org, OrgKind

    org = Org.objects.create(code="wb-org", name="写后机构", kind=OrgKind.GOVERNMENT)
    specs = [
        EventSpec(action="test.write", object_type="test.thing", object_id=i, org=org, new={"ref": f"R{i}"})
        for i in range(3)
    ]
    specs += [EventSpec(action="test.more", object_type="test.thing", object_id=i, old={"a": 1}) for i in range(3)]
    with transaction.atomic(), write_behind():
        append_events(actor=None, events=specs * 700)
        append_events(actor=None, events=specs)  # a second batch continues from the first's last hash
    last = AuditEvent.objects.order_by("-pk").first()
    assert last is not None and AuditChainHead.objects.get().last_hash == last.hash
    assert verify_chain() == (AuditEvent.objects.count(), None)
    assert AuditEvent.objects.filter(action="test.write", new={"ref": "R2"}).count() == 701


@postgres_only
def test_a_row_the_database_refuses_fails_with_djangos_error_and_writes_nothing():
    before = AuditEvent.objects.count()
    bad = _events(3000)
    bad[2500]["org_id"] = 10**9  # no such org: the foreign key is checked at the end of the COPY
    with pytest.raises(IntegrityError), transaction.atomic(), write_behind():
        ledger.bulk_insert(AuditEvent, bad)
        ledger.bulk_insert(AuditEvent, _events(10))  # queued after the refused COPY: not written either
    assert AuditEvent.objects.count() == before
    assert _no_worker()


@postgres_only
def test_a_failure_in_the_caller_aborts_what_is_queued():
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError, match="caller"), transaction.atomic(), write_behind():
        ledger.bulk_insert(AuditEvent, _events(20000))
        raise RuntimeError("the caller failed")
    assert AuditEvent.objects.count() == before
    assert _no_worker()


@postgres_only
def test_a_value_that_cannot_be_written_fails_at_once_without_leaving_the_worker_waiting():
    before = AuditEvent.objects.count()
    rows = _events(3000)
    rows[1500]["object_id"] = object()  # nothing PostgreSQL can take
    with pytest.raises(Exception, match="object"), transaction.atomic(), write_behind():
        ledger.bulk_insert(AuditEvent, rows)
    assert AuditEvent.objects.count() == before
    assert _no_worker()
    # The connection is usable afterwards.
    with transaction.atomic(), write_behind():
        ledger.bulk_insert(AuditEvent, _events(3))
    assert AuditEvent.objects.count() == before + 3


def test_outside_postgresql_or_a_transaction_it_changes_nothing():
    if connection.vendor != "postgresql":
        with transaction.atomic(), write_behind() as behind:
            assert behind is None
            ids = ledger.bulk_insert(AuditEvent, _events(3))
        assert AuditEvent.objects.filter(pk__in=ids).count() == 3
        return
    with transaction.atomic(), write_behind() as outer, write_behind() as inner:
        assert outer is not None and inner is None  # one worker per connection


@postgres_only
def test_a_single_event_recorded_inside_the_block_comes_after_the_queued_ones():
    """`record_event` writes through a prepared statement, not Django's cursor: it too waits for the queued events
    and their head update, so the chain and its head end at the newest event."""
    from zhengwu.core.audit import record_event

    specs = [EventSpec(action="test.write", object_type="test.thing", object_id=i, new={"n": i}) for i in range(5000)]
    with transaction.atomic(), write_behind():
        append_events(actor=None, events=specs)
        single = record_event(actor=None, action="test.single", object_type="test.thing", object_id=0)
    assert AuditEvent.objects.order_by("-pk").first() == single
    assert AuditChainHead.objects.get().last_hash == single.hash
    assert verify_chain() == (AuditEvent.objects.count(), None)
