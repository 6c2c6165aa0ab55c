"""The officer's pages: the workbench lists open requests by due date with the explanation; the request page offers
only the allowed actions and runs them; publications show personal-data hits before publishing."""

from __future__ import annotations

import pytest
from django.test import Client

from zhengwu.disclosure.models import Publication
from zhengwu.disclosure.services import publications as pub_svc
from zhengwu.disclosure.tests.factories import d, frozen, make_officer, make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(county):
    return make_officer(county["dept"])


@pytest.fixture
def web(officer):
    client = Client()
    client.force_login(officer)
    return client


def test_workbench_lists_open_requests_by_due_date_with_marks(county, officer, web):
    later = make_request(org=county["dept"], actor=officer, received_on=d("2025-03-10"), applicant_name="李四")
    sooner = make_request(org=county["dept"], actor=officer, received_on=d("2025-03-03"), applicant_name="张三")
    with frozen(d("2025-04-01")):
        page = web.get("/staff/disclosure/")
    body = page.content.decode()
    assert page.status_code == 200
    assert body.index(sooner.ref) < body.index(later.ref)
    assert 'data-state="overdue"' in body  # sooner: due 31 Mar
    assert "期限如何计算" in body


def test_request_page_runs_a_clarification_and_shows_the_notice(county, officer, web):
    request = make_request(org=county["dept"], actor=officer, received_on=d("2025-03-03"))
    with frozen(d("2025-03-04")):
        page = web.get(f"/staff/disclosure/requests/{request.pk}/")
        assert 'data-action="clarify"' in page.content.decode()
        assert 'data-action="fee_pay"' not in page.content.decode()
        done = web.post(
            f"/staff/disclosure/requests/{request.pk}/clarify/", {"items": "请写明文件名称", "expected": "processing"}
        )
    assert done.status_code == 302
    page = web.get(done["Location"]).content.decode()
    assert "补正告知书" in page and "待补正" in page


def test_stale_action_form_is_a_conflict(county, officer, web):
    request = make_request(org=county["dept"], actor=officer, received_on=d("2025-03-03"))
    with frozen(d("2025-03-04")):
        response = web.post(
            f"/staff/disclosure/requests/{request.pk}/consult/", {"third_party": "甲", "expected": "clarifying"}
        )
    assert response.status_code == 409


def test_publication_with_an_id_number_must_be_masked_before_publishing(county, officer, web):
    column = pub_svc.column_create(actor=officer, org=county["dept"], code="xzxk", name="行政许可")
    with frozen(d("2025-03-03")):
        pub = pub_svc.publication_create(
            actor=officer,
            org=county["dept"],
            column=column,
            title="关于营业执照办理的通知",
            formed_on=d("2025-03-03"),
            body="<p>申请人张三，身份证号11010519491231002X，电话13812345678。</p><script>alert(1)</script>",
        )
    assert "<script>" not in pub.body
    page = web.get(f"/staff/disclosure/publications/{pub.pk}/").content.decode()
    hits = page[page.index('data-testid="scan-hits"') :]
    hits = hits[: hits.index("</section>")]
    assert "110105********002X" in hits and "138****5678" in hits and "11010519491231002X" not in hits
    with frozen(d("2025-03-05")):
        refused = web.post(f"/staff/disclosure/publications/{pub.pk}/publish/", {"expected": "draft"})
        assert Publication.objects.get(pk=pub.pk).status == "draft"
        assert refused.status_code == 302
        web.post(f"/staff/disclosure/publications/{pub.pk}/publish/", {"expected": "draft", "masked": "on"})
    pub.refresh_from_db()
    assert pub.status == "published"
    assert "11010519491231002X" not in pub.body and "138****5678" in pub.body
    # and the public catalog finds it by a word of its title
    assert "关于营业执照办理的通知" in Client().get("/disclosure/?q=营业执照").content.decode()


def test_late_publication_is_flagged(county, officer):
    column = pub_svc.column_create(actor=officer, org=county["dept"], code="tzgg", name="通知公告")
    with frozen(d("2025-09-26")):
        pub = pub_svc.publication_create(
            actor=officer, org=county["dept"], column=column, title="通知", formed_on=d("2025-09-26")
        )
    with frozen(d("2025-10-31")):
        pub = pub_svc.publication_publish(actor=officer, publication=pub)
    assert pub.publish_workdays == 21 and pub.published_late  # 20 workdays end on 30 Oct 2025


def test_home_lists_the_officers_requests_and_stale_columns(county, officer, web):
    request = make_request(org=county["dept"], actor=officer, received_on=d("2025-03-03"))
    pub_svc.column_create(actor=officer, org=county["dept"], code="czxx", name="财政信息")
    with frozen(d("2025-03-28")):
        body = web.get("/staff/").content.decode()
    assert f"依申请公开 {request.ref}" in body
    assert "栏目更新" in body and "财政信息" in body


def test_supervisor_sees_the_workbench_but_no_actions(county, officer):
    from zhengwu.orgs.models import Role
    from zhengwu.orgs.tests.factories import make_staff

    request = make_request(org=county["dept"], actor=officer, received_on=d("2025-03-03"))
    supervisor = make_staff(org=county["gov"], role=Role.SUPERVISOR)
    client = Client()
    client.force_login(supervisor)
    assert request.ref in client.get("/staff/disclosure/").content.decode()
    page = client.get(f"/staff/disclosure/requests/{request.pk}/").content.decode()
    assert "data-action=" not in page
    response = client.post(f"/staff/disclosure/requests/{request.pk}/clarify/", {"items": "x"})
    assert response.status_code == 403


def test_clarifying_request_shows_the_applicants_deadline_not_an_old_due_date(county, officer, web):
    request = make_request(org=county["dept"], actor=officer, received_on=d("2025-03-03"))
    from zhengwu.disclosure.services import requests as svc

    with frozen(d("2025-03-04")):
        svc.request_ask_clarification(request=request, actor=officer, items="请写明文号", deadline=d("2025-04-30"))
    with frozen(d("2025-04-10")):  # past the original 31 Mar, still inside the applicant's period
        body = web.get("/staff/disclosure/").content.decode()
    row = body[body.index(f'data-ref="{request.ref}"') :]
    row = row[: row.index("</tr>")]
    assert "收到补正后重新起算" in row and "2025-04-30" in row and 'data-state="overdue"' not in row
