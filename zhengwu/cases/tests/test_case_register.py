"""Window intake: accept on the spot, or conclude an instant item in one step; each visit counts."""

import pytest

from zhengwu.cases.models import CaseStep
from zhengwu.cases.services import case_record_visit, case_register
from zhengwu.cases.states import CaseStatus, Decision
from zhengwu.cases.tests.conftest import d
from zhengwu.cases.tests.factories import applicant, register_at_window
from zhengwu.catalog.models import Mode
from zhengwu.catalog.tests.factories import make_item
from zhengwu.core.errors import InvalidInput, PermissionDenied
from zhengwu.core.models import AuditEvent
from zhengwu.orgs.tests.factories import make_org

pytestmark = pytest.mark.django_db


def test_window_accepts_and_the_due_date_skips_the_national_day_holiday(hall, freeze):
    # given Monday 29 September 2025, before the 1–8 October holiday (11 October is a make-up workday)
    freeze("2025-09-29 09:30")
    item = make_item(org=hall.dept, window=hall.window, statutory=20, promised=10)
    # when the window registers and accepts the application
    case = register_at_window(hall, item)
    # then the clock starts today and the due date is the 10th workday after it
    assert case.status == CaseStatus.ACCEPTED
    assert case.visits == 1
    assert (case.statutory_limit_days, case.promised_limit_days) == (20, 10)
    assert case.due_on == d("2025-10-20")
    assert case.window == hall.window and case.received_by == hall.window_staff
    actions = list(
        AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk)).values_list("action", flat=True)
    )
    assert actions == ["case.register", "case.accept"]
    assert list(CaseStep.objects.filter(case=case).values_list("name", "finished_at")) == [
        ("受理", case.accepted_at),
        ("审查办理", None),
    ]


def test_an_instant_item_is_concluded_at_the_window_in_one_step(hall, freeze):
    freeze("2025-10-09 15:00")
    item = make_item(org=hall.dept, window=hall.window, mode=Mode.INSTANT, statutory=0)
    case = register_at_window(hall, item, then="instant")
    assert case.status == CaseStatus.CONCLUDED
    assert case.decision == Decision.APPROVED
    assert case.on_site is True and case.visits == 1
    assert case.accepted_at == case.concluded_at == case.submitted_at
    assert case.due_on == d("2025-10-09")


def test_a_promised_item_cannot_be_concluded_on_the_spot(hall):
    item = make_item(org=hall.dept, window=hall.window)
    with pytest.raises(InvalidInput):
        register_at_window(hall, item, then="instant")


def test_a_window_takes_in_only_the_items_of_its_departments(hall):
    other_dept = make_org(parent=hall.county["gov"])
    item = make_item(org=other_dept)
    with pytest.raises(InvalidInput) as err:
        register_at_window(hall, item)
    assert err.value.detail == {"item": ["not_at_window"]}


def test_an_approver_cannot_take_in_at_the_window(hall):
    item = make_item(org=hall.dept, window=hall.window)
    with pytest.raises(PermissionDenied):
        case_register(actor=hall.approver, window=hall.window, item=item, applicant=applicant())


def test_each_later_visit_is_counted(hall):
    case = register_at_window(hall)
    case_record_visit(actor=hall.window_staff, case=case, reason="领取结果")
    case.refresh_from_db()
    assert case.visits == 2
    assert AuditEvent.objects.filter(action="case.visit", object_id=str(case.pk)).get().new == {"visits": 2}
