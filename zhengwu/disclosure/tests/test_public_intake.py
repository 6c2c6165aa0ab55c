"""The citizen's side: the request form on the portal and the public API — idempotent, rate limited, followed by
query code; the documents issued are downloadable with the code."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from zhengwu.api.tests.conftest import token_client
from zhengwu.disclosure.models import DisclosureRequest
from zhengwu.disclosure.services import requests as svc
from zhengwu.disclosure.states import RequestStatus
from zhengwu.disclosure.tests.factories import d, frozen, make_officer

pytestmark = pytest.mark.django_db

TOKEN = "0123456789abcdef0123456789abcdef"


@pytest.fixture(autouse=True)
def _clear_throttle():
    cache.clear()
    yield
    cache.clear()


def _body(org, **extra):
    return {
        "org": org.code,
        "applicant_kind": "natural_person",
        "applicant_name": "王小明",
        "contact_phone": "13800001111",
        "subject": "本县2025年城区供水管网改造项目的环评批复",
        "delivery_form": "email",
        "contact_email": "wang@example.com",
        **extra,
    }


def test_retried_submission_returns_the_first_request(county):
    client = APIClient()
    first = client.post(
        "/api/v1/disclosure/public/requests/", _body(county["dept"]), HTTP_IDEMPOTENCY_KEY=TOKEN, format="json"
    )
    again = client.post(
        "/api/v1/disclosure/public/requests/", _body(county["dept"]), HTTP_IDEMPOTENCY_KEY=TOKEN, format="json"
    )
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["query_code"] == again.json()["query_code"]
    assert DisclosureRequest.objects.count() == 1
    assert first.json()["status"] == RequestStatus.SUBMITTED
    assert first.json()["received_on"] is None  # online: received when the office confirms (第三十一条)


def test_same_token_with_a_different_request_is_a_conflict(county):
    client = APIClient()
    client.post("/api/v1/disclosure/public/requests/", _body(county["dept"]), HTTP_IDEMPOTENCY_KEY=TOKEN, format="json")
    other = client.post(
        "/api/v1/disclosure/public/requests/",
        _body(county["dept"], subject="另一件事"),
        HTTP_IDEMPOTENCY_KEY=TOKEN,
        format="json",
    )
    assert other.status_code == 409
    assert other.json()["code"] == "idempotency_conflict"
    assert DisclosureRequest.objects.count() == 1


def test_public_intake_is_rate_limited_per_address(county, monkeypatch):
    from zhengwu.api.throttling import PublicThrottle

    monkeypatch.setattr(PublicThrottle, "THROTTLE_RATES", {"public_intake": "10/min"})
    client = APIClient()
    statuses = [
        client.post(
            "/api/v1/disclosure/public/requests/",
            _body(county["dept"]),
            HTTP_IDEMPOTENCY_KEY=f"{TOKEN[:-2]}{i:02d}",
            format="json",
        ).status_code
        for i in range(12)
    ]
    assert statuses[:10] == [201] * 10
    assert statuses[10] == 429


def test_citizen_files_on_the_portal_and_follows_with_the_query_code(county):
    # given a citizen on the portal's request form
    web = Client()
    form = web.get("/disclosure/apply/")
    assert form.status_code == 200
    token = form.context["form"].initial["client_token"]
    with frozen(d("2025-09-26")):
        response = web.post("/disclosure/apply/", {**_body(county["dept"]), "client_token": token})
    assert response.status_code == 302
    request = DisclosureRequest.objects.get()
    page = web.get(response["Location"])
    assert request.query_code[:5] in page.content.decode()
    # when the officer confirms receipt and replies partially
    officer = make_officer(county["dept"])
    with frozen(d("2025-09-26")):
        request = svc.request_acknowledge(request=request, actor=officer)
    assert request.due_on == d("2025-10-30")
    with frozen(d("2025-10-20")):
        svc.request_reply(
            request=request,
            actor=officer,
            outcome="partial",
            legal_basis="条例第三十七条",
            delivered_items="环评批复（删去个人信息）",
        )
    # then the progress page shows the reply and its documents, downloadable with the code only
    page = web.get(f"/disclosure/progress/?code={request.query_code}")
    body = page.content.decode()
    assert "部分公开" in body and "政府信息公开申请答复书" in body and "登记回执" in body
    doc = request.documents.get(kind="reply")
    download = web.get(f"/disclosure/progress/{request.query_code}/documents/{doc.pk}/")
    assert download.status_code == 200
    assert web.get(f"/disclosure/progress/ZZZZZZZZZZ/documents/{doc.pk}/").status_code == 404


def test_wrong_query_code_is_not_found(county):
    assert Client().get("/disclosure/progress/?code=ABCDE-FGHJK").status_code == 404


def test_staff_api_runs_each_step_and_shows_the_clock(county):
    officer = make_officer(county["dept"])
    api = token_client(officer)
    with frozen(d("2025-03-03")):
        created = api.post(
            "/api/v1/disclosure/requests/",
            {
                "org": county["dept"].code,
                "channel": "mail",
                "applicant_kind": "enterprise",
                "applicant_name": "某某建设有限公司",
                "subject": "施工许可档案",
                "signed_on": "2025-03-03",
            },
            format="json",
        )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["clock"]["due_on"] == "2025-03-31"
    with frozen(d("2025-03-10")):
        step = api.post(
            f"/api/v1/disclosure/requests/{pk}/consult/",
            {"third_party": "某公司", "expected": "processing"},
            format="json",
        )
    assert step.status_code == 200 and step.json()["status"] == "consulting"
    with frozen(d("2025-03-10")):
        stale = api.post(
            f"/api/v1/disclosure/requests/{pk}/reply/",
            {"expected": "processing", "outcome": "open", "legal_basis": "x", "delivered_items": "y"},
            format="json",
        )
    assert stale.status_code == 409
