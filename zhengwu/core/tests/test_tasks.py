"""Background tasks: inline by default, queued in the database and run by the worker in production."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from zhengwu.cli.common import run
from zhengwu.cli.main import build
from zhengwu.core.errors import PermissionDenied
from zhengwu.core.models import AuditEvent
from zhengwu.core.tasks import audit_verify_enqueue, audit_verify_task
from zhengwu.orgs.models import Org, Staff

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_inline_backend_runs_the_check_and_records_it(county: dict[str, Org]) -> None:
    result = audit_verify_task.enqueue()

    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value["intact"] is True
    event = AuditEvent.objects.filter(action="audit.verify").get()
    assert event.new["checked"] == result.return_value["checked"] >= len(county)


def test_a_tampered_event_is_reported(county: dict[str, Org]) -> None:
    victim = AuditEvent.objects.filter(action="org.create").order_by("id")[2]
    AuditEvent.objects.filter(pk=victim.pk).update(reason="事后篡改")  # bypasses the append-only guard

    outcome = audit_verify_task.enqueue().return_value

    assert outcome["intact"] is False
    assert outcome["broken_event_id"] == victim.pk
    assert "edited" in outcome["reason"]


def test_enqueue_waits_for_commit(county: dict[str, Org], django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert audit_verify_enqueue(actor=None) is None  # inside a transaction: nothing yet
    assert not AuditEvent.objects.filter(action="audit.verify").exists()
    assert len(callbacks) == 1
    callbacks[0]()
    assert AuditEvent.objects.filter(action="audit.verify").exists()


def test_only_the_platform_operator_may_queue_a_check(county_admin: Staff) -> None:
    with pytest.raises(PermissionDenied):
        audit_verify_enqueue(actor=county_admin)


# The worker recycles connections between tasks, as in production: commit for real here.
@pytest.mark.django_db(transaction=True)
def test_database_backend_stores_the_task_and_the_worker_runs_it(county: dict[str, Org], settings) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = DB_TASKS

    result = audit_verify_task.enqueue()

    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.READY
    assert not AuditEvent.objects.filter(action="audit.verify").exists()

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert AuditEvent.objects.filter(action="audit.verify").get().new["intact"] is True
    assert audit_verify_task.get_result(str(result.id)).return_value["intact"] is True


# The worker recycles connections between tasks, as in production: commit for real here.
@pytest.mark.django_db(transaction=True)
def test_zhengwu_worker_runs_queued_tasks_in_batch_mode(county: dict[str, Org], settings) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = DB_TASKS
    result = audit_verify_task.enqueue()

    assert run(build(), ["worker", "--batch"]) == 0

    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.SUCCESSFUL


def test_zhengwu_worker_refuses_without_the_database_backend(db: None, capsys) -> None:  # type: ignore[no-untyped-def]
    assert run(build(), ["worker"]) == 2
    err = capsys.readouterr().err
    assert "ZHENGWU_TASKS_BACKEND=database" in err
