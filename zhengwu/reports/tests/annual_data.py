"""Crafted data for the annual report tests: a county government with two departments, figures computed by hand.

Tests may write other apps' models directly; the reports code only reads them.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from zhengwu.cases.models import Case
from zhengwu.cases.states import CaseStatus, Decision
from zhengwu.cases.states import Channel as CaseChannel
from zhengwu.catalog.models import Category
from zhengwu.catalog.tests.factories import make_item
from zhengwu.core.clock import SHANGHAI
from zhengwu.disclosure.models import (
    Clarification,
    Column,
    DisclosureRequest,
    Dispute,
    Enforcement,
    FeeNotice,
    Publication,
)
from zhengwu.disclosure.states import (
    ApplicantKind,
    Channel,
    DisputeKind,
    DisputeResult,
    DocType,
    EnforcementKind,
    FeeMethod,
    Outcome,
    PublicationStatus,
    RequestStatus,
)
from zhengwu.orgs.models import Org
from zhengwu.orgs.tests.factories import make_county

YEAR = 2025
_seq = itertools.count(1)
d = dt.date.fromisoformat


def req(
    org: Org,
    kind: str,
    received: str | None,
    replied: str | None = None,
    outcome: str = "",
    status: str | None = None,
    **extra: Any,
) -> DisclosureRequest:
    if status is None:
        status = RequestStatus.REPLIED if replied else RequestStatus.PROCESSING
    return DisclosureRequest.objects.create(
        org=org,
        ref=f"R{next(_seq):05d}",
        status=status,
        applicant_kind=kind,
        applicant_name="申请人",
        channel=Channel.IN_PERSON,
        subject="申请公开的信息",
        received_on=d(received) if received else None,
        replied_on=d(replied) if replied else None,
        outcome=outcome,
        **extra,
    )


# The 21 outcome codes, each answered once in the year, applicants cycling through the six columns.
OUTCOME_KIND = {code: ApplicantKind.values[i % 6] for i, code in enumerate(Outcome.values)}


def seed_requests(county: dict[str, Org], other_county: dict[str, Org]) -> None:
    gov, dept, dept2 = county["gov"], county["dept"], county["dept2"]
    NP, ENT, RES, LS = (
        ApplicantKind.NATURAL_PERSON,
        ApplicantKind.ENTERPRISE,
        ApplicantKind.RESEARCH,
        ApplicantKind.LEGAL_SERVICE,
    )
    # Carried in from 2024 and answered in January: carried_in and `open`.
    req(gov, NP, "2024-12-20", "2025-01-10", Outcome.OPEN)
    # Answered in 2024: not in the 2025 report at all.
    req(dept, ENT, "2024-11-01", "2024-12-01", Outcome.PARTIAL)
    # Carried in and still open at the end of 2025: carried in and carried out.
    req(dept, NP, "2024-12-30")
    for code, kind in OUTCOME_KIND.items():
        r = req(dept2, kind, "2025-03-10", "2025-04-20", code)
        if code == Outcome.PARTIAL:
            # A clarification continues the same request: it never counts as a new one.
            Clarification.objects.create(request=r, sent_on=d("2025-03-12"), deadline=d("2025-03-20"))
        if code == Outcome.OPEN:
            FeeNotice.objects.create(
                request=r,
                method=FeeMethod.PER_REQUEST,
                basis=11,
                amount=Decimal("100.00"),
                issued_on=d("2025-03-15"),
                pay_by=d("2025-04-10"),
                paid_on=d("2025-03-20"),
            )
        if code == Outcome.UNAVAILABLE_NOT_HELD:
            FeeNotice.objects.create(
                request=r,
                method=FeeMethod.PER_VOLUME,
                basis=50,
                amount=Decimal("200.00"),
                issued_on=d("2025-03-15"),
                pay_by=d("2025-04-10"),
                waived_on=d("2025-03-18"),
                waived_reason="困难群众",
            )
    # Received in December, answered in January 2026: new and carried out.
    req(gov, RES, "2025-12-28", "2026-01-05", Outcome.OPEN)
    # Received in December and still open: new and carried out.
    req(dept, LS, "2025-12-29")
    # Transferred from dept to dept2: only dept2 counts it, once.
    first = req(dept, ENT, "2025-03-01", status=RequestStatus.TRANSFERRED)
    req(dept2, ENT, "2025-03-03", "2025-03-20", Outcome.OPEN, transferred_from=first)
    # An online request not yet confirmed has no receipt date: not received, not counted.
    req(dept, NP, None, status=RequestStatus.SUBMITTED)
    # Next year's request and another county's request: not counted.
    req(dept, NP, "2026-01-02")
    req(other_county["gov"], NP, "2025-05-01", "2025-05-10", Outcome.OPEN)


def seed_disputes(county: dict[str, Org]) -> None:
    gov, dept, dept2 = county["gov"], county["dept"], county["dept2"]
    R, LD, LA = DisputeKind.RECONSIDERATION, DisputeKind.LITIGATION_DIRECT, DisputeKind.LITIGATION_AFTER_RECONSIDERATION

    def dispute(org: Org, kind: str, filed: str, decided: str | None = None, result: str = "") -> None:
        Dispute.objects.create(
            org=org,
            ref=f"D{next(_seq):05d}",
            kind=kind,
            filed_on=d(filed),
            decided_on=d(decided) if decided else None,
            result=result,
        )

    dispute(dept, R, "2025-03-01", "2025-05-01", DisputeResult.UPHELD)
    dispute(dept, R, "2025-06-01", "2025-08-01", DisputeResult.CORRECTED)
    # Decided after the year end: still pending on 31 Dec.
    dispute(gov, R, "2025-11-20", "2026-01-15", DisputeResult.UPHELD)
    dispute(dept2, LD, "2025-04-01")
    dispute(dept2, LD, "2025-02-01", "2025-09-01", DisputeResult.OTHER)
    dispute(gov, LA, "2025-07-01", "2025-10-01", DisputeResult.CORRECTED)
    # Filed in 2024: belongs to the 2024 report.
    dispute(dept, R, "2024-12-01", "2025-02-01", DisputeResult.UPHELD)


def seed_publications(county: dict[str, Org]) -> None:
    gov, dept, dept2 = county["gov"], county["dept"], county["dept2"]
    columns = {org.pk: Column.objects.create(org=org, code="zc", name="政策文件") for org in (gov, dept, dept2)}

    def pub(org: Org, doc_type: str, published: str | None, repealed: str | None = None) -> None:
        n = next(_seq)
        status = (
            PublicationStatus.REPEALED
            if repealed
            else PublicationStatus.PUBLISHED
            if published
            else PublicationStatus.DRAFT
        )
        Publication.objects.create(
            org=org,
            ref=f"P{n:05d}",
            index_no=f"IDX-{n:05d}",
            title=f"文件{n}",
            doc_type=doc_type,
            column=columns[org.pk],
            status=status,
            formed_on=d(published) if published else d("2025-01-01"),
            published_on=d(published) if published else None,
            repealed_on=d(repealed) if repealed else None,
        )

    REG, NORM = DocType.REGULATION, DocType.NORMATIVE_DOCUMENT
    pub(gov, REG, "2025-03-01")
    pub(dept, NORM, "2023-05-01", "2025-06-30")  # repealed in the year
    pub(dept, NORM, "2024-01-01")  # in force
    pub(dept2, NORM, "2025-02-01")  # issued, in force
    pub(dept2, NORM, "2025-12-01", "2026-02-01")  # issued; repealed only after the year end: in force on 31 Dec
    pub(gov, NORM, "2020-01-01", "2024-06-01")  # repealed before the year
    pub(gov, DocType.OTHER, "2025-05-01")  # not a normative document
    pub(dept, NORM, None)  # a draft


def seed_enforcement(county: dict[str, Org]) -> None:
    dept = county["dept"]
    for kind, day in [
        (EnforcementKind.PUNISHMENT, "2025-02-01"),
        (EnforcementKind.PUNISHMENT, "2025-12-31"),
        (EnforcementKind.COERCION, "2025-07-01"),
        (EnforcementKind.PUNISHMENT, "2024-12-31"),
    ]:
        Enforcement.objects.create(org=dept, ref=f"E{next(_seq):05d}", kind=kind, decided_on=d(day))


def seed_cases(county: dict[str, Org]) -> None:
    dept, dept2 = county["dept"], county["dept2"]
    licensing = make_item(org=dept, category=Category.LICENSING)
    confirmation = make_item(org=dept2, category=Category.CONFIRMATION)

    def case(item: Any, concluded: dt.datetime | None, decision: str = "", fee: str = "0") -> None:
        accepted = dt.datetime(2025, 1, 2, 9, tzinfo=SHANGHAI)
        Case.objects.create(
            org=item.org,
            ref=f"C{next(_seq):05d}",
            item=item,
            item_version=item.current,
            status=CaseStatus.CONCLUDED if concluded else CaseStatus.ACCEPTED,
            channel=CaseChannel.WINDOW,
            applicant_name="办事人",
            submitted_at=accepted,
            accepted_at=accepted,
            due_on=d("2025-01-20"),
            promised_limit_days=10,
            concluded_at=concluded,
            decision=decision,
            fee_yuan=Decimal(fee),
        )

    case(licensing, dt.datetime(2025, 3, 1, 10, tzinfo=SHANGHAI), Decision.APPROVED, "120.50")
    # 23:30 on New Year's Eve in the county (15:30 UTC): in the year.
    case(licensing, dt.datetime(2025, 12, 31, 23, 30, tzinfo=SHANGHAI), Decision.DENIED)
    # 00:30 on 1 January in the county, still 31 December in UTC: next year.
    case(licensing, dt.datetime(2026, 1, 1, 0, 30, tzinfo=SHANGHAI), Decision.APPROVED, "1000")
    # Not a licensing item: its fee counts, its decision does not.
    case(confirmation, dt.datetime(2025, 6, 1, 10, tzinfo=SHANGHAI), Decision.APPROVED, "79.50")
    # Still being handled.
    case(licensing, None)


def seed_all() -> tuple[dict[str, Org], dict[str, Org]]:
    county = make_county("甲县")
    other = make_county("乙县")
    seed_requests(county, other)
    seed_disputes(county)
    seed_publications(county)
    seed_enforcement(county)
    seed_cases(county)
    return county, other
