"""条例第三十一条 receipt dates by channel, acknowledgement of online requests, transfer with history, the documents
issued at each step, and the due-date recompute when a year's holiday notice is loaded."""

from __future__ import annotations

import datetime as dt

import pytest

from zhengwu.core.errors import InvalidInput, PermissionDenied
from zhengwu.core.models import AuditEvent
from zhengwu.disclosure.documents import docx_text
from zhengwu.disclosure.models import DisclosureRequest
from zhengwu.disclosure.services import requests as svc
from zhengwu.disclosure.services.clock import receipt_date, request_due_dates_recompute
from zhengwu.disclosure.states import RequestStatus
from zhengwu.disclosure.tests.factories import d, frozen, make_officer, make_request
from zhengwu.orgs.models import Role
from zhengwu.orgs.tests.factories import make_staff

pytestmark = pytest.mark.django_db


def test_receipt_date_by_channel():
    day, signed, confirmed = d("2025-03-03"), d("2025-03-05"), d("2025-03-06")
    assert receipt_date(channel="in_person", submitted_on=day) == day
    assert receipt_date(channel="mail", submitted_on=day, signed_on=signed, confirmed_on=confirmed) == signed
    assert receipt_date(channel="mail", submitted_on=day, confirmed_on=confirmed) == confirmed  # 平常信函
    assert receipt_date(channel="online", submitted_on=day, confirmed_on=confirmed) == confirmed
    assert receipt_date(channel="fax", submitted_on=day, confirmed_on=confirmed) == confirmed
    with pytest.raises(InvalidInput):
        receipt_date(channel="fax", submitted_on=day)
    with pytest.raises(InvalidInput):
        receipt_date(channel="mail", submitted_on=day)


def test_online_request_counts_from_the_confirmation_day(county):
    officer = make_officer(county["dept"])
    with frozen(d("2025-09-30")):
        request, created = svc.request_submit(
            org=county["dept"],
            client_token="t" * 32,
            applicant_kind="natural_person",
            applicant_name="王小明",
            contact_phone="13800001111",
            subject="某文件",
        )
    assert created and request.status == RequestStatus.SUBMITTED and request.due_on is None
    # confirmed after the holiday: the 20 workdays count from 9 Oct 2025
    with frozen(d("2025-10-09")):
        request = svc.request_acknowledge(request=request, actor=officer)
    assert request.received_on == d("2025-10-09")
    assert request.due_on == d("2025-11-05")  # 11 Oct 2025 was a make-up Saturday
    text = docx_text(request.documents.get(kind="acknowledgement").file.read())
    assert "王小明" in text and "2025年10月9日" in text and "2025年11月5日" in text and "{{" not in text


def test_only_the_orgs_disclosure_officer_may_act(county):
    request = make_request(org=county["dept"], received_on=d("2025-03-03"))
    window = make_staff(org=county["dept"], role=Role.WINDOW_STAFF)
    other_dept_officer = make_officer(county["dept2"])
    for actor in (window, other_dept_officer):
        with frozen(d("2025-03-04")), pytest.raises(PermissionDenied):
            svc.request_ask_clarification(request=request, actor=actor, items="x")


def test_transfer_keeps_the_history_and_the_receiving_org_counts_from_arrival(county):
    officer = make_officer(county["dept"])
    request = make_request(org=county["dept"], actor=officer, received_on=d("2025-03-03"))
    with frozen(d("2025-03-05")):
        moved = svc.request_transfer(
            request=request, actor=officer, to_org=county["dept2"], reason="土地信息由自然资源局保存"
        )
    request.refresh_from_db()
    assert request.status == RequestStatus.TRANSFERRED
    assert moved.org == county["dept2"] and moved.transferred_from == request
    assert moved.received_on == d("2025-03-05") and moved.due_on == d("2025-04-02")
    assert moved.query_code != request.query_code
    assert AuditEvent.objects.filter(object_id=str(request.pk), action="disclosure.request_register").exists()
    assert AuditEvent.objects.filter(object_id=str(moved.pk), action="disclosure.request_transfer_in").exists()
    with pytest.raises(InvalidInput):
        svc.request_transfer(request=moved, actor=None, to_org=county["dept2"], reason="x")


def test_every_step_issues_its_document(county):
    officer = make_officer(county["dept"])
    request = make_request(org=county["dept"], actor=officer, received_on=d("2025-03-03"))
    with frozen(d("2025-03-04")):
        request = svc.request_ask_clarification(request=request, actor=officer, items="请写明文号")
    with frozen(d("2025-03-06")):
        request = svc.request_receive_clarification(request=request, actor=officer)
        request = svc.request_start_consultation(request=request, actor=officer, third_party="甲公司")
    with frozen(d("2025-03-10")):
        request = svc.request_end_consultation(request=request, actor=officer)
        request = svc.request_extend(request=request, actor=officer, workdays=5, approved_by="李主任", reason="档案")
        request = svc.fee_notice_issue(request=request, actor=officer, method="per_volume", pages=40)
    with frozen(d("2025-03-11")):
        request = svc.fee_notice_pay(request=request, actor=officer)
        request = svc.request_reply(
            request=request, actor=officer, outcome="open", legal_basis="条例第三十六条", delivered_items="文件"
        )
    kinds = sorted(request.documents.values_list("kind", flat=True))
    assert kinds == ["clarification", "consultation", "extension", "fee_notice", "reply"]
    fee = docx_text(request.documents.get(kind="fee_notice").file.read())
    assert "100.00" in fee  # 10 pages over the free 30 at 10 yuan
    reply = docx_text(request.documents.get(kind="reply").file.read())
    assert "予以公开" in reply and "条例第三十六条" in reply


def test_recompute_after_a_notice_changes_a_stored_due_date(county):
    request = make_request(org=county["dept"], received_on=d("2025-03-03"))
    DisclosureRequest.objects.filter(pk=request.pk).update(due_on=dt.date(2025, 3, 28))  # as if counted provisionally
    assert request_due_dates_recompute(years=range(2025, 2026), actor=None) == 1
    request.refresh_from_db()
    assert request.due_on == d("2025-03-31")
    assert AuditEvent.objects.filter(action="disclosure.due_recompute", object_id=str(request.pk)).exists()
    assert request_due_dates_recompute(years=range(2025, 2026), actor=None) == 0


def test_an_edited_template_is_used_for_the_next_document(county, tmp_path, monkeypatch):
    from docx import Document

    from zhengwu.disclosure import documents

    edited = Document()
    edited.add_paragraph("{{org_name}}（自定义格式）")
    edited.add_paragraph("{{applicant_name}}：您于{{received_on}}提出的申请已登记。")
    monkeypatch.setattr(documents, "TEMPLATE_DIR", tmp_path)
    edited.save(str(tmp_path / "acknowledgement.docx"))
    officer = make_officer(county["dept"])
    request = make_request(org=county["dept"], actor=officer, received_on=d("2025-03-03"))
    with frozen(d("2025-03-03")):
        request = svc.request_acknowledge(request=request, actor=officer)
    text = docx_text(request.documents.get(kind="acknowledgement").file.read())
    assert text.startswith(f"{county['dept'].name}（自定义格式）")
    assert "张三：您于2025年3月3日提出的申请已登记。" in text


def test_admin_pages_open_for_the_platform_operator(county):
    from django.test import Client

    from zhengwu.orgs.models import Staff

    admin = Staff.objects.create_superuser("root", password="x-very-long-password-1")
    client = Client()
    client.force_login(admin)
    make_request(org=county["dept"], received_on=d("2025-03-03"))
    for url in ("/admin/disclosure/column/", "/admin/disclosure/indexscheme/", "/admin/disclosure/disclosurerequest/"):
        assert client.get(url).status_code == 200, url
