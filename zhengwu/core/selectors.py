"""Reads of the audit trail for people: scoped by `audit.view`, newest first, paged by id (no COUNT over the trail)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from zhengwu.core.models import AuditEvent

if TYPE_CHECKING:
    from zhengwu.orgs.models import Staff

PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditFilter:
    object_type: str = ""
    object_id: str = ""
    action: str = ""  # a prefix: "org." finds org.create, org.move, org.update
    actor: str = ""  # the actor's username, exactly


@dataclass(frozen=True)
class AuditPage:
    events: list[AuditEvent]
    newer_than: int | None  # pass as `after` to read the page before this one (newer events)
    older_than: int | None  # pass as `before` to read the next page (older events)


def audit_events_for_actor(actor: Staff | None, filters: AuditFilter | None = None) -> QuerySet[AuditEvent]:
    """Events filed under orgs where the actor holds `audit.view`; events with no org only for the operator."""
    from zhengwu.orgs import policies

    qs = AuditEvent.objects.filter(policies.org_q(actor, "audit.view", field="org"))
    f = filters or AuditFilter()
    if f.object_type:
        qs = qs.filter(object_type=f.object_type.strip())
    if f.object_id:
        qs = qs.filter(object_id=f.object_id.strip())
    if f.action:
        qs = qs.filter(action__startswith=f.action.strip())
    if f.actor:
        qs = qs.filter(actor_label=f.actor.strip())
    return qs.select_related("org", "actor")


def audit_page_for_actor(
    actor: Staff | None,
    filters: AuditFilter | None = None,
    *,
    before: int | None = None,
    after: int | None = None,
    size: int = PAGE_SIZE,
) -> AuditPage:
    """One page, newest first. `before`: events older than that id; `after`: the page just newer than that id."""
    qs = audit_events_for_actor(actor, filters)
    if after is not None:
        rows = list(qs.filter(id__gt=after).order_by("id")[: size + 1])
        has_newer = len(rows) > size
        events = list(reversed(rows[:size]))
        has_older = qs.filter(id__lte=after).exists()
    else:
        if before is not None:
            qs = qs.filter(id__lt=before)
        rows = list(qs.order_by("-id")[: size + 1])
        has_older = len(rows) > size
        events = rows[:size]
        has_newer = before is not None and audit_events_for_actor(actor, filters).filter(id__gte=before).exists()
    return AuditPage(
        events=events,
        newer_than=events[0].id if events and has_newer else None,
        older_than=events[-1].id if events and has_older else None,
    )
