"""Overdue and warning lists, and yellow/red cards by the configurable rules, issued once."""

from __future__ import annotations

import datetime as dt

import pytest

from zhengwu.core.errors import PermissionDenied
from zhengwu.hotline import selectors, services
from zhengwu.hotline.models import Card, CardColor, CardRule
from zhengwu.hotline.tests.factories import dispatched, handling

pytestmark = pytest.mark.django_db


def test_overdue_and_warning_are_derived_from_the_due_date(county, supervisor, frozen):
    ticket = dispatched(org=county["gov"], unit=county["dept"])  # due Mon 2026-11-16

    frozen.set("2026-11-13T10:00")  # Fri: one workday left
    assert list(selectors.tickets_warning(supervisor)) == [ticket]
    assert list(selectors.tickets_overdue(supervisor)) == []
    frozen.set("2026-11-16T17:00")  # the due day itself is still on time
    assert list(selectors.tickets_overdue(supervisor)) == []
    frozen.set("2026-11-17T09:00")
    assert list(selectors.tickets_overdue(supervisor)) == [ticket]
    assert ticket.is_overdue()
    assert selectors.overdue_by_unit(supervisor)[0]["overdue"] == 1


def _overdue_tickets(county, n: int, frozen, *, start: str) -> None:
    frozen.set(start)
    for i in range(n):
        handling(org=county["gov"], unit=county["dept"], caller_phone=f"1380000{i:04d}")


def test_a_yellow_card_at_the_threshold_then_a_red_for_the_second_yellow_in_a_quarter(county, supervisor, frozen):
    CardRule.objects.create(org=county["gov"], overdue_per_month=2, yellows_per_quarter=2)
    _overdue_tickets(county, 2, frozen, start="2026-09-01T10:00")  # due in September, never replied
    frozen.set("2026-10-09T10:00")

    cards = services.cards_evaluate(actor=supervisor, org=county["gov"], month=dt.date(2026, 9, 1))
    again = services.cards_evaluate(actor=supervisor, org=county["gov"], month=dt.date(2026, 9, 1))

    assert [(c.unit, c.color, c.overdue_count) for c in cards] == [(county["dept"], CardColor.YELLOW, 2)]
    assert again == []
    assert "2026年9月" in cards[0].record

    # The quarter is July–September: a second yellow in it brings a red card.
    _overdue_tickets(county, 2, frozen, start="2026-08-03T10:00")
    frozen.set("2026-11-02T10:00")
    cards = services.cards_evaluate(actor=supervisor, org=county["gov"], month=dt.date(2026, 8, 1))

    assert sorted(c.color for c in cards) == [CardColor.RED, CardColor.YELLOW]
    assert Card.objects.filter(color=CardColor.RED).count() == 1


def test_below_the_threshold_no_card_and_a_reply_in_time_does_not_count(county, supervisor, handler, frozen):
    ticket = handling(org=county["gov"], unit=county["dept"])
    services.ticket_reply(actor=handler, ticket=ticket, content="已处理")
    handling(org=county["gov"], unit=county["dept"], caller_phone="13700000000")
    frozen.set("2026-12-01T10:00")

    assert services.cards_evaluate(actor=supervisor, org=county["gov"], month=dt.date(2026, 11, 1)) == []


def test_only_supervisors_issue_cards(county, handler, frozen):
    with pytest.raises(PermissionDenied):
        services.cards_evaluate(actor=handler, org=county["gov"], month=dt.date(2026, 10, 1))
