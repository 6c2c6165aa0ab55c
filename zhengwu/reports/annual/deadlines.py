"""Deadline watch (条例第四十九条): departments publish by 31 January, governments by 31 March."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from zhengwu.core import clock
from zhengwu.orgs.models import Org, OrgKind
from zhengwu.reports.models import AnnualReportVersion, VersionStatus

REPORTING_KINDS = (OrgKind.GOVERNMENT, OrgKind.DEPARTMENT)


def due_date(kind: str, year: int) -> dt.date:
    """The last day to publish the report on `year`."""
    return dt.date(year + 1, 3, 31) if kind == OrgKind.GOVERNMENT else dt.date(year + 1, 1, 31)


@dataclass(frozen=True)
class DeadlineRow:
    org: Org
    due_on: dt.date
    published: bool
    overdue: bool


def annual_report_deadlines(*, root: Org, year: int, today: dt.date | None = None) -> list[DeadlineRow]:
    """Every government and department in root's subtree, whether it has published its report on `year`."""
    today = today or clock.today()
    published = AnnualReportVersion.objects.filter(
        report__org=OuterRef("pk"), report__year=year, status=VersionStatus.PUBLISHED
    )
    orgs = (
        Org.objects.filter(path__startswith=root.path, is_active=True, kind__in=REPORTING_KINDS)
        .annotate(has_published=Exists(published))
        .order_by("path")
    )
    rows = []
    for org in orgs:  # one row per org for display; the aggregate work is the single query above
        due = due_date(org.kind, year)
        has = bool(org.has_published)
        rows.append(DeadlineRow(org=org, due_on=due, published=has, overdue=not has and today > due))
    return rows
