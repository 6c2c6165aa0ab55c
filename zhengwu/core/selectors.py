"""Reads of the audit trail for people: scoped by `audit.view`, newest first, paged by id (no COUNT over the trail)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.apps import apps
from django.core.exceptions import ValidationError
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


LABEL_LENGTH = 60


def audit_object_labels(events: list[AuditEvent]) -> dict[tuple[str, str], str]:
    """What each event's object is, for people: "办件 QL2025… 营业执照" instead of `cases.case#123`.

    One query per object type on the page. An object that no longer exists (or whose type is not a model) is named by
    its type's verbose name and its id, so the trail stays readable after a deletion.
    """
    ids_by_type: dict[str, set[str]] = {}
    for event in events:
        ids_by_type.setdefault(event.object_type, set()).add(event.object_id)
    labels: dict[tuple[str, str], str] = {}
    for object_type, ids in ids_by_type.items():
        try:
            model = apps.get_model(object_type)
        except (LookupError, ValueError):
            continue
        name = str(model._meta.verbose_name)
        pk_field = model._meta.pk
        assert pk_field is not None
        wanted = {}
        for raw in ids:
            try:
                wanted[pk_field.to_python(raw)] = raw
            except ValidationError:  # an id of another shape names no row of this model
                continue
        found = model._default_manager.in_bulk(list(wanted)) if wanted else {}
        for raw_key, raw in wanted.items():
            obj = found.get(raw_key)
            text = str(obj) if obj is not None else f"#{raw}"
            if len(text) > LABEL_LENGTH:
                text = text[: LABEL_LENGTH - 1] + "…"
            labels[(object_type, raw)] = f"{name} {text}"
    return labels
