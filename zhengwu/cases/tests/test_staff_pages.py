"""The staff pages: window intake in one submit, the list with state marks, the case page with its due-date
explanation and timeline, a stale page's action told clearly, supervision counts and the rectification to its end."""

import pytest
from django.test import Client

from zhengwu.cases.models import Case
from zhengwu.cases.services import case_conclude, evaluation_submit
from zhengwu.cases.states import CaseStatus
from zhengwu.cases.tests.factories import accepted_case, submit_online
from zhengwu.catalog.models import Mode
from zhengwu.catalog.tests.factories import make_item

pytestmark = pytest.mark.django_db


def _client(staff) -> Client:
    client = Client()
    client.force_login(staff)
    return client


def test_window_intake_shows_the_checklist_and_accepts_in_one_submit(hall, freeze):
    freeze("2025-09-29 09:30")
    item = make_item(org=hall.dept, window=hall.window, promised=10)
    client = _client(hall.window_staff)
    page = client.get("/staff/cases/intake/", {"window": hall.window.pk, "item": item.code})
    body = page.content.decode()
    assert page.status_code == 200 and "营业执照" in body and "原件 1 份" in body
    response = client.post(
        "/staff/cases/intake/",
        {
            "window": hall.window.pk,
            "item": item.code,
            "applicant_kind": "person",
            "applicant_name": "王五",
            "applicant_phone": "13800138000",
            "channel": "window",
            "received": [m.pk for m in item.current.materials.all()],
            "then": "accept",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/staff/cases/{case.pk}/"
    assert case.status == CaseStatus.ACCEPTED and case.visits == 1
    detail = client.get(response["Location"]).content.decode()
    assert "2025-10-20" in detail and "国庆节" in detail  # the due date and why
    assert "窗口收件" in detail and "受理" in detail  # the timeline


def test_unticked_materials_become_the_correction_list(hall):
    item = make_item(org=hall.dept, window=hall.window)
    first = item.current.materials.first()
    _client(hall.window_staff).post(
        "/staff/cases/intake/",
        {
            "window": hall.window.pk,
            "item": item.code,
            "applicant_kind": "person",
            "applicant_name": "王五",
            "channel": "window",
            "received": [first.pk],
            "then": "correction",
        },
    )
    case = Case.objects.get()
    assert case.status == CaseStatus.CORRECTION
    assert case.correction.missing == ["营业执照", "经营场所证明"]


def test_an_instant_item_is_concluded_from_the_intake_form(hall):
    item = make_item(org=hall.dept, window=hall.window, mode=Mode.INSTANT, statutory=0)
    _client(hall.window_staff).post(
        "/staff/cases/intake/",
        {
            "window": hall.window.pk,
            "item": item.code,
            "applicant_kind": "person",
            "applicant_name": "赵六",
            "channel": "window",
            "then": "instant",
        },
    )
    case = Case.objects.get()
    assert case.status == CaseStatus.CONCLUDED and case.on_site


def test_a_stale_page_gets_a_clear_message_and_changes_nothing(hall):
    case = submit_online(make_item(org=hall.dept, window=hall.window))
    approver, window = _client(hall.approver), _client(hall.window_staff)
    approver.post(f"/staff/cases/{case.pk}/act/accept/", {"expected": "submitted"})
    response = window.post(
        f"/staff/cases/{case.pk}/act/reject/", {"expected": "submitted", "reason": "材料不全"}, follow=True
    )
    assert "已被他人处理" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED


def test_the_list_marks_overdue_cases(hall, freeze):
    freeze("2025-09-01 09:00")
    accepted_case(hall, promised=2)
    freeze("2025-09-15 09:00")
    body = _client(hall.approver).get("/staff/cases/").content.decode()
    assert 'data-state="overdue"' in body


def test_supervision_counts_and_the_rectification_to_its_end(hall):
    case = case_conclude(actor=hall.approver, case=accepted_case(hall), decision="approved")
    rect = evaluation_submit(case=case, level="dissatisfied", channel="portal", comment="排队太久").rectification
    client = _client(hall.supervisor)
    page = client.get("/staff/cases/supervision/")
    assert page.status_code == 200 and case.ref in page.content.decode()
    live = client.get("/staff/cases/supervision/", HTTP_HX_REQUEST="true")
    assert 'data-testid="counts"' in live.content.decode() and "<html" not in live.content.decode()
    url = f"/staff/cases/rectifications/{rect.pk}/"
    client.post(url, {"action": "callback", "note": "已电话回访，申请人认可", "satisfied": "1"})
    client.post(url, {"action": "close", "summary": "增开窗口", "expected": "open"})
    rect.refresh_from_db()
    assert rect.status == "closed" and rect.callback_satisfied is True


def test_an_approver_does_not_see_the_intake_page(hall):
    assert _client(hall.approver).get("/staff/cases/intake/").status_code == 403


def test_a_case_concluded_late_stays_marked_overdue_on_its_page(hall, freeze):
    freeze("2025-09-01 09:00")
    case = accepted_case(hall, promised=2)
    freeze("2025-09-15 09:00")
    case_conclude(actor=hall.approver, case=case, decision="approved")
    freeze("2025-12-01 09:00")
    body = _client(hall.approver).get(f"/staff/cases/{case.pk}/").content.decode()
    assert 'class="due-date due-date--overdue"' in body


def test_the_outbox_shows_what_the_applicant_was_told(hall, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        accepted_case(hall)
    body = _client(hall.window_staff).get("/staff/cases/outbox/").content.decode()
    assert "已受理" in body and "138****8000" in body
