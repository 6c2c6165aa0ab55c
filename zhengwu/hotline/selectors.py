"""Reads of the hotline: queues, inboxes, caller history, duplicates, overdue and warning lists (derived here)."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Count, Q, QuerySet

from zhengwu.core import clock
from zhengwu.core.models import AuditEvent
from zhengwu.hotline import policies as hp
from zhengwu.hotline.models import Card, Dispatch, ExtensionRequest, ExtensionStatus, KnowledgeArticle, Ticket
from zhengwu.hotline.states import AT_DISPATCHER, AT_UNIT, TicketStatus
from zhengwu.orgs import policies
from zhengwu.orgs.models import Org
from zhengwu.workdays import add_workdays

if TYPE_CHECKING:
    from zhengwu.orgs.models import Staff

DUPLICATE_WINDOW_DAYS = 30  # calendar days: "the same matter in the last 30 days"
DUPLICATE_THRESHOLD = 0.35
WARNING_WORKDAYS = 1  # a ticket at a unit is in the warning band from one workday before its due date
WARNING_HOURS = 1


# --- Duplicates -----------------------------------------------------------------------------------------------
def _bigrams(text: str) -> set[str]:
    chars = [c for c in text if not c.isspace() and c not in "，。、；：！？,.;:!?（）()“”\"'"]
    return {a + b for a, b in itertools.pairwise(chars)}


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of character bigrams: enough to tell "the same matter again" in Chinese text."""
    x, y = _bigrams(a), _bigrams(b)
    if not x or not y:
        return 0.0
    return len(x & y) / len(x | y)


@dataclass(frozen=True)
class DuplicateCandidate:
    ticket_id: int
    ref: str
    created_at: dt.datetime
    status: str
    status_label: str
    content: str
    score: float


def _status_label(status: str) -> str:
    # TicketStatus(…).label, not get_status_display(): that one hashes every choice's lazy label on each call.
    return str(TicketStatus(status).label) if status in TicketStatus.values else status


_RECENT_SQL = (
    'SELECT "id", "ref", "created_at", "status", "content", "kind" FROM "hotline_ticket" '
    'WHERE "org_id" = %s AND "caller_phone" = %s AND "created_at" >= %s ORDER BY "created_at" DESC LIMIT 50'
)


def _recent_of_caller(org: Org, caller_phone: str, since: dt.datetime) -> list[tuple[Any, ...]]:
    """(id, ref, created_at, status, content, kind) of the caller's newest 50 tickets since `since`. On PostgreSQL a
    fixed statement (every intake runs it: building it through the ORM cost more than running it); elsewhere the
    ORM, which also turns SQLite's stored text back into datetimes."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_RECENT_SQL, [org.pk, caller_phone, since])
            return cursor.fetchall()
    return list(
        Ticket.objects.filter(org=org, caller_phone=caller_phone, created_at__gte=since)
        .order_by("-created_at")
        .values_list("id", "ref", "created_at", "status", "content", "kind")[:50]
    )


def duplicate_candidates(
    *, org: Org, caller_phone: str, content: str, kind: str = "", now: dt.datetime | None = None
) -> list[DuplicateCandidate]:
    """The caller's tickets of the last 30 days at this hotline that look like the same matter, closest first."""
    if not caller_phone:
        return []
    now = now or clock.now()
    since = now - dt.timedelta(days=DUPLICATE_WINDOW_DAYS)
    found = []
    for t_id, t_ref, t_created_at, t_status, t_content, t_kind in _recent_of_caller(org, caller_phone, since):
        score = similarity(content, t_content)
        if kind and t_kind == kind:
            score += 0.1
        if score >= DUPLICATE_THRESHOLD:
            found.append(
                DuplicateCandidate(
                    t_id, t_ref, t_created_at, t_status, _status_label(t_status), t_content[:120], round(score, 3)
                )
            )
    return sorted(found, key=lambda d: -d.score)


def caller_history(*, actor: Staff | None, org: Org, caller_phone: str, limit: int = 20) -> QuerySet[Ticket]:
    """Every earlier ticket of this number at the hotline (the operator sees it while the caller speaks)."""
    if len(caller_phone) < 5:
        return Ticket.objects.none()
    return (
        Ticket.objects.filter(policies.org_q(actor, hp.OPERATE), org=org, caller_phone=caller_phone)
        .select_related("lead_unit")
        .order_by("-created_at")[:limit]
    )


# --- Visibility -----------------------------------------------------------------------------------------------
def tickets_visible(actor: Staff | None) -> QuerySet[Ticket]:
    return Ticket.objects.filter(hp.ticket_visible_q(actor))


def ticket_get_for_actor(
    actor: Staff | None, *, org: Org | None = None, ref: str = "", pk: int | None = None
) -> Ticket | None:
    qs = tickets_visible(actor).select_related("org", "lead_unit", "article")
    if pk is not None:
        return qs.filter(pk=pk).first()
    return qs.filter(org=org, ref=ref).first()


def ticket_by_query_code(code: str) -> Ticket | None:
    if not code:
        return None
    return Ticket.objects.select_related("org", "lead_unit").filter(query_code=code).first()


def orgs_operated(actor: Staff | None) -> QuerySet[Org]:
    """Hotlines (orgs) where the actor may register tickets."""
    return Org.objects.filter(policies.org_q(actor, hp.OPERATE, field=""), is_active=True)


def units_for_dispatch(ticket_org: Org) -> QuerySet[Org]:
    """The orgs a ticket of `ticket_org` may be dispatched to: its subtree below it."""
    return Org.objects.filter(path__startswith=ticket_org.path, is_active=True).exclude(pk=ticket_org.pk)


# --- Queues and inboxes ---------------------------------------------------------------------------------------
def dispatcher_queue(actor: Staff | None) -> QuerySet[Ticket]:
    """Tickets waiting for the dispatcher: new, returned, and replied/called back (callback and conclusion)."""
    return (
        Ticket.objects.filter(policies.org_q(actor, hp.OPERATE))
        .filter(status__in=[*AT_DISPATCHER, TicketStatus.REPLIED, TicketStatus.CALLED_BACK])
        .select_related("org", "lead_unit")
        .order_by("status", "due_on", "created_at")
    )


def unit_inbox(actor: Staff | None) -> QuerySet[Dispatch]:
    """The actor's units' active dispatches of tickets still at a unit, due date first."""
    return (
        Dispatch.objects.filter(policies.org_q(actor, hp.HANDLE, field="unit"), active=True)
        .filter(ticket__status__in=AT_UNIT)
        .select_related("ticket", "unit", "ticket__org")
        .order_by("ticket__due_on", "ticket__created_at")
    )


def pending_extensions(actor: Staff | None) -> QuerySet[ExtensionRequest]:
    return (
        ExtensionRequest.objects.filter(policies.org_q(actor, hp.OPERATE, field="ticket__org"))
        .filter(status=ExtensionStatus.PENDING)
        .select_related("ticket", "unit")
    )


# --- Clock states (derived, never stored: STYLE rule 4) -------------------------------------------------------
def overdue_q(now: dt.datetime | None = None) -> Q:
    now = now or clock.now()
    today = clock.local(now).date()
    return Q(status__in=AT_UNIT) & (Q(due_at__isnull=True, due_on__lt=today) | Q(due_at__isnull=False, due_at__lt=now))


def warning_q(now: dt.datetime | None = None) -> Q:
    now = now or clock.now()
    today = clock.local(now).date()
    soon = add_workdays(today, WARNING_WORKDAYS)
    return (
        Q(status__in=AT_UNIT)
        & ~overdue_q(now)
        & (
            Q(due_at__isnull=True, due_on__lte=soon)
            | Q(due_at__isnull=False, due_at__lte=now + dt.timedelta(hours=WARNING_HOURS))
        )
    )


def supervised(actor: Staff | None) -> QuerySet[Ticket]:
    """Tickets a supervisor watches: received by the hotlines in their scope."""
    return Ticket.objects.filter(policies.org_q(actor, hp.SUPERVISE))


def tickets_overdue(actor: Staff | None, now: dt.datetime | None = None) -> QuerySet[Ticket]:
    return supervised(actor).filter(overdue_q(now)).select_related("lead_unit", "org").order_by("due_on")


def tickets_warning(actor: Staff | None, now: dt.datetime | None = None) -> QuerySet[Ticket]:
    return supervised(actor).filter(warning_q(now)).select_related("lead_unit", "org").order_by("due_on")


def overdue_by_unit(actor: Staff | None, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Per handling unit: open tickets, overdue and in warning — one grouped query."""
    now = now or clock.now()
    rows = (
        supervised(actor)
        .filter(status__in=AT_UNIT, lead_unit__isnull=False)
        .values("lead_unit_id", "lead_unit__name")
        .annotate(
            open=Count("id"), overdue=Count("id", filter=overdue_q(now)), warning=Count("id", filter=warning_q(now))
        )
        .order_by("-overdue", "-warning", "lead_unit__name")
    )
    return [dict(r) for r in rows]


def cards_visible(actor: Staff | None) -> QuerySet[Card]:
    return (
        Card.objects.filter(policies.org_q(actor, hp.SUPERVISE) | policies.org_q(actor, hp.HANDLE, field="unit"))
        .select_related("unit", "org")
        .order_by("-month", "unit__name")
    )


# --- Knowledge base -------------------------------------------------------------------------------------------
def knowledge_search(*, org: Org, query: str, limit: int = 8) -> QuerySet[KnowledgeArticle]:
    """Active articles of the hotline's org or any org above it whose title, keywords or answer match."""
    qs = KnowledgeArticle.objects.filter(org_id__in=org.ancestor_ids(), is_active=True)
    terms = [t for t in query.replace("，", " ").split() if t][:5]
    for term in terms:
        qs = qs.filter(Q(title__icontains=term) | Q(keywords__icontains=term) | Q(answer__icontains=term))
    return qs.order_by("-use_count", "title")[:limit]


# --- Timeline -------------------------------------------------------------------------------------------------
def ticket_timeline(ticket: Ticket) -> QuerySet[AuditEvent]:
    """The ticket's events from the audit trail, oldest first."""
    return AuditEvent.objects.filter(object_type="hotline.ticket", object_id=str(ticket.pk)).order_by("id")


# --- Configuration ----------------------------------------------------------------------------------------------
def orgs_configured(actor: Staff | None) -> list[Org]:
    """The hotlines the actor configures: the orgs of their grants that carry `hotline.configure` (the platform
    operator: the top-level orgs). Orgs below them are reached with ?org= and checked by the services."""
    if actor is None or (actor.is_active and actor.is_superuser):
        return list(Org.objects.filter(parent__isnull=True, is_active=True).order_by("path")[:50])
    roles = policies.roles_for(hp.CONFIGURE)
    ids = [g.org_id for g in policies.grants(actor) if g.role in roles]
    return list(Org.objects.filter(pk__in=ids, is_active=True).order_by("path"))


def org_configurable(actor: Staff | None, pk: Any) -> Org | None:
    """An org the actor may configure, by id (None when unknown or out of their scope)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return Org.objects.filter(policies.org_q(actor, hp.CONFIGURE, field=""), pk=pk, is_active=True).first()


@dataclass(frozen=True)
class RuleRow:
    kind: str
    kind_label: str
    urgency: str
    urgency_label: str
    limit: int
    unit: str
    unit_label: str
    source: str  # "own", "inherited", "default"
    source_org: str  # the name of the org whose rule applies ("" for the default)


def handling_rule_table(org: Org) -> list[RuleRow]:
    """Every kind × urgency with the limit that applies at `org` and where it comes from (two queries)."""
    from zhengwu.hotline.models import HandlingRule, LimitUnit, TicketKind, Urgency
    from zhengwu.hotline.services.limits import DEFAULT_LIMITS

    ids = org.ancestor_ids()
    names = dict(Org.objects.filter(pk__in=ids).values_list("pk", "name"))
    rules: dict[tuple[str, str], dict[int, tuple[int, str]]] = {}
    for r in HandlingRule.objects.filter(org_id__in=ids).only("org_id", "kind", "urgency", "limit", "unit"):
        rules.setdefault((r.kind, r.urgency), {})[r.org_id] = (r.limit, r.unit)
    rows = []
    for kind in TicketKind:
        for urgency in Urgency:
            found = rules.get((kind.value, urgency.value), {})
            holder = next((i for i in reversed(ids) if i in found), None)
            if holder is None:
                limit, unit = DEFAULT_LIMITS[(kind.value, urgency.value)]
                source, source_org = "default", ""
            else:
                limit, unit = found[holder]
                source = "own" if holder == org.pk else "inherited"
                source_org = names.get(holder, "")
            rows.append(
                RuleRow(
                    kind.value,
                    str(kind.label),
                    urgency.value,
                    str(urgency.label),
                    limit,
                    unit,
                    str(LimitUnit(unit).label),
                    source,
                    source_org,
                )
            )
    return rows
