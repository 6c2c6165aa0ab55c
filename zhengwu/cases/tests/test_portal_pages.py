"""The applicant's pages: find the guide in Chinese, print the checklist, apply with files, follow the case,
upload corrections, rate it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zhengwu.cases.models import Case, Evaluation
from zhengwu.cases.services import case_accept, case_conclude, case_request_correction
from zhengwu.cases.states import CaseStatus
from zhengwu.cases.tests.factories import PDF, submit_online
from zhengwu.catalog.tests.factories import make_item

pytestmark = pytest.mark.django_db


def test_guides_are_found_by_a_chinese_word_and_show_their_materials(hall):
    make_item(org=hall.dept, name="食品经营许可证核发")
    make_item(org=hall.dept, name="建筑工程施工许可")
    body = Client().get("/services/", {"q": "食品"}).content.decode()
    assert "食品经营许可证核发" in body and "建筑工程施工许可" not in body
    item = make_item(org=hall.dept, name="药品零售许可")
    guide = Client().get(f"/services/guides/{item.code}/").content.decode()
    assert "经营场所证明" in guide
    checklist = Client().get(f"/services/guides/{item.code}/checklist/").content.decode()
    assert "一次性告知单" in checklist and "营业执照" in checklist


def test_apply_online_then_follow_and_correct_then_rate(hall):
    item = make_item(org=hall.dept, window=hall.window)
    material = item.current.materials.first()
    client = Client()
    response = client.post(
        f"/services/guides/{item.code}/apply/",
        {
            "applicant_kind": "person",
            "applicant_name": "孙七",
            "applicant_phone": "13800138000",
            f"m{material.pk}": SimpleUploadedFile("申请书.pdf", PDF, content_type="application/pdf"),
        },
    )
    case = Case.objects.get()
    assert response["Location"] == f"/services/progress/{case.query_code}/"
    assert case.materials.get().name == material.name
    case_request_correction(actor=hall.approver, case=case, missing=["营业执照"])
    page = client.get(response["Location"]).content.decode()
    assert "营业执照" in page and "孙*" in page
    client.post(
        f"/services/progress/{case.query_code}/correction/",
        {"files": [SimpleUploadedFile("执照.pdf", PDF, content_type="application/pdf")]},
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    case_conclude(actor=hall.approver, case=case_accept(actor=hall.approver, case=case), decision="approved")
    client.post(f"/services/progress/{case.query_code}/rate/", {"level": "dissatisfied", "comment": "跑了两趟"})
    evaluation = Evaluation.objects.get()
    assert evaluation.level == "dissatisfied" and evaluation.channel == "portal"
    assert evaluation.rectification.status == "open"


def test_a_file_that_is_not_what_it_claims_is_refused_on_the_form(hall):
    item = make_item(org=hall.dept)
    response = Client().post(
        f"/services/guides/{item.code}/apply/",
        {
            "applicant_kind": "person",
            "applicant_name": "孙七",
            "applicant_phone": "13800138000",
            "other": [SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")],
        },
    )
    assert response.status_code == 400 and "不是 PDF" in response.content.decode()
    assert not Case.objects.exists()


def test_the_window_device_rates_by_query_code(hall):
    case = case_conclude(
        actor=hall.approver,
        case=case_accept(actor=hall.approver, case=submit_online(make_item(org=hall.dept))),
        decision="approved",
    )
    client = Client()
    response = client.get("/services/device/", {"code": case.query_code})
    assert response["Location"].endswith("?device=1")
    client.post(response["Location"], {"level": "very_satisfied", "device": "1"})
    assert Evaluation.objects.get().channel == "window_device"


def test_an_unknown_query_code_finds_nothing(db):
    assert Client().get("/services/progress/ABCDEFGHJK/").status_code == 404


def test_the_checklist_and_the_receipt_come_as_pdf(hall):
    item = make_item(org=hall.dept, name="食品经营许可证核发")
    checklist = Client().get(f"/services/guides/{item.code}/checklist/", {"format": "pdf"})
    assert checklist["Content-Type"] == "application/pdf" and checklist.content.startswith(b"%PDF")
    case = case_accept(actor=hall.approver, case=submit_online(item))
    client = Client()
    client.force_login(hall.approver)
    receipt = client.get(f"/staff/cases/{case.pk}/notice/", {"format": "pdf"})
    assert receipt.content.startswith(b"%PDF") and case.ref in receipt["Content-Disposition"]
