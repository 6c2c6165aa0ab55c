"""Reads of the disclosure domain: the officer's workbench, request pages, the public catalog and progress."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Max, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from zhengwu.core import clock as core_clock
from zhengwu.core.querycode import normalise_query_code
from zhengwu.disclosure.models import Column, DisclosureRequest, Dispute, Publication
from zhengwu.disclosure.services.clock import request_clock
from zhengwu.disclosure.states import OPEN, PublicationStatus, RequestStatus
from zhengwu.orgs import policies
from zhengwu.staff.tasks import TaskItem
from zhengwu.workdays import Clock, ClockState

if TYPE_CHECKING:
    from zhengwu.disclosure.search import CatalogResults
    from zhengwu.orgs.models import Org, Staff

_STEPS = ("clarifications", "consultations", "extensions", "fee_notices")


def request_list_for_staff(actor: Staff, *, permission: str = "disclosure.view") -> QuerySet[DisclosureRequest]:
    return policies.scope(actor, permission, DisclosureRequest.objects.select_related("org", "org__division"))


def request_get_for_staff(actor: Staff, pk: int) -> DisclosureRequest | None:
    return (
        request_list_for_staff(actor)
        .select_related("reply", "transferred_from", "transferred_from__org")
        .prefetch_related(*_STEPS, "documents", "disputes")
        .filter(pk=pk)
        .first()
    )


@dataclass(frozen=True)
class WorkbenchRow:
    request: DisclosureRequest
    clock: Clock | None
    state: ClockState | None
    waiting: str  # why the clock is not running: "" | clarifying | consulting | awaiting_fee | submitted
    waiting_until: dt.date | None


def workbench_rows(actor: Staff, *, today: dt.date | None = None, limit: int = 500) -> list[WorkbenchRow]:
    """Open requests the actor handles, by due date (computed from each request's Clock), earliest first."""
    today = today or core_clock.today()
    qs = (
        request_list_for_staff(actor, permission="disclosure.view")
        .filter(status__in=OPEN)
        .prefetch_related(*_STEPS)
        .order_by("due_on", "received_on", "id")[:limit]
    )
    rows = []
    for r in qs:
        clock = request_clock(r, today=today)
        until: dt.date | None = None
        if r.status == RequestStatus.CLARIFYING:
            pending = [c for c in r.clarifications.all() if c.received_on is None]
            until = pending[-1].deadline if pending else None
        elif r.status == RequestStatus.CONSULTING:
            pending_c = [c for c in r.consultations.all() if c.to_on is None]
            until = pending_c[-1].deadline if pending_c else None
        elif r.status == RequestStatus.AWAITING_FEE:
            pending_f = [f for f in r.fee_notices.all() if f.paid_on is None and f.waived_on is None]
            until = pending_f[-1].pay_by if pending_f else None
        waiting = "" if r.status == RequestStatus.PROCESSING else r.status
        if r.status == RequestStatus.CLARIFYING:
            # The reply limit will count again in full from the clarified request: until then only the
            # applicant's deadline matters, and the old due date must not show as overdue.
            clock = None
        state = clock.state(today) if clock is not None else None
        rows.append(WorkbenchRow(r, clock, state, waiting, until))
    far = dt.date.max
    rows.sort(key=lambda w: (w.clock.due_on if w.clock else (w.waiting_until or far), w.request.pk))
    return rows


def request_tasks_for(user: Any) -> list[TaskItem]:
    """The home page's task source: open requests the user handles, with their clock state."""
    if not getattr(user, "is_authenticated", False) or not policies.can_anywhere(user, "disclosure.handle"):
        return []
    items = []
    for row in workbench_rows(user, limit=50):
        if not policies.can(user, "disclosure.handle", row.request.org):
            continue
        items.append(
            TaskItem(
                title=_("依申请公开 %(ref)s：%(subject)s")
                % {"ref": row.request.ref, "subject": row.request.subject[:40]},
                url=reverse("staff_disclosure:request_detail", kwargs={"pk": row.request.pk}),
                due_on=row.clock.due_on if row.clock else row.waiting_until,
                kind=_("依申请公开"),
                state=row.state.value if row.state else "on_time",
            )
        )
    return items


def column_tasks_for(user: Any) -> list[TaskItem]:
    """The home page's task source for publishers: columns past their update interval (an overdue update)."""
    if not getattr(user, "is_authenticated", False) or not policies.can_anywhere(user, "disclosure.publish"):
        return []
    today = core_clock.today()
    return [
        TaskItem(
            title=_("栏目更新：%(org)s · %(column)s") % {"org": s.column.org.name, "column": s.column.name},
            url=reverse("staff_disclosure:publication_list"),
            due_on=s.due_on,
            kind=_("主动公开"),
            state="overdue" if s.due_on is None or s.due_on < today else "warning",
        )
        for s in columns_stale(user, today=today)[:20]
    ]


def request_by_query_code(raw: str) -> DisclosureRequest | None:
    code = normalise_query_code(raw)
    if not code:
        return None
    return (
        DisclosureRequest.objects.select_related("org", "org__division", "reply")
        .prefetch_related(*_STEPS, "documents")
        .filter(query_code=code)
        .first()
    )


def request_following(request: DisclosureRequest) -> DisclosureRequest:
    """Where a transferred request went (the end of the transfer chain)."""
    seen = 0
    while request.status == RequestStatus.TRANSFERRED and seen < 10:
        nxt = DisclosureRequest.objects.select_related("org").filter(transferred_from=request).first()
        if nxt is None:
            break
        request, seen = nxt, seen + 1
    return request


def dispute_list_for_staff(actor: Staff) -> QuerySet[Dispute]:
    return policies.scope(actor, "disclosure.view", Dispute.objects.select_related("org", "request"))


# --- publications ------------------------------------------------------------------------------------------------
def publication_list_for_staff(actor: Staff) -> QuerySet[Publication]:
    return policies.scope(actor, "disclosure.publish", Publication.objects.select_related("org", "column"))


def column_list_for_staff(actor: Staff) -> QuerySet[Column]:
    return policies.scope(actor, "disclosure.publish", Column.objects.select_related("org"))


@dataclass(frozen=True)
class StaleColumn:
    column: Column
    last_published_on: dt.date | None
    due_on: dt.date | None  # by when something should have been published


def columns_stale(actor: Staff, *, today: dt.date | None = None) -> list[StaleColumn]:
    """Columns whose newest publication is older than their update interval (or that have none)."""
    today = today or core_clock.today()
    cols = column_list_for_staff(actor).annotate(
        last=Max("publications__published_on", filter=Q(publications__status=PublicationStatus.PUBLISHED))
    )
    out = []
    for c in cols:
        last = c.last
        due = last + dt.timedelta(days=c.update_interval_days) if last else None
        if due is None or due < today:
            out.append(StaleColumn(c, last, due))
    return out


def catalog_publications(
    *, org: Org | None = None, column: Column | None = None, query: str = "", subtree: bool = False
) -> CatalogResults:
    """The public catalog: published (and repealed, marked) publications, newest first; with a query, the
    publications containing every word of it (jieba words, indexed in PublicationTerm), title matches first.
    `subtree` widens an org to the org and every org under it."""
    from zhengwu.disclosure.search import CatalogResults
    from zhengwu.orgs.models import Org

    qs = Publication.objects.select_related("org", "column").filter(
        status__in=[PublicationStatus.PUBLISHED, PublicationStatus.REPEALED]
    )
    org_ids: list[int] | None = None
    if org is not None:
        org_ids = (
            list(Org.objects.filter(path__startswith=org.path).values_list("id", flat=True)) if subtree else [org.pk]
        )
        qs = qs.filter(org_id__in=org_ids) if len(org_ids) > 1 else qs.filter(org_id=org.pk)
    if column is not None:
        qs = qs.filter(column=column)
    return CatalogResults(
        qs.defer("body", "body_text"),
        query=query.strip()[:100],
        org_ids=org_ids,
        column_id=column.pk if column is not None else None,
    )


def catalog_columns(org: Org) -> QuerySet[Column]:
    return Column.objects.filter(org=org).order_by("order", "code")


def catalog_publication(pk: int) -> Publication | None:
    return (
        Publication.objects.select_related("org", "column")
        .prefetch_related("attachments")
        .filter(pk=pk, status__in=[PublicationStatus.PUBLISHED, PublicationStatus.REPEALED])
        .first()
    )
