"""Special procedures (特别程序): the due date moves later by exactly the workdays paused; extensions add days."""

import pytest

from zhengwu.cases.models import Case
from zhengwu.cases.selectors import CaseFilter, case_list_for_staff
from zhengwu.cases.services import case_extend, case_pause, case_resume
from zhengwu.cases.services.clock import case_clock
from zhengwu.cases.states import CaseStatus
from zhengwu.cases.tests.conftest import d
from zhengwu.cases.tests.factories import accepted_case
from zhengwu.core.errors import Conflict, InvalidInput
from zhengwu.workdays import add_workdays, workdays_between

pytestmark = pytest.mark.django_db


def test_a_special_procedure_moves_the_due_date_by_the_paused_workdays(hall, freeze):
    # given a case accepted on 15 September 2025 with 10 promised workdays
    freeze("2025-09-15 09:00")
    case = accepted_case(hall, promised=10)
    original = case.due_on
    assert original == d("2025-09-28")  # a make-up Sunday counts as a workday
    # when an expert review runs from 17 September to 30 September (across the make-up Sunday 28 September)
    freeze("2025-09-17 10:00")
    case = case_pause(actor=hall.approver, case=case, kind="expert_review", reason="组织专家评审")
    assert case.status == CaseStatus.PAUSED
    freeze("2025-09-30 11:00")
    case = case_resume(actor=hall.approver, case=case)
    # then the due date moves later by exactly the workdays of (17 Sep, 30 Sep]
    paused = workdays_between(d("2025-09-17"), d("2025-09-30"))
    assert paused == 10
    assert case.status == CaseStatus.ACCEPTED
    assert case.due_on == add_workdays(original, paused) == d("2025-10-17")
    # and the explanation says why
    lines = case_clock(Case.objects.get(pk=case.pk)).explain().lines()
    assert any("暂停：2025-09-17 至 2025-09-30（专家评审）" in line and "10 个工作日" in line for line in lines)


def test_a_paused_case_shows_as_paused_not_overdue(hall, freeze):
    freeze("2025-09-15 09:00")
    case = accepted_case(hall, promised=2)
    case_pause(actor=hall.approver, case=case, kind="testing", reason="送检")
    freeze("2025-10-20 09:00")  # long past the original due date
    (row,) = case_list_for_staff(hall.approver, CaseFilter()).cases
    assert row.clock_state == "paused"


def test_a_pause_needs_a_reason_and_a_known_procedure(hall):
    case = accepted_case(hall)
    with pytest.raises(InvalidInput):
        case_pause(actor=hall.approver, case=case, kind="hearing", reason="")
    with pytest.raises(InvalidInput):
        case_pause(actor=hall.approver, case=case, kind="coffee", reason="x")


def test_two_staff_starting_a_procedure_at_once_one_is_told(hall):
    case = accepted_case(hall)
    stale = Case.objects.get(pk=case.pk)
    case_pause(actor=hall.approver, case=case, kind="hearing", reason="听证")
    with pytest.raises(Conflict):
        case_pause(actor=hall.window_staff, case=stale, kind="testing", reason="检测")
    assert case.pauses.count() == 1


def test_an_extension_moves_the_due_date_by_its_workdays(hall, freeze):
    freeze("2025-09-15 09:00")
    case = accepted_case(hall, promised=10)
    case = case_extend(actor=hall.approver, case=case, workdays=5, reason="经负责人批准延长")
    assert case.due_on == add_workdays(d("2025-09-28"), 5)
    with pytest.raises(InvalidInput):
        case_extend(actor=hall.approver, case=case, workdays=0, reason="x")
