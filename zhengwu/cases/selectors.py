"""Reads of cases: the staff list by due date with its clock state derived in the query, supervision counts
grouped in the database, the applicant's lookup by query code, and a case's timeline from the audit trail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Case as When_
from django.db.models import CharField, Count, F, Q, QuerySet, Value, When

from zhengwu.cases.models import Case, CorrectionOrder, OutboxMessage, Rectification
from zhengwu.cases.policies import case_q
from zhengwu.cases.states import OPEN_LIST, CaseStatus, OrderStatus, RectificationStatus
from zhengwu.core import clock
from zhengwu.core.models import AuditEvent
from zhengwu.core.querycode import normalise_query_code
from zhengwu.orgs import policies
from zhengwu.orgs.models import Org

if TYPE_CHECKING:
    from zhengwu.orgs.models import Staff

PAGE_SIZE = 50
STATES = ("pending", "on_time", "warning", "overdue", "paused")


def clock_state_expr(today: dt.date) -> When_:
    """pending (not yet accepted) | paused | overdue | warning | on_time — from the stored dates, never stored."""
    return When_(
        When(status__in=[CaseStatus.SUBMITTED, CaseStatus.CORRECTION], then=Value("pending")),
        When(status=CaseStatus.PAUSED, then=Value("paused")),
        When(due_on__lt=today, then=Value("overdue")),
        When(warn_on__lte=today, then=Value("warning")),
        default=Value("on_time"),
        output_field=CharField(),
    )


def _state_q(state: str, today: dt.date) -> Q:
    accepted = Q(status=CaseStatus.ACCEPTED)
    return {
        "pending": Q(status__in=[CaseStatus.SUBMITTED, CaseStatus.CORRECTION]),
        "paused": Q(status=CaseStatus.PAUSED),
        "overdue": accepted & Q(due_on__lt=today),
        "warning": accepted & Q(due_on__gte=today, warn_on__lte=today),
        "on_time": accepted & Q(warn_on__gt=today),
    }[state]


def cases_for_actor(actor: Staff | None, permission: str = "cases.view") -> QuerySet[Case]:
    """Every case the actor may see: handled by their org, on their desk, or taken in at their center."""
    return Case.objects.filter(case_q(actor, permission))


@dataclass(frozen=True)
class CaseFilter:
    state: str = ""  # one of STATES
    status: str = ""  # a CaseStatus, or "open" (default) / "all"
    q: str = ""  # ref, query code or applicant name
    org: Org | None = None  # only this org's subtree (by handling org)


@dataclass(frozen=True)
class CasePage:
    cases: Sequence[Case]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def case_list_for_staff(
    actor: Staff | None, filters: CaseFilter | None = None, *, page: int = 1, size: int = PAGE_SIZE
) -> CasePage:
    """One page of the cases on the actor's desk (or taken in at their center), most urgent first (waiting for acceptance, then by due date), each
    with `clock_state`. One query: no COUNT over an org's 200,000 open cases — the page knows only if more follow."""
    f = filters or CaseFilter()
    today = clock.today()
    qs = Case.objects.filter(case_q(actor, "cases.view", desk_only=True))
    if f.status in ("", "open"):
        qs = qs.filter(status__in=OPEN_LIST)
    elif f.status != "all":
        qs = qs.filter(status=f.status)
    if f.state in STATES:
        qs = qs.filter(_state_q(f.state, today))
    if f.org is not None:
        qs = qs.filter(org_id__in=Org.objects.filter(path__startswith=f.org.path).values("id"))
    text = f.q.strip()[:50]
    if text:
        code = normalise_query_code(text)
        qs = qs.filter(
            Q(ref=text) | Q(applicant_name__startswith=text) | (Q(query_code=code) if code else Q(pk__in=[]))
        )
    qs = (
        qs.annotate(clock_state=clock_state_expr(today))
        .select_related("org", "item_version", "window")
        .order_by(F("due_on").asc(nulls_first=True), "submitted_at", "id")
    )
    page = max(1, page)
    rows = list(qs[(page - 1) * size : page * size + 1])
    return CasePage(cases=rows[:size], number=page, has_next=len(rows) > size)


def case_get_for_actor(actor: Staff | None, pk: int, permission: str = "cases.view") -> Case | None:
    return (
        cases_for_actor(actor, permission)
        .select_related("org", "org__division", "center", "window", "item", "item_version", "received_by")
        .filter(pk=pk)
        .first()
    )


def case_by_query_code(raw: str) -> Case | None:
    """The applicant's lookup: the normalised code, or None for anything that cannot be one."""
    code = normalise_query_code(raw)
    if not code:
        return None
    return Case.objects.select_related("org", "org__division", "item_version", "window").filter(query_code=code).first()


def case_timeline(case: Case) -> list[AuditEvent]:
    """What happened to the case, oldest first: its own events and those of its rectification and orders."""
    q = Q(object_type="cases.case", object_id=str(case.pk))
    rect_ids = [str(pk) for pk in Rectification.objects.filter(evaluation__case=case).values_list("pk", flat=True)]
    if rect_ids:
        q |= Q(object_type="cases.rectification", object_id__in=rect_ids)
    order_ids = [str(pk) for pk in CorrectionOrder.objects.filter(case=case).values_list("pk", flat=True)]
    if order_ids:
        q |= Q(object_type="cases.correctionorder", object_id__in=order_ids)
    return list(AuditEvent.objects.filter(q).select_related("actor").order_by("id"))


def _state_counts() -> dict[str, Any]:
    today = clock.today()
    return {state: Count("id", filter=_state_q(state, today)) for state in STATES}


def supervision_counts(actor: Staff | None, *, org: Org | None = None) -> dict[str, list[dict[str, Any]]]:
    """Open cases by clock state per handling department and per intake window: two grouped queries (an index-only
    scan of the open cases' clock facts); the totals are the sum of the department rows."""
    qs = cases_for_actor(actor, "cases.supervise").filter(status__in=OPEN_LIST)
    if org is not None:
        qs = qs.filter(org_id__in=Org.objects.filter(path__startswith=org.path).values("id"))
    counts = _state_counts()
    by_org: list[dict[str, Any]] = [dict(r) for r in qs.values("org_id").annotate(total=Count("id"), **counts)]
    names = {o.pk: o for o in Org.objects.filter(pk__in=[r["org_id"] for r in by_org]).only("name", "code", "path")}
    for row in by_org:
        o = names[row["org_id"]]
        row.update({"org__name": o.name, "org__code": o.code, "path": o.path})
    by_org.sort(key=lambda r: r["path"])
    by_window: list[dict[str, Any]] = [
        dict(r)
        for r in qs.filter(window__isnull=False)
        .values("window_id", "window__number", "window__name")
        .annotate(total=Count("id"), **counts)
        .order_by("window__number")
    ]
    totals = {key: sum(r[key] for r in by_org) for key in ("total", *STATES)}
    return {"by_org": by_org, "by_window": by_window, "totals": [totals]}


def cases_overdue(actor: Staff | None, *, org: Org | None = None, limit: int = 100) -> list[Case]:
    qs = cases_for_actor(actor, "cases.supervise").filter(_state_q("overdue", clock.today()))
    if org is not None:
        qs = qs.filter(org_id__in=Org.objects.filter(path__startswith=org.path).values("id"))
    return list(qs.select_related("org", "item_version", "window").order_by("due_on", "id")[:limit])


def rectifications_for_actor(actor: Staff | None, *, open_only: bool = True) -> QuerySet[Rectification]:
    qs = policies.scope(actor, "cases.rectify", Rectification.objects.all()) | policies.scope(
        actor, "cases.supervise", Rectification.objects.all()
    )
    if open_only:
        qs = qs.filter(status=RectificationStatus.OPEN)
    return qs.select_related("evaluation", "evaluation__case", "evaluation__case__item_version", "org").order_by(
        "due_on", "id"
    )


def orders_for_actor(actor: Staff | None, *, open_only: bool = True) -> QuerySet[CorrectionOrder]:
    qs = policies.scope(actor, "cases.respond", CorrectionOrder.objects.all()) | policies.scope(
        actor, "cases.supervise", CorrectionOrder.objects.all()
    )
    if open_only:
        qs = qs.filter(status=OrderStatus.OPEN)
    return qs.select_related("case", "case__item_version", "org").order_by("due_on", "id")


def outbox_for_actor(actor: Staff | None) -> QuerySet[OutboxMessage]:
    """Messages of the orgs the actor may view cases of, and of the cases their center took in."""
    q = policies.org_q(actor, "cases.view") | case_q(actor, "cases.view", prefix="case__")
    return OutboxMessage.objects.filter(q).select_related("case", "org")
