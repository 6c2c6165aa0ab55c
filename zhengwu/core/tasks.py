"""Background work through Django's tasks API: inline by default, a `zhengwu worker` process in production.

On Django 5.2 the API comes from the django-tasks backport; on Django 6 from django.tasks, with the same names,
so task code does not change. Tasks are enqueued with `transaction.on_commit` (STYLE rule 7): nothing runs
for a write that was rolled back.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

try:  # Django 6+
    from django.tasks import TaskResult, task
except ImportError:  # Django 5.2: the backport
    from django_tasks import TaskResult, task  # type: ignore[assignment,no-redef,unused-ignore]

from zhengwu.core.audit import record_event, verify_chain
from zhengwu.core.errors import PermissionDenied

if TYPE_CHECKING:
    from zhengwu.orgs.models import Staff

log = logging.getLogger("zhengwu.tasks")


@task
def audit_verify_task() -> dict[str, Any]:
    """Walk the audit hash chain and record the outcome as an `audit.verify` event (and log an error if broken)."""
    checked, broken = verify_chain()
    outcome: dict[str, Any] = {
        "checked": checked,
        "intact": broken is None,
        "broken_event_id": broken.event_id if broken else None,
        "reason": broken.reason if broken else "",
    }
    record_event(actor=None, action="audit.verify", object_type="core.auditchainhead", object_id=1, new=outcome)
    if broken is not None:
        log.error("audit chain broken at event %s: %s", broken.event_id, broken.reason)
    return outcome


def audit_verify_enqueue(*, actor: Staff | None) -> TaskResult[Any, Any] | None:
    """Queue a chain check once the caller's transaction commits. Only the platform operator: the chain spans
    every org. Returns the task result when it was queued at once (no transaction open), else None."""
    if actor is not None and not (actor.is_active and actor.is_superuser):
        raise PermissionDenied(_("只有平台管理员可以校验整个审计链。"), detail={"permission": "audit.verify"})
    queued: list[TaskResult[Any, Any]] = []
    transaction.on_commit(lambda: queued.append(audit_verify_task.enqueue()))
    return queued[0] if queued else None
