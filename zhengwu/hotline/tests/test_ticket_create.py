"""Registering tickets: numbers, due dates from the handling rules, the 30-day duplicate warning, permissions."""

from __future__ import annotations

import datetime as dt

import pytest

from zhengwu.core.errors import InvalidInput, PermissionDenied
from zhengwu.core.models import AuditEvent
from zhengwu.hotline import services
from zhengwu.hotline.models import HandlingRule, LimitUnit, TicketKind, Urgency
from zhengwu.hotline.states import TicketStatus
from zhengwu.hotline.tests.factories import make_ticket
from zhengwu.workdays import add_workdays

pytestmark = pytest.mark.django_db


def test_a_phone_ticket_gets_a_daily_number_a_query_code_and_a_five_workday_limit(county, operator, frozen):
    ticket = make_ticket(org=county["gov"], actor=operator)
    second = make_ticket(org=county["gov"], actor=operator, caller_phone="13900000000")

    assert (ticket.ref, second.ref) == ("202611090001", "202611090002")
    assert ticket.status == TicketStatus.NEW
    assert len(ticket.query_code) == 10
    assert ticket.due_on == dt.date(2026, 11, 16)  # Mon + 5 workdays = next Mon
    assert AuditEvent.objects.filter(action="ticket.create", object_id=str(ticket.pk)).exists()


def test_the_limit_skips_the_national_day_holiday(county, operator, frozen):
    frozen.set("2026-09-30T16:00")
    ticket = make_ticket(org=county["gov"], actor=operator)

    assert ticket.due_on == add_workdays(dt.date(2026, 9, 30), 5)
    assert ticket.due_on > dt.date(2026, 10, 8)


def test_a_rule_of_an_org_above_applies_and_hour_limits_give_a_due_time(county, operator, frozen):
    HandlingRule.objects.create(
        org=county["gov"], kind=TicketKind.HELP, urgency=Urgency.EMERGENCY, limit=4, unit=LimitUnit.HOURS
    )
    HandlingRule.objects.create(org=county["gov"], kind=TicketKind.REPORT, urgency=Urgency.NORMAL, limit=15)

    urgent = make_ticket(org=county["gov"], actor=operator, kind=TicketKind.HELP, subtype="", urgency=Urgency.EMERGENCY)
    report = make_ticket(org=county["gov"], actor=operator, kind=TicketKind.REPORT, subtype="economic")

    assert urgent.due_at == frozen.at + dt.timedelta(hours=4)
    assert urgent.due_on == dt.date(2026, 11, 9)
    assert report.due_on == add_workdays(dt.date(2026, 11, 9), 15)


def test_the_same_matter_from_the_same_caller_within_30_days_is_flagged(county, operator, frozen):
    first = make_ticket(org=county["gov"], actor=operator, content="小区门口下水道堵塞，污水漫到路面")
    frozen.advance(days=12)

    created = services.ticket_create(
        actor=operator,
        org=county["gov"],
        channel="phone",
        kind=TicketKind.COMPLAINT,
        content="小区门口下水道又堵塞了，污水漫到路面上",
        caller_phone="13800138000",
    )
    unrelated = services.ticket_create(
        actor=operator,
        org=county["gov"],
        channel="phone",
        kind=TicketKind.CONSULTATION,
        content="请问社保卡怎么补办",
        caller_phone="13800138000",
    )

    assert [d.ref for d in created.duplicates] == [first.ref]
    assert created.ticket.duplicate_of_id == first.pk
    assert unrelated.duplicates == []


def test_a_report_older_than_30_days_is_not_a_duplicate(county, operator, frozen):
    make_ticket(org=county["gov"], actor=operator, content="小区门口下水道堵塞，污水漫到路面")
    frozen.advance(days=31)

    created = services.ticket_create(
        actor=operator,
        org=county["gov"],
        channel="phone",
        kind="complaint",
        content="小区门口下水道堵塞，污水漫到路面",
        caller_phone="13800138000",
    )

    assert created.duplicates == []


def test_a_unit_handler_cannot_register_tickets(county, handler, frozen):
    with pytest.raises(PermissionDenied):
        make_ticket(org=county["gov"], actor=handler)


def test_an_operator_of_another_county_cannot_register_here(county, other_county, frozen):
    from zhengwu.orgs.models import Role
    from zhengwu.orgs.tests.factories import make_staff

    stranger = make_staff(org=other_county["gov"], role=Role.HOTLINE_OPERATOR)
    with pytest.raises(PermissionDenied):
        make_ticket(org=county["gov"], actor=stranger)


@pytest.mark.parametrize(
    ("field", "value"), [("content", "   "), ("kind", "praise"), ("subtype", "consumer-x"), ("channel", "fax")]
)
def test_bad_input_is_refused_with_the_field_named(county, operator, frozen, field, value):
    with pytest.raises(InvalidInput) as err:
        make_ticket(org=county["gov"], actor=operator, **{field: value})
    assert field in err.value.detail
