"""A case accepted while its year was provisional gets its stored due date recomputed when the notice is loaded."""

import pytest

from zhengwu.cases.selectors import CaseFilter, case_list_for_staff
from zhengwu.cases.tests.conftest import d
from zhengwu.cases.tests.factories import accepted_case
from zhengwu.core.models import AuditEvent
from zhengwu.workdays.notice import parse_notice
from zhengwu.workdays.services import calendar_load
from zhengwu.workdays.tests.conftest import NOTICE_2027

pytestmark = pytest.mark.django_db


def test_loading_the_year_notice_moves_the_stored_due_date(hall, freeze):
    # given a case accepted on 28 April 2027, while 2027 is provisional (only 1–2 May off)
    freeze("2027-04-28 10:00")
    case = accepted_case(hall, promised=5)
    assert case.due_on == d("2027-05-05")
    # when the notice (May Day 1–5 May) is loaded
    calendar_load(actor=None, notice=parse_notice(NOTICE_2027, source="2027.yaml"))
    # then the stored due date moved past the holiday, the change is audited, and the list shows the new date
    case.refresh_from_db()
    assert case.due_on == d("2027-05-10")
    event = AuditEvent.objects.get(action="case.recompute_due", object_id=str(case.pk))
    assert (event.old, event.new) == ({"due_on": "2027-05-05"}, {"due_on": "2027-05-10"})
    (row,) = case_list_for_staff(hall.approver, CaseFilter()).cases
    assert row.due_on == d("2027-05-10")
