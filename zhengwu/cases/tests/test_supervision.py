"""Supervision: on time / warning / overdue derived in the query agree with the Clock, counts are grouped in the
database, correction orders are answered, and nothing of another county shows."""

import datetime as dt

import pytest

from zhengwu.cases.models import Case
from zhengwu.cases.policies import case_q
from zhengwu.cases.selectors import CaseFilter, case_list_for_staff, cases_overdue, supervision_counts
from zhengwu.cases.services import correction_order_issue, correction_order_respond
from zhengwu.cases.services.clock import case_clock
from zhengwu.cases.states import OrderStatus
from zhengwu.cases.tests.conftest import d, make_hall
from zhengwu.cases.tests.factories import accepted_case, register_at_window, submit_online
from zhengwu.catalog.tests.factories import make_item
from zhengwu.core.errors import Conflict, PermissionDenied

pytestmark = pytest.mark.django_db


def test_the_list_state_agrees_with_the_clock_on_every_day(hall, freeze):
    freeze("2025-09-15 09:00")
    case = accepted_case(hall, promised=10)
    clock = case_clock(Case.objects.get(pk=case.pk))
    day = d("2025-09-15")
    seen = set()
    while day <= d("2025-10-10"):
        freeze(f"{day.isoformat()} 12:00")
        (row,) = case_list_for_staff(hall.approver, CaseFilter()).cases
        assert row.clock_state == clock.state(day).value, day
        seen.add(row.clock_state)
        day += dt.timedelta(days=1)
    assert seen == {"on_time", "warning", "overdue"}


def test_the_list_puts_waiting_cases_first_then_the_earliest_due(hall, freeze):
    freeze("2025-09-15 09:00")
    late = accepted_case(hall, promised=15)
    soon = accepted_case(hall, promised=3)
    waiting = submit_online(make_item(org=hall.dept, window=hall.window))
    page = case_list_for_staff(hall.approver, CaseFilter())
    assert [c.pk for c in page.cases] == [waiting.pk, soon.pk, late.pk]
    assert [c.clock_state for c in page.cases] == ["pending", "on_time", "on_time"]


def test_the_list_pages_without_counting(hall, freeze):
    for _ in range(3):
        accepted_case(hall)
    first = case_list_for_staff(hall.approver, CaseFilter(), size=2)
    second = case_list_for_staff(hall.approver, CaseFilter(), page=2, size=2)
    assert (len(first.cases), first.has_next, len(second.cases), second.has_next) == (2, True, 1, False)


def test_the_list_is_one_query(hall, django_assert_num_queries):
    # given the actor's posts, read once per request (as every scoped page does)
    accepted_case(hall)
    case_q(hall.window_staff, "cases.view")
    # then a page of cases, with their departments and items, is one query
    with django_assert_num_queries(1):
        page = case_list_for_staff(hall.window_staff, CaseFilter())
        assert [(c.org.name, c.item_version.name) for c in page.cases]


def test_counts_by_department_and_window(hall, freeze):
    freeze("2025-09-01 09:00")
    overdue = register_at_window(hall, make_item(org=hall.dept, window=hall.window, promised=2))
    freeze("2025-09-15 09:00")
    accepted_case(hall, promised=10)  # online: no window
    submit_online(make_item(org=hall.dept))
    counts = supervision_counts(hall.supervisor)
    (dept,) = counts["by_org"]
    assert (dept["org__name"], dept["total"], dept["overdue"], dept["on_time"], dept["pending"]) == (
        hall.dept.name,
        3,
        1,
        1,
        1,
    )
    (window,) = counts["by_window"]
    assert (window["window__number"], window["total"], window["overdue"]) == ("A01", 1, 1)
    assert [c.pk for c in cases_overdue(hall.supervisor)] == [overdue.pk]


def test_supervisors_see_nothing_of_another_county(hall):
    other = make_hall("乙县")
    accepted_case(other)
    assert supervision_counts(hall.supervisor)["by_org"] == []
    assert case_list_for_staff(hall.approver, CaseFilter()).cases == []


def test_a_correction_order_is_answered_once(hall, freeze):
    freeze("2025-09-15 09:00")
    case = accepted_case(hall)
    order = correction_order_issue(actor=hall.supervisor, case=case, instruction="补正告知未一次性告知，请说明")
    assert order.due_on == d("2025-09-22")
    stale = type(order).objects.get(pk=order.pk)
    order = correction_order_respond(actor=hall.approver, order=order, response="已整改，并对经办人员培训")
    assert order.status == OrderStatus.RESPONDED
    with pytest.raises(Conflict):
        correction_order_respond(actor=hall.approver, order=stale, response="再次反馈")


def test_only_supervisors_issue_correction_orders(hall):
    case = accepted_case(hall)
    with pytest.raises(PermissionDenied):
        correction_order_issue(actor=hall.approver, case=case, instruction="自查")
