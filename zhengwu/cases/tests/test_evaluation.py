"""好差评: five levels after conclusion; a bad rating opens a rectification due in 15 workdays (configurable) that
closes only after a callback."""

import pytest
from django.test import override_settings

from zhengwu.cases.models import OutboxMessage, Rectification
from zhengwu.cases.services import (
    case_conclude,
    evaluation_submit,
    rectification_close,
    rectification_record_callback,
)
from zhengwu.cases.states import RectificationStatus
from zhengwu.cases.tests.conftest import d
from zhengwu.cases.tests.factories import accepted_case
from zhengwu.core.errors import Conflict, InvalidInput, PermissionDenied
from zhengwu.workdays import add_workdays

pytestmark = pytest.mark.django_db


@pytest.fixture
def concluded(hall):
    return case_conclude(actor=hall.approver, case=accepted_case(hall), decision="approved")


def test_a_good_rating_opens_nothing(concluded):
    evaluation = evaluation_submit(case=concluded, level="very_satisfied", channel="portal")
    assert evaluation.get_level_display() == "非常满意"
    assert not Rectification.objects.exists()


def test_a_bad_rating_opens_a_rectification_due_in_15_workdays(concluded, freeze, django_capture_on_commit_callbacks):
    freeze("2025-09-29 10:00")
    with django_capture_on_commit_callbacks(execute=True):
        evaluation = evaluation_submit(case=concluded, level="dissatisfied", channel="portal", comment="等了太久")
    rect = evaluation.rectification
    assert rect.status == RectificationStatus.OPEN
    assert rect.due_on == add_workdays(d("2025-09-29"), 15)
    assert "整改" in OutboxMessage.objects.get(kind="rectification.opened").body


@override_settings(CASES_RECTIFICATION_WORKDAYS=5)
def test_the_rectification_limit_is_configurable(concluded, freeze):
    freeze("2025-09-29 10:00")
    evaluation = evaluation_submit(case=concluded, level="very_dissatisfied", channel="window_device", comment="态度差")
    assert evaluation.rectification.due_on == add_workdays(d("2025-09-29"), 5)


def test_a_bad_rating_needs_a_comment(concluded):
    with pytest.raises(InvalidInput):
        evaluation_submit(case=concluded, level="dissatisfied", channel="portal")


def test_a_case_is_rated_once_and_only_after_conclusion(hall, concluded):
    evaluation_submit(case=concluded, level="satisfied", channel="portal")
    with pytest.raises(Conflict):
        evaluation_submit(case=concluded, level="dissatisfied", channel="portal", comment="改评")
    with pytest.raises(Conflict):
        evaluation_submit(case=accepted_case(hall), level="satisfied", channel="portal")


def test_the_rectification_closes_only_after_the_callback(hall, concluded):
    rect = evaluation_submit(case=concluded, level="dissatisfied", channel="portal", comment="慢").rectification
    with pytest.raises(InvalidInput) as err:
        rectification_close(actor=hall.supervisor, rectification=rect, summary="已整改")
    assert "回访" in err.value.message
    rect = rectification_record_callback(actor=hall.approver, rectification=rect, note="申请人表示认可", satisfied=True)
    rect = rectification_close(actor=hall.supervisor, rectification=rect, summary="已对窗口人员批评教育")
    assert rect.status == RectificationStatus.CLOSED and rect.closed_on is not None


def test_window_staff_cannot_close_a_rectification(hall, concluded):
    rect = evaluation_submit(case=concluded, level="dissatisfied", channel="portal", comment="慢").rectification
    with pytest.raises(PermissionDenied):
        rectification_record_callback(actor=hall.window_staff, rectification=rect, note="x", satisfied=None)
