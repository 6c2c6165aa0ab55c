"""补齐补正: everything missing is told at once; the corrected materials bring the case back for acceptance."""

import pytest

from zhengwu.cases.models import OutboxMessage
from zhengwu.cases.services import Upload, case_accept, case_receive_correction, case_request_correction
from zhengwu.cases.states import CaseStatus
from zhengwu.cases.tests.factories import PDF, submit_online
from zhengwu.catalog.tests.factories import make_item
from zhengwu.core.errors import Conflict, InvalidInput, TransitionNotAllowed

pytestmark = pytest.mark.django_db


def test_correction_lists_everything_missing_and_tells_the_applicant(hall, django_capture_on_commit_callbacks):
    case = submit_online(make_item(org=hall.dept, window=hall.window))
    with django_capture_on_commit_callbacks(execute=True):
        case = case_request_correction(
            actor=hall.approver, case=case, missing=["营业执照", "经营场所证明", " "], note="复印件需加盖公章"
        )
    assert case.status == CaseStatus.CORRECTION
    assert case.correction.missing == ["营业执照", "经营场所证明"]
    body = OutboxMessage.objects.get(kind="case.correction").body
    assert "营业执照、经营场所证明" in body


def test_a_correction_with_nothing_listed_is_refused(hall):
    case = submit_online(make_item(org=hall.dept))
    with pytest.raises(InvalidInput):
        case_request_correction(actor=hall.approver, case=case, missing=[])


def test_a_second_correction_request_is_refused(hall):
    case = submit_online(make_item(org=hall.dept))
    case = case_request_correction(actor=hall.approver, case=case, missing=["申请书"])
    case = case_receive_correction(actor=None, case=case, uploads=[Upload("申请书.pdf", PDF)])
    with pytest.raises(Conflict) as err:
        case_request_correction(actor=hall.approver, case=case, missing=["营业执照"])
    assert "一次性告知" in err.value.message


def test_online_correction_upload_brings_the_case_back_without_a_visit(hall):
    case = submit_online(make_item(org=hall.dept, window=hall.window))
    case = case_request_correction(actor=hall.approver, case=case, missing=["营业执照"])
    case = case_receive_correction(actor=None, case=case, uploads=[Upload("执照.pdf", PDF)])
    assert case.status == CaseStatus.SUBMITTED and case.visits == 0
    assert case.correction.received_at is not None
    assert case.materials.filter(for_correction=True).count() == 1
    assert case_accept(actor=hall.approver, case=case).status == CaseStatus.ACCEPTED


def test_correction_brought_to_the_window_counts_a_visit(hall):
    item = make_item(org=hall.dept, window=hall.window)
    from zhengwu.cases.services import case_register
    from zhengwu.cases.tests.factories import applicant

    case = case_register(
        actor=hall.window_staff,
        window=hall.window,
        item=item,
        applicant=applicant(),
        then="correction",
        missing=["申请书"],
    )
    assert case.status == CaseStatus.CORRECTION and case.visits == 1
    case = case_receive_correction(actor=hall.window_staff, case=case, at_window=True)
    assert case.visits == 2 and case.status == CaseStatus.SUBMITTED


def test_an_applicant_cannot_upload_corrections_to_an_accepted_case(hall):
    case = case_accept(actor=hall.approver, case=submit_online(make_item(org=hall.dept)))
    with pytest.raises(TransitionNotAllowed):
        case_receive_correction(actor=None, case=case, uploads=[Upload("x.pdf", PDF)])
