"""The hotline metrics of spec/service-metrics.md for one receiving org and period, computed in the database
(one grouped query per table). zhengwu.reports reads them from here, so a figure has one definition."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate

from zhengwu.core.clock import SHANGHAI
from zhengwu.hotline.models import SATISFIED_RESULTS, CallbackResult, Card, CardColor, Dispatch, Ticket
from zhengwu.hotline.states import TicketStatus
from zhengwu.orgs.models import Org


def _bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(first, dt.time(), tzinfo=SHANGHAI)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=SHANGHAI)
    return start, end


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 6) if whole else None


def _orgs_q(org: Org, subtree: bool, field: str = "org") -> Q:
    return Q(**{f"{field}__path__startswith": org.path}) if subtree else Q(**{field: org})


def hotline_metrics(*, org: Org, first: dt.date, last: dt.date, subtree: bool = False) -> dict[str, Any]:
    """{code: value} for tickets received by `org` (or its subtree) in [first, last], by Asia/Shanghai dates.

    Satisfaction counts each ticket concluded in the period once, by its final callback (so a ticket reopened after
    a dissatisfied callback counts by the verdict on its last reply); `unreachable` is not an answer.
    """
    start, end = _bounds(first, last)
    received = Ticket.objects.filter(_orgs_q(org, subtree), created_at__gte=start, created_at__lt=end)
    totals = received.aggregate(
        tickets=Count("id"),
        answered_directly=Count("id", filter=Q(answered_directly=True)),
        dispatched=Count("id", filter=Q(dispatched_at__isnull=False)),
        concluded_by_end=Count("id", filter=Q(status=TicketStatus.CONCLUDED, concluded_at__lt=end)),
    )
    by_kind = dict(received.values_list("kind").annotate(n=Count("id")).order_by())
    by_channel = dict(received.values_list("channel").annotate(n=Count("id")).order_by())
    concluded = (
        Ticket.objects.filter(
            _orgs_q(org, subtree), status=TicketStatus.CONCLUDED, concluded_at__gte=start, concluded_at__lt=end
        )
        .annotate(concluded_day=TruncDate("concluded_at", tzinfo=SHANGHAI))
        .aggregate(
            n=Count("id"),
            on_time=Count(
                "id",
                filter=Q(answered_directly=True)
                | Q(due_on__isnull=True)
                | Q(due_at__isnull=True, concluded_day__lte=F("due_on"))
                | Q(due_at__isnull=False, concluded_at__lte=F("due_at")),
            ),
            answered=Count("id", filter=~Q(callback="") & ~Q(callback=CallbackResult.UNREACHABLE)),
            satisfied=Count("id", filter=Q(callback__in=list(SATISFIED_RESULTS))),
        )
    )
    returns = Dispatch.objects.filter(
        _orgs_q(org, subtree, "ticket__org"), returned_at__gte=start, returned_at__lt=end
    ).count()
    cards = dict(
        Card.objects.filter(_orgs_q(org, subtree), issued_at__gte=start, issued_at__lt=end)
        .values_list("color")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {
        "tickets": totals["tickets"],
        "tickets_by_kind": by_kind,
        "tickets_by_channel": by_channel,
        "answered_directly": totals["answered_directly"],
        "dispatched": totals["dispatched"],
        "ticket_concluded_rate": _rate(totals["concluded_by_end"], totals["tickets"]),
        "ticket_on_time_rate": _rate(concluded["on_time"], concluded["n"]),
        "ticket_satisfaction_rate": _rate(concluded["satisfied"], concluded["answered"]),
        "returns": returns,
        "yellow_cards": cards.get(CardColor.YELLOW, 0),
        "red_cards": cards.get(CardColor.RED, 0),
    }


def unit_ranking(*, org: Org, first: dt.date, last: dt.date) -> list[dict[str, Any]]:
    """Per handling unit, over tickets of `org` dispatched in the period: handled, concluded, late replies,
    satisfied callbacks and returns — for the bulletin's ranking."""
    start, end = _bounds(first, last)
    rows = (
        Ticket.objects.filter(org=org, lead_unit__isnull=False, dispatched_at__gte=start, dispatched_at__lt=end)
        .annotate(replied_day=TruncDate("replied_at", tzinfo=SHANGHAI))
        .values("lead_unit_id", "lead_unit__name")
        .annotate(
            handled=Count("id"),
            concluded=Count("id", filter=Q(status=TicketStatus.CONCLUDED)),
            late=Count("id", filter=Q(due_at__isnull=True, replied_day__gt=F("due_on"))),
            answered=Count("id", filter=~Q(callback="") & ~Q(callback=CallbackResult.UNREACHABLE)),
            satisfied=Count("id", filter=Q(callback__in=list(SATISFIED_RESULTS))),
        )
        .order_by("lead_unit__name")
    )
    returns = dict(
        Dispatch.objects.filter(ticket__org=org, returned_at__gte=start, returned_at__lt=end)
        .values_list("unit_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    out = []
    for r in rows:
        out.append(
            {
                "unit": r["lead_unit__name"],
                "handled": r["handled"],
                "concluded": r["concluded"],
                "late": r["late"],
                "returns": returns.get(r["lead_unit_id"], 0),
                "satisfaction_rate": _rate(r["satisfied"], r["answered"]),
            }
        )
    return sorted(out, key=lambda r: (r["late"], -(r["satisfaction_rate"] or 0), -r["handled"]))
