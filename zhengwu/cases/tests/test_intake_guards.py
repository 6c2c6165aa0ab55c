"""Intake guards: a retried or double-clicked submission never makes a second case (the form's one-time token,
stored with the case, unique in the handling org) — on the portal's application form and the staff window intake;
the portal's application and correction upload forms are rate limited per address like the disclosure intake."""

import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zhengwu.cases.models import Case, CaseMaterial
from zhengwu.cases.services import Applicant, case_request_correction, case_submit
from zhengwu.cases.states import CaseStatus
from zhengwu.cases.tests.conftest import make_hall
from zhengwu.cases.tests.factories import PDF
from zhengwu.catalog.tests.factories import make_item
from zhengwu.core.errors import Conflict, InvalidInput
from zhengwu.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def _token(page: str) -> str:
    match = re.search(r'name="client_token" value="([^"]+)"', page)
    assert match, "the form carries a one-time token"
    return match.group(1)


def _application(item, token: str, name: str = "孙七") -> dict:
    material = item.current.materials.first()
    return {
        "applicant_kind": "person",
        "applicant_name": name,
        "applicant_phone": "13800138000",
        "client_token": token,
        f"m{material.pk}": SimpleUploadedFile("申请书.pdf", PDF, content_type="application/pdf"),
    }


def test_a_double_clicked_online_application_makes_one_case(hall):
    item = make_item(org=hall.dept, window=hall.window)
    client = Client()
    token = _token(client.get(f"/services/guides/{item.code}/apply/").content.decode())
    first = client.post(f"/services/guides/{item.code}/apply/", _application(item, token))
    again = client.post(f"/services/guides/{item.code}/apply/", _application(item, token))
    case = Case.objects.get()
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"] == f"/services/progress/{case.query_code}/"
    assert CaseMaterial.objects.count() == 1  # the retry's file is not stored again
    assert AuditEvent.objects.filter(action="case.submit").count() == 1
    assert case.client_token == token
    # A fresh form has a fresh token: the applicant's next application is a new case.
    other = _token(client.get(f"/services/guides/{item.code}/apply/").content.decode())
    assert other != token
    client.post(f"/services/guides/{item.code}/apply/", _application(item, other))
    assert Case.objects.count() == 2


def test_a_token_reused_for_another_application_is_refused(hall):
    item = make_item(org=hall.dept)
    token = "t" * 32
    Client().post(f"/services/guides/{item.code}/apply/", _application(item, token, name="孙七"))
    response = Client().post(f"/services/guides/{item.code}/apply/", _application(item, token, name="周八"))
    assert response.status_code == 400 and "该提交令牌已用于另一份申请" in response.content.decode()
    assert list(Case.objects.values_list("applicant_name", flat=True)) == ["孙七"]
    with pytest.raises(Conflict):
        case_submit(item=item, applicant=Applicant(name="周八", phone="13800138000"), client_token=token)
    with pytest.raises(InvalidInput):
        case_submit(item=item, applicant=Applicant(name="孙七", phone="13800138000"), client_token="short")


def test_the_token_is_unique_per_handling_org_not_everywhere(hall):
    other = make_hall("乙县")
    token = "k" * 32
    mine = case_submit(item=make_item(org=hall.dept), applicant=Applicant(name="孙七"), client_token=token)
    theirs = case_submit(item=make_item(org=other.dept), applicant=Applicant(name="孙七"), client_token=token)
    assert mine.pk != theirs.pk and Case.objects.count() == 2


def test_a_resubmitted_window_intake_registers_the_case_once(hall):
    item = make_item(org=hall.dept, window=hall.window, promised=10)
    client = Client()
    client.force_login(hall.window_staff)
    page = client.get("/staff/cases/intake/", {"window": hall.window.pk, "item": item.code}).content.decode()
    data = {
        "window": hall.window.pk,
        "item": item.code,
        "applicant_kind": "person",
        "applicant_name": "王五",
        "channel": "window",
        "received": [m.pk for m in item.current.materials.all()],
        "then": "accept",
        "client_token": _token(page),
    }
    first = client.post("/staff/cases/intake/", data)
    again = client.post("/staff/cases/intake/", data)
    case = Case.objects.get()
    assert first["Location"] == again["Location"] == f"/staff/cases/{case.pk}/"
    assert case.status == CaseStatus.ACCEPTED and case.visits == 1  # one visit, accepted once
    assert AuditEvent.objects.filter(action="case.register").count() == 1
    assert AuditEvent.objects.filter(action="case.accept").count() == 1


def _public_intake_rate(settings, rate: str) -> None:
    rest = dict(settings.REST_FRAMEWORK)
    rest["DEFAULT_THROTTLE_RATES"] = {**rest["DEFAULT_THROTTLE_RATES"], "public_intake": rate}
    settings.REST_FRAMEWORK = rest


def test_online_applications_are_rate_limited_per_address(hall, settings):
    _public_intake_rate(settings, "3/min")
    item = make_item(org=hall.dept)
    client = Client()
    statuses = [
        client.post(f"/services/guides/{item.code}/apply/", _application(item, f"{i:032d}")).status_code
        for i in range(4)
    ]
    assert statuses == [302, 302, 302, 429] and Case.objects.count() == 3
    refused = client.post(f"/services/guides/{item.code}/apply/", _application(item, "9" * 32))
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "提交过于频繁" in refused.content.decode()
    assert client.get(f"/services/guides/{item.code}/apply/").status_code == 200  # reading the form is not limited
    # Another address has its own budget.
    elsewhere = Client(REMOTE_ADDR="203.0.113.9")
    assert elsewhere.post(f"/services/guides/{item.code}/apply/", _application(item, "8" * 32)).status_code == 302


def test_correction_uploads_are_rate_limited_per_address(hall, settings):
    _public_intake_rate(settings, "2/min")
    item = make_item(org=hall.dept)
    case = case_submit(item=item, applicant=Applicant(name="孙七", phone="13800138000"))
    case_request_correction(actor=hall.approver, case=case, missing=["营业执照"])
    client = Client()
    url = f"/services/progress/{case.query_code}/correction/"
    assert client.post(url, {}).status_code == 302  # no file: told so on the progress page, still counted
    uploaded = client.post(url, {"files": [SimpleUploadedFile("执照.pdf", PDF, content_type="application/pdf")]})
    assert uploaded.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    refused = client.post(url, {"files": [SimpleUploadedFile("执照.pdf", PDF, content_type="application/pdf")]})
    assert refused.status_code == 429 and f"/services/progress/{case.query_code}/" in refused.content.decode()
    assert CaseMaterial.objects.filter(case=case).count() == 1
