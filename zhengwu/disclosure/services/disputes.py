"""Reconsiderations and lawsuits over disclosure decisions, and enforcement decisions for the annual report."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from zhengwu.core import clock as core_clock
from zhengwu.core.audit import record_event
from zhengwu.core.errors import Conflict, InvalidInput
from zhengwu.disclosure.models import DisclosureRequest, Dispute, Enforcement
from zhengwu.disclosure.states import DisputeKind, DisputeResult, EnforcementKind
from zhengwu.orgs import policies

if TYPE_CHECKING:
    from zhengwu.orgs.models import Org, Staff


def _next_ref(model: type[Dispute] | type[Enforcement], org: Org, prefix: str, year: int) -> str:
    head = f"{prefix}-{year}-"
    refs = model.objects.filter(org=org, ref__startswith=head).values_list("ref", flat=True)
    numbers = [int(r[len(head) :]) for r in refs if r[len(head) :].isdigit()]
    return f"{head}{max(numbers, default=0) + 1:04d}"


def dispute_file(
    *,
    actor: Staff | None,
    org: Org,
    kind: str,
    filed_on: dt.date,
    request: DisclosureRequest | None = None,
    ref: str = "",
    note: str = "",
) -> Dispute:
    policies.require(actor, "disclosure.handle", org)
    if kind not in DisputeKind.values:
        raise InvalidInput(_("未知的类型"), detail={"kind": ["invalid"]})
    if filed_on > core_clock.today():
        raise InvalidInput(_("日期不能晚于今天。"), detail={"filed_on": ["future"]})
    if request is not None and request.org_id != org.pk:
        raise InvalidInput(_("关联申请不属于该机关。"), detail={"request": ["other_org"]})
    with transaction.atomic():
        from zhengwu.orgs.models import Org as OrgModel

        OrgModel.objects.select_for_update().get(pk=org.pk)
        ref = ref.strip() or _next_ref(
            Dispute, org, "FY" if kind == DisputeKind.RECONSIDERATION else "SS", filed_on.year
        )
        if Dispute.objects.filter(org=org, ref=ref).exists():
            raise InvalidInput(_("编号已存在：%(r)s") % {"r": ref}, detail={"ref": ["duplicate"]})
        dispute = Dispute.objects.create(org=org, ref=ref, kind=kind, filed_on=filed_on, request=request, note=note)
        record_event(
            actor=actor,
            action="disclosure.dispute_file",
            obj=dispute,
            new={"ref": ref, "kind": kind, "filed_on": filed_on, "request": request.ref if request else None},
        )
    return dispute


def dispute_decide(*, actor: Staff | None, dispute: Dispute, decided_on: dt.date, result: str) -> Dispute:
    policies.require(actor, "disclosure.handle", dispute)
    if result not in DisputeResult.values:
        raise InvalidInput(_("未知的结果"), detail={"result": ["invalid"]})
    if decided_on < dispute.filed_on or decided_on > core_clock.today():
        raise InvalidInput(_("决定日期应在立案日期与今天之间。"), detail={"decided_on": ["out_of_range"]})
    with transaction.atomic():
        locked = Dispute.objects.select_for_update().get(pk=dispute.pk)
        if locked.decided_on is not None:
            raise Conflict(_("该案已有结果。"), code="already_decided")
        locked.decided_on, locked.result = decided_on, result
        locked.save(update_fields=["decided_on", "result", "updated_at"])
        record_event(
            actor=actor,
            action="disclosure.dispute_decide",
            obj=locked,
            new={"decided_on": decided_on, "result": result},
        )
    return locked


def enforcement_record(*, actor: Staff | None, org: Org, kind: str, decided_on: dt.date, ref: str) -> Enforcement:
    policies.require(actor, "disclosure.handle", org)
    if kind not in EnforcementKind.values:
        raise InvalidInput(_("未知的类型"), detail={"kind": ["invalid"]})
    with transaction.atomic():
        if Enforcement.objects.filter(org=org, ref=ref).exists():
            raise InvalidInput(_("编号已存在：%(r)s") % {"r": ref}, detail={"ref": ["duplicate"]})
        item = Enforcement.objects.create(org=org, ref=ref, kind=kind, decided_on=decided_on)
        record_event(actor=actor, action="disclosure.enforcement_record", obj=item, new={"kind": kind})
    return item
