"""Yellow and red cards (黄牌/红牌): applying a hotline's card rules to one month, idempotently."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from zhengwu.core import clock
from zhengwu.core.audit import record_event
from zhengwu.core.errors import InvalidInput
from zhengwu.hotline import policies as hp
from zhengwu.hotline.models import Card, CardColor, CardRule, Ticket
from zhengwu.hotline.states import AT_UNIT
from zhengwu.orgs import policies
from zhengwu.orgs.models import Org

if TYPE_CHECKING:
    from zhengwu.orgs.models import Staff


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    return first, nxt - dt.timedelta(days=1)


def quarter_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    first = dt.date(month.year, 3 * ((month.month - 1) // 3) + 1, 1)
    return first, month_bounds(dt.date(first.year, first.month + 2, 1))[1]


def rule_of(org: Org) -> CardRule:
    """The org's card rule, or the defaults (3 overdue in a month → yellow; 2nd yellow in a quarter → red)."""
    return CardRule.objects.filter(org=org).first() or CardRule(org=org)


def overdue_in_month(*, org: Org, month: dt.date, now: dt.datetime | None = None) -> dict[int, list[str]]:
    """unit id → refs of the org's tickets due in `month` whose lead unit replied late or has not replied."""
    now = now or clock.now()
    today = clock.local(now).date()
    first, last = month_bounds(month)
    late = (
        Q(due_at__isnull=True)
        & (Q(replied_day__gt=F("due_on")) | Q(replied_at__isnull=True, status__in=AT_UNIT, due_on__lt=today))
    ) | (
        Q(due_at__isnull=False)
        & (Q(replied_at__gt=F("due_at")) | Q(replied_at__isnull=True, status__in=AT_UNIT, due_at__lt=now))
    )
    rows = (
        Ticket.objects.filter(org=org, lead_unit__isnull=False, due_on__gte=first, due_on__lte=last)
        .annotate(replied_day=TruncDate("replied_at", tzinfo=clock.SHANGHAI))
        .filter(late)
        .values_list("lead_unit_id", "ref")
        .order_by("lead_unit_id", "ref")
    )
    out: dict[int, list[str]] = {}
    for unit_id, ref in rows:
        out.setdefault(unit_id, []).append(ref)
    return out


def cards_evaluate(*, actor: Staff | None, org: Org, month: dt.date) -> list[Card]:
    """Issue the cards the rules call for in `month` (a first day of a month); running it again issues none."""
    policies.require(actor, hp.SUPERVISE, org)
    first, _last = month_bounds(month)
    if first > clock.today():
        raise InvalidInput(_("不能对未来的月份亮牌。"), detail={"month": ["future"]})
    rule = rule_of(org)
    rule_text = _("当月超时 ≥ %(n)s 件亮黄牌；同一季度第 %(m)s 张黄牌亮红牌") % {
        "n": rule.overdue_per_month,
        "m": rule.yellows_per_quarter,
    }
    issued: list[Card] = []
    now = clock.now()
    with transaction.atomic():
        overdue = overdue_in_month(org=org, month=first, now=now)
        existing = set(Card.objects.filter(org=org, month=first).values_list("unit_id", "color"))
        units = Org.objects.in_bulk(list(overdue))
        for unit_id, refs in sorted(overdue.items()):
            if len(refs) < rule.overdue_per_month or (unit_id, CardColor.YELLOW) in existing:
                continue
            record = _("%(y)s年%(m)s月超时工单 %(n)s 件：%(refs)s") % {
                "y": first.year,
                "m": first.month,
                "n": len(refs),
                "refs": "、".join(refs[:50]),
            }
            issued.append(
                _issue(org, units[unit_id], CardColor.YELLOW, first, len(refs), rule_text, record, actor, now)
            )
        yellows = (
            Card.objects.filter(org=org, color=CardColor.YELLOW, month__range=quarter_bounds(first))
            .values("unit_id")
            .annotate(n=Count("id"))
        )
        for row in yellows:
            if row["n"] < rule.yellows_per_quarter or (row["unit_id"], CardColor.RED) in existing:
                continue
            if Card.objects.filter(
                org=org, unit_id=row["unit_id"], color=CardColor.RED, month__range=quarter_bounds(first)
            ).exists():
                continue  # one red card per unit per quarter
            unit = Org.objects.get(pk=row["unit_id"])
            record = _("本季度第 %(n)s 张黄牌") % {"n": row["n"]}
            issued.append(
                _issue(org, unit, CardColor.RED, first, len(overdue.get(unit.pk, [])), rule_text, record, actor, now)
            )
    return issued


def _issue(
    org: Org,
    unit: Org,
    color: str,
    month: dt.date,
    count: int,
    rule: str,
    record: str,
    actor: Staff | None,
    now: dt.datetime,
) -> Card:
    card = Card.objects.create(
        org=org,
        unit=unit,
        color=color,
        month=month,
        overdue_count=count,
        rule=rule[:200],
        record=record,
        issued_at=now,
        issued_by=actor,
    )
    record_event(
        actor=actor,
        action=f"hotline.card.{color}",
        obj=card,
        org=org,
        new={"unit": unit.code, "month": month, "overdue": count},
        reason=record,
    )
    return card
