"""The transition helper: the table decides, a stale actor gets a conflict, and every change is audited."""

import pytest

from zhengwu.core.errors import Conflict, TransitionNotAllowed
from zhengwu.core.models import AuditEvent
from zhengwu.core.transitions import audited_update, transition

pytestmark = pytest.mark.django_db

# Org.is_active stands in for a status field: the helper works on any field.
TABLE = {True: frozenset({False}), False: frozenset()}


def test_allowed_transition_changes_the_row_and_writes_the_event(county):
    dept = county["dept"]
    transition(
        dept,
        to=False,
        transitions=TABLE,
        actor=None,
        action="org.close",
        status_field="is_active",
        reason="撤并",
        expected=True,
    )
    dept.refresh_from_db()
    assert dept.is_active is False
    event = AuditEvent.objects.filter(action="org.close").get()
    assert (event.old, event.new, event.reason) == ({"is_active": True}, {"is_active": False}, "撤并")


def test_transition_not_in_table_is_refused_and_nothing_changes(county):
    dept = county["dept"]
    transition(dept, to=False, transitions=TABLE, actor=None, action="org.close", status_field="is_active")
    with pytest.raises(TransitionNotAllowed):
        transition(dept, to=True, transitions=TABLE, actor=None, action="org.reopen", status_field="is_active")
    assert not AuditEvent.objects.filter(action="org.reopen").exists()


def test_second_actor_with_a_stale_view_gets_a_conflict(county):
    dept = county["dept"]
    stale_copy = type(dept).objects.get(pk=dept.pk)
    transition(
        dept, to=False, transitions=TABLE, actor=None, action="org.close", status_field="is_active", expected=True
    )
    with pytest.raises(Conflict) as err:
        transition(
            stale_copy,
            to=False,
            transitions=TABLE,
            actor=None,
            action="org.close",
            status_field="is_active",
            expected=True,
        )
    assert "他人" in err.value.message
    assert AuditEvent.objects.filter(action="org.close").count() == 1


def test_audited_update_records_only_what_changed(county):
    dept = county["dept"]
    original = dept.name
    audited_update(dept, actor=None, action="org.update", changes={"name": "新名称", "kind": dept.kind})
    event = AuditEvent.objects.get(action="org.update")
    assert event.old == {"name": original}
    assert event.new == {"name": "新名称"}
    dept.refresh_from_db()
    assert dept.name == "新名称"


def test_audited_update_without_change_writes_nothing(county):
    dept = county["dept"]
    audited_update(dept, actor=None, action="org.update", changes={"name": dept.name})
    assert not AuditEvent.objects.filter(action="org.update").exists()
