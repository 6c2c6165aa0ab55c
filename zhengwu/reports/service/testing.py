"""Test data for the service statistics: cases written with explicit timestamps, so every figure can be checked by hand.

The rows are made directly (not through the case services) because the tests need clock facts the services would
stamp with the current time: an acceptance at 11:50 on a make-up Saturday, a conclusion the day after a pause."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from zhengwu.cases.models import Case, Evaluation, Rectification
from zhengwu.cases.states import CaseStatus, Decision, Level, RectificationStatus
from zhengwu.cases.work_facts import evaluation_facts, fill_facts
from zhengwu.catalog.models import Mode, ServiceItem
from zhengwu.core.clock import SHANGHAI
from zhengwu.orgs.models import Org, Window
from zhengwu.workdays import Clock, Pause

_seq = itertools.count(1)


def at(day: str, time: str = "10:00") -> dt.datetime:
    """An Asia/Shanghai instant: at("2025-09-28", "11:50")."""
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=SHANGHAI)


def make_case(
    *,
    org: Org,
    item: ServiceItem,
    submitted: dt.datetime,
    accepted: dt.datetime | None = None,
    concluded: dt.datetime | None = None,
    rejected: dt.datetime | None = None,
    decision: str = Decision.APPROVED,
    channel: str = "window",
    visits: int = 1,
    on_site: bool = False,
    pause: tuple[str, str] | None = None,
    window: Window | None = None,
    evaluation: str | None = None,
    rectified: bool | None = None,
) -> Case:
    version = item.current
    assert version is not None
    status = CaseStatus.SUBMITTED
    fields: dict[str, Any] = {}
    if rejected is not None:
        status = CaseStatus.REJECTED
    elif accepted is not None:
        status = CaseStatus.CONCLUDED if concluded is not None else CaseStatus.ACCEPTED
        pauses = (Pause(dt.date.fromisoformat(pause[0]), dt.date.fromisoformat(pause[1])),) if pause else ()
        clock = Clock(start=accepted.astimezone(SHANGHAI).date(), limit=version.promised_limit_days, pauses=pauses)
        due = clock.due_on
        warn = Clock(start=accepted.astimezone(SHANGHAI).date(), limit=max(version.promised_limit_days - 2, 0)).due_on
        fields = {
            "due_on": due,
            "warn_on": min(warn, due),
            "statutory_limit_days": version.statutory_limit_days,
            "promised_limit_days": version.promised_limit_days,
            "mode": version.mode,
        }
    fields.update(submitted_at=submitted, accepted_at=accepted, concluded_at=concluded)
    # The stored facts as every bulk writer computes them (the services compute them one transition at a time).
    fill_facts([fields], org)
    fields.update(evaluation_facts(evaluation, bool(rectified)))
    case = Case.objects.create(
        org=org,
        item=item,
        item_version=version,
        window=window,
        ref=f"T{next(_seq):06d}",
        status=status,
        channel=channel,
        applicant_name="测试申请人",
        rejected_at=rejected,
        decision=decision if concluded is not None else "",
        visits=visits,
        on_site=on_site and concluded is not None,
        **fields,
    )
    if evaluation is not None:
        ev = Evaluation.objects.create(
            case=case, level=evaluation, channel="portal", submitted_at=concluded or submitted
        )
        if rectified is not None:
            Rectification.objects.create(
                evaluation=ev,
                org=org,
                status=RectificationStatus.CLOSED if rectified else RectificationStatus.OPEN,
                opened_on=(concluded or submitted).date(),
                due_on=(concluded or submitted).date() + dt.timedelta(days=10),
                closed_on=(concluded or submitted).date() if rectified else None,
            )
    return case


__all__ = ["Level", "Mode", "at", "make_case"]
