"""Reads of cases: the staff list by due date with its clock state derived in the query, supervision counts
grouped in the database, the applicant's lookup by query code, and a case's timeline from the audit trail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import BooleanField, CharField, Count, ExpressionWrapper, F, Q, QuerySet, Value, When
from django.db.models import Case as When_

from zhengwu.cases.models import Case, CorrectionOrder, OutboxMessage, Rectification
from zhengwu.cases.policies import case_q
from zhengwu.cases.states import OPEN_LIST, CaseStatus, OrderStatus, RectificationStatus
from zhengwu.core import clock
from zhengwu.core.models import AuditEvent
from zhengwu.core.querycode import normalise_query_code
from zhengwu.orgs import policies
from zhengwu.orgs.models import Org, Window

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


def supervision_counts(actor: Staff | None, *, org: Org | None = None) -> dict[str, list[dict[str, Any]]]:
    """Open cases by clock state per handling department and per intake window, from one grouped query: the open
    cases are counted per (department, window, status, due date passed, warning date reached) — a handful of groups
    — and the states are read off each group with the rules of `_state_q`; the totals are the sum of the department
    rows."""
    qs = cases_for_actor(actor, "cases.supervise").filter(status__in=OPEN_LIST)
    if org is not None:
        qs = qs.filter(org_id__in=Org.objects.filter(path__startswith=org.path).values("id"))
    today = clock.today()
    groups = (
        qs.annotate(
            due_passed=ExpressionWrapper(Q(due_on__lt=today), output_field=BooleanField()),
            warn_reached=ExpressionWrapper(Q(warn_on__lte=today), output_field=BooleanField()),
            warn_ahead=ExpressionWrapper(Q(warn_on__gt=today), output_field=BooleanField()),
        )
        .values("org_id", "window_id", "status", "due_passed", "warn_reached", "warn_ahead")
        .annotate(n=Count("*"))  # COUNT(*): answered from the covering index (case_open_supervision_idx)
        .order_by()
    )
    by_org_id: dict[int, dict[str, Any]] = {}
    by_window_id: dict[int, dict[str, Any]] = {}
    for g in groups:
        states = _group_states(g)
        targets = [by_org_id.setdefault(g["org_id"], {"org_id": g["org_id"], **_zero_counts()})]
        if g["window_id"] is not None:
            targets.append(by_window_id.setdefault(g["window_id"], _zero_counts()))
        for row in targets:
            row["total"] += g["n"]
            for state in states:
                row[state] += g["n"]
    names = {o.pk: o for o in Org.objects.filter(pk__in=list(by_org_id)).only("name", "code", "path")}
    by_org = list(by_org_id.values())
    for row in by_org:
        o = names[row["org_id"]]
        row.update({"org__name": o.name, "org__code": o.code, "path": o.path})
    by_org.sort(key=lambda r: r["path"])
    windows = {w.pk: w for w in Window.objects.filter(pk__in=list(by_window_id)).only("number", "name")}
    by_window = [
        {"window_id": pk, "window__number": windows[pk].number, "window__name": windows[pk].name, **counts}
        for pk, counts in by_window_id.items()
    ]
    by_window.sort(key=lambda r: (r["window__number"], r["window_id"]))
    totals = {key: sum(r[key] for r in by_org) for key in ("total", *STATES)}
    return {"by_org": by_org, "by_window": by_window, "totals": [totals]}


def _zero_counts() -> dict[str, int]:
    return {"total": 0, **dict.fromkeys(STATES, 0)}


def _group_states(g: Mapping[str, Any]) -> list[str]:
    """The states whose `_state_q` a group's cases match (each condition on its own, as the per-state counts were;
    a comparison with a missing date stays None, as in SQL)."""
    status = g["status"]
    if status in (CaseStatus.SUBMITTED, CaseStatus.CORRECTION):
        return ["pending"]
    if status == CaseStatus.PAUSED:
        return ["paused"]
    if status != CaseStatus.ACCEPTED:
        return []
    states = []
    if g["due_passed"] is True:
        states.append("overdue")
    if g["due_passed"] is False and g["warn_reached"] is True:
        states.append("warning")
    if g["warn_ahead"] is True:
        states.append("on_time")
    return states


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
