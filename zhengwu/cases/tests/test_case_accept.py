"""Acceptance and rejection: the clock starts from the accepted day; the case keeps the version it was accepted
under; two staff acting at once — one wins, the other is told and nothing of theirs is written."""

import dataclasses

import pytest

from zhengwu.cases.models import Case, OutboxMessage
from zhengwu.cases.services import case_accept, case_conclude, case_reject
from zhengwu.cases.states import CaseStatus
from zhengwu.cases.tests.conftest import d
from zhengwu.cases.tests.factories import submit_online
from zhengwu.catalog.services import ItemContent, item_revise
from zhengwu.catalog.tests.factories import make_item
from zhengwu.core.errors import Conflict, InvalidInput, PermissionDenied, TransitionNotAllowed
from zhengwu.core.models import AuditEvent
from zhengwu.orgs.models import Role
from zhengwu.orgs.tests.factories import make_staff
from zhengwu.workdays import add_workdays

pytestmark = pytest.mark.django_db


def test_acceptance_starts_the_clock_on_the_accepted_day_not_the_submitted_day(hall, freeze):
    freeze("2025-09-26 16:00")  # Friday
    item = make_item(org=hall.dept, window=hall.window, promised=5)
    case = submit_online(item)
    freeze("2025-09-29 09:00")  # accepted the next Monday
    case = case_accept(actor=hall.approver, case=case, opinion="材料齐全")
    assert case.status == CaseStatus.ACCEPTED
    assert case.due_on == add_workdays(d("2025-09-29"), 5) == d("2025-10-13")  # 1–8 Oct off, Sat 11 Oct worked


def test_window_staff_of_the_center_may_accept_online_cases_of_its_departments(hall):
    case = submit_online(make_item(org=hall.dept, window=hall.window))
    assert case_accept(actor=hall.window_staff, case=case).status == CaseStatus.ACCEPTED


def test_a_supervisor_may_not_accept(hall):
    case = submit_online(make_item(org=hall.dept, window=hall.window))
    with pytest.raises(PermissionDenied):
        case_accept(actor=hall.supervisor, case=case)


def test_a_case_keeps_the_version_it_was_accepted_under(hall, freeze):
    item = make_item(org=hall.dept, window=hall.window, promised=10)
    case = case_accept(actor=hall.approver, case=submit_online(item))
    admin = make_staff(org=hall.county["gov"], role=Role.ADMIN)
    # when the item is revised to promise 5 days
    v2 = item_revise(
        actor=admin, item=item, content=dataclasses.replace(ItemContent.of(item.current), promised_limit_days=5)
    )
    # then the accepted case keeps version 1 and its 10 days; a new case is accepted under version 2
    case.refresh_from_db()
    assert (case.item_version.number, case.promised_limit_days) == (1, 10)
    later = case_accept(actor=hall.approver, case=submit_online(item))
    assert later.item_version == v2 and later.promised_limit_days == 5


def test_rejection_needs_a_reason_and_tells_the_applicant(hall, django_capture_on_commit_callbacks):
    case = submit_online(make_item(org=hall.dept))
    with pytest.raises(InvalidInput):
        case_reject(actor=hall.approver, case=case, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        case = case_reject(actor=hall.approver, case=case, reason="不属于本机关职权范围")
    assert case.status == CaseStatus.REJECTED and case.rejected_at is not None and case.due_on is None
    message = OutboxMessage.objects.get(kind="case.rejected")
    assert "不属于本机关职权范围" in message.body and message.recipient == "13800138000"


def test_two_staff_accepting_at_once_one_wins_the_other_is_told(hall):
    # given two staff who opened the same waiting case
    case = submit_online(make_item(org=hall.dept, window=hall.window))
    copy_a, copy_b = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)
    # when both accept
    case_accept(actor=hall.approver, case=copy_a)
    with pytest.raises(Conflict) as err:
        case_accept(actor=hall.window_staff, case=copy_b)
    # then the second is told someone else acted, and only one acceptance exists
    assert "他人" in err.value.message and "办理中" in err.value.message
    assert AuditEvent.objects.filter(action="case.accept", object_id=str(case.pk)).count() == 1
    assert case.steps.count() == 2


def test_accept_and_reject_at_once_leave_only_the_first(hall):
    case = submit_online(make_item(org=hall.dept, window=hall.window))
    stale = Case.objects.get(pk=case.pk)
    case_reject(actor=hall.approver, case=case, reason="材料虚假")
    with pytest.raises(Conflict):
        case_accept(actor=hall.window_staff, case=stale)
    case.refresh_from_db()
    assert case.status == CaseStatus.REJECTED and case.accepted_at is None


def test_two_staff_concluding_at_once_one_wins(hall):
    case = case_accept(actor=hall.approver, case=submit_online(make_item(org=hall.dept, window=hall.window)))
    a, b = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)
    case_conclude(actor=hall.approver, case=a, decision="approved")
    with pytest.raises(Conflict):
        case_conclude(actor=hall.window_staff, case=b, decision="denied", opinion="不符合条件")
    case.refresh_from_db()
    assert case.decision == "approved"


def test_a_rejected_case_cannot_be_accepted_even_by_a_fresh_actor(hall):
    case = case_reject(actor=hall.approver, case=submit_online(make_item(org=hall.dept)), reason="重复申请")
    with pytest.raises(TransitionNotAllowed):
        case_accept(actor=hall.approver, case=case)
