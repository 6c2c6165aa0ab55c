"""Several audit chains (AUDIT_CHAINS > 1): each thread appends to its own head row; verification walks them all
and still finds an edited, removed or newest-removed event."""

import pytest
from django.db import connection

from zhengwu.core import audit
from zhengwu.core.audit import record_event, verify_chain
from zhengwu.core.models import AuditChainHead, AuditEvent
from zhengwu.orgs.tests.factories import make_org

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_chains(monkeypatch, settings):
    """Events appended round-robin to chains 1, 2, 3, as three threads would."""
    settings.AUDIT_CHAINS = 3
    order = iter([1, 2, 3] * 20)
    monkeypatch.setattr(audit, "chain_id", lambda: next(order))
    org = make_org()  # (its own events go to chains 1, 2, …)
    for i in range(9):
        record_event(actor=None, action="test.step", obj=org, new={"i": i})
    return org


def _tamper(sql: str, *params: object) -> None:
    with connection.cursor() as cur:
        cur.execute(sql, params)


def test_interleaved_chains_verify(three_chains):
    checked, broken = verify_chain()
    assert broken is None and checked == AuditEvent.objects.count()
    assert AuditChainHead.objects.count() == 3
    for head in AuditChainHead.objects.all():
        assert AuditEvent.objects.filter(hash=head.last_hash).exists()


def test_a_removed_event_in_one_chain_breaks_that_chain_s_next_link(three_chains):
    events = list(AuditEvent.objects.filter(action="test.step").order_by("id"))
    victim = events[3]
    next_in_its_chain = AuditEvent.objects.get(prev_hash=victim.hash)
    _tamper("DELETE FROM core_auditevent WHERE id = %s", victim.id)
    _, broken = verify_chain()
    assert broken is not None and broken.event_id == next_in_its_chain.id


def test_an_edited_event_is_named(three_chains):
    victim = AuditEvent.objects.filter(action="test.step").order_by("id")[4]
    _tamper("UPDATE core_auditevent SET reason = %s WHERE id = %s", "改过了", victim.id)
    _, broken = verify_chain()
    assert broken is not None and broken.event_id == victim.id and "edited" in broken.reason


def test_removing_one_chain_s_newest_event_is_found_at_its_head(three_chains):
    newest = AuditEvent.objects.order_by("-id").first()
    _tamper("DELETE FROM core_auditevent WHERE id = %s", newest.id)
    _, broken = verify_chain()
    assert broken is not None and broken.event_id == -1


def test_one_chain_is_the_default(settings):
    settings.AUDIT_CHAINS = None
    assert audit.chain_count() == 1 and audit.chain_id() == 1
