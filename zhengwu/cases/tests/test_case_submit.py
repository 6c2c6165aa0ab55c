"""Online application: the applicant gets a query code, files are checked by what they are, not what they claim."""

import pytest
from django.test import override_settings

from zhengwu.cases.models import Case
from zhengwu.cases.selectors import case_by_query_code
from zhengwu.cases.services import Upload, case_submit
from zhengwu.cases.states import CaseStatus, Channel
from zhengwu.cases.tests.factories import PDF, PNG, applicant, submit_online
from zhengwu.catalog.tests.factories import make_item
from zhengwu.core.errors import InvalidInput
from zhengwu.core.querycode import format_query_code

pytestmark = pytest.mark.django_db


def test_online_application_waits_for_acceptance_and_is_found_by_its_query_code(hall, freeze):
    # given an item that accepts online applications
    freeze("2025-09-29 10:00")
    item = make_item(org=hall.dept, window=hall.window)
    # when the applicant applies with a PDF and a photo
    case = case_submit(item=item, applicant=applicant(), uploads=[Upload("申请书.pdf", PDF), Upload("照片.jpg", PNG)])
    # then the case waits for acceptance, with no visit and no due date yet
    assert case.status == CaseStatus.SUBMITTED
    assert case.channel == Channel.ONLINE and case.visits == 0 and case.due_on is None
    assert case.ref == "20250929-00001"
    assert case.center == hall.center  # the item's window's center takes it in
    assert [m.content_type for m in case.materials.all()] == ["application/pdf", "image/png"]
    # and the code printed on the receipt finds it, however the applicant types it
    typed = format_query_code(case.query_code).lower().replace("-", " - ")
    assert case_by_query_code(typed) == case


def test_refs_count_up_within_the_day(hall, freeze):
    freeze("2025-09-29 10:00")
    item = make_item(org=hall.dept)
    assert [submit_online(item).ref for _ in range(3)] == ["20250929-00001", "20250929-00002", "20250929-00003"]


def test_a_text_file_named_pdf_is_refused_and_nothing_is_created(hall):
    item = make_item(org=hall.dept)
    with pytest.raises(InvalidInput) as err:
        case_submit(item=item, applicant=applicant(), uploads=[Upload("申请书.pdf", b"hello, not a pdf")])
    assert "不是 PDF" in err.value.message
    assert not Case.objects.exists()


@override_settings(CASES_MAX_UPLOAD_BYTES=1024)
def test_a_file_over_the_size_limit_is_refused(hall):
    item = make_item(org=hall.dept)
    with pytest.raises(InvalidInput) as err:
        case_submit(item=item, applicant=applicant(), uploads=[Upload("big.pdf", PDF + b"0" * 2000)])
    assert err.value.detail == {"files": ["too_large"]}


def test_an_item_without_online_application_sends_the_applicant_to_the_window(hall):
    item = make_item(org=hall.dept, online=False)
    with pytest.raises(InvalidInput) as err:
        submit_online(item)
    assert "窗口" in err.value.message


def test_a_wrong_id_number_is_refused(hall):
    item = make_item(org=hall.dept)
    bad = applicant()
    bad = type(bad)(name=bad.name, id_number="110105194912310021", phone=bad.phone)
    with pytest.raises(InvalidInput) as err:
        case_submit(item=item, applicant=bad)
    assert "applicant_id_number" in err.value.detail


def test_unknown_query_codes_find_nothing(hall):
    assert case_by_query_code("") is None
    assert case_by_query_code("ABCDE-FGHJK") is None
    assert case_by_query_code("0000000000") is None  # not in the alphabet: cannot be a code
