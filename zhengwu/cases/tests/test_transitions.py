"""The transition table as users meet it: each allowed move works; moves the law does not allow are refused and
change nothing."""

import pytest

from zhengwu.cases.models import Case
from zhengwu.cases.services import (
    case_conclude,
    case_pause,
    case_reject,
    case_request_correction,
    case_resume,
)
from zhengwu.cases.states import FINAL, OPEN, TRANSITIONS, CaseStatus
from zhengwu.cases.tests.factories import accepted_case, submit_online
from zhengwu.catalog.tests.factories import make_item
from zhengwu.core.errors import Conflict, TransitionNotAllowed
from zhengwu.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_table_covers_every_status_and_final_states_lead_nowhere():
    assert set(TRANSITIONS) == set(CaseStatus)
    assert set(CaseStatus) == OPEN | FINAL and not OPEN & FINAL
    assert all(not TRANSITIONS[s] for s in FINAL)


def test_an_applicant_who_never_corrects_can_be_refused(hall):
    case = case_request_correction(
        actor=hall.approver, case=submit_online(make_item(org=hall.dept)), missing=["申请书"]
    )
    case = case_reject(actor=hall.approver, case=case, reason="逾期未补正")
    assert case.status == CaseStatus.REJECTED


def test_a_case_not_yet_accepted_cannot_be_concluded_or_paused(hall):
    case = submit_online(make_item(org=hall.dept))
    with pytest.raises(TransitionNotAllowed):
        case_conclude(actor=hall.approver, case=case, decision="approved")
    with pytest.raises(TransitionNotAllowed):
        case_pause(actor=hall.approver, case=case, kind="hearing", reason="听证")
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUBMITTED
    assert not AuditEvent.objects.filter(action__in=["case.conclude", "case.pause"]).exists()


def test_an_accepted_case_cannot_be_rejected_and_a_paused_one_cannot_be_concluded(hall):
    case = accepted_case(hall)
    with pytest.raises(TransitionNotAllowed):
        case_reject(actor=hall.approver, case=case, reason="x")
    case = case_pause(actor=hall.approver, case=case, kind="appraisal", reason="鉴定")
    with pytest.raises(TransitionNotAllowed):
        case_conclude(actor=hall.approver, case=case, decision="approved")
    case = case_resume(actor=hall.approver, case=case)
    with pytest.raises(Conflict):
        case_resume(actor=hall.approver, case=case)
