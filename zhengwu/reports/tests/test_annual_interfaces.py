"""The annual report through the CLI, the API, the staff pages and the portal."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from zhengwu.cli.common import run
from zhengwu.cli.main import build
from zhengwu.orgs.models import Role
from zhengwu.orgs.tests.factories import make_staff
from zhengwu.reports.models import AnnualReportVersion, VersionStatus
from zhengwu.reports.tests.annual_data import YEAR, seed_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def county(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    county, _other = seed_all()
    return county


def test_cli_json_for_the_county(county, capsys):
    code = county["gov"].code
    assert run(build(), ["report", "annual", "--org", code, "--year", str(YEAR), "--scope", "subtree"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["requests"]["new"]["total"] == 24
    assert data["review_litigation"]["reconsideration"]["pending"] == 1


def test_cli_writes_pdf_and_docx(county, tmp_path):
    code = county["gov"].code
    for fmt in ("pdf", "docx", "html"):
        out = tmp_path / f"r.{fmt}"
        args = ["report", "annual", "--org", code, "--year", str(YEAR), "--format", fmt, "-o", str(out)]
        assert run(build(), args) == 0
        assert out.stat().st_size > 1000
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    "extra",
    [
        ["--org", "nope", "--year", str(YEAR)],
        ["--org", "GOV", "--year", "1999"],
        ["--org", "GOV", "--year", "abc"],
        ["--org", "GOV", "--year", str(YEAR), "--scope", "county"],
        ["--org", "GOV", "--year", str(YEAR), "--format", "xls"],
    ],
)
def test_cli_bad_input_exits_2(county, extra):
    extra = [county["gov"].code if a == "GOV" else a for a in extra]
    assert run(build(), ["report", "annual", *extra]) == 2


def test_api_returns_the_report_and_hides_other_counties(county):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(make_staff(org=county["gov"], role=Role.LEADER))
    url = reverse("v1:annual-report")
    response = client.get(url, {"org": county["gov"].code, "year": YEAR, "scope": "subtree"})
    assert response.status_code == 200
    assert response.json()["requests"]["carried_out"]["total"] == 3
    assert client.get(url, {"org": "nope", "year": YEAR}).status_code == 404
    assert client.get(url, {"org": county["gov"].code, "year": 1990}).status_code == 400
    window = APIClient()
    window.force_authenticate(make_staff(org=county["gov"], role=Role.WINDOW_STAFF))
    assert window.get(url, {"org": county["gov"].code, "year": YEAR}).status_code in (403, 404)


def test_staff_flow_draft_edit_publish_then_portal(county):
    officer = make_staff(org=county["gov"], role=Role.DISCLOSURE_OFFICER)
    client = Client()
    client.force_login(officer)
    gov = county["gov"]
    page = client.get(reverse("staff_annual_report:report", args=[gov.code, YEAR, "subtree"]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "与上年比较" in body and "结转下年度" in body and "通过" in body

    response = client.post(reverse("staff_annual_report:draft", args=[gov.code, YEAR, "subtree"]))
    version = AnnualReportVersion.objects.get()
    assert response.status_code == 302
    edit = reverse("staff_annual_report:version", args=[version.pk])
    assert client.post(edit, {"overview": "全年工作概述。", "problems": "问题。", "other": "其他。"}).status_code == 302
    assert client.get(reverse("staff_annual_report:download", args=[version.pk, "docx"])).status_code == 200

    assert client.post(reverse("staff_annual_report:publish", args=[version.pk])).status_code == 302
    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED

    public = Client()
    listing = public.get(reverse("portal_annual_report:list")).content.decode()
    assert "甲县人民政府2025年政府信息公开工作年度报告" in listing
    detail = public.get(reverse("portal_annual_report:detail", args=[version.pk])).content.decode()
    assert "全年工作概述。" in detail and "三、收到和处理政府信息公开申请情况" in detail
    pdf = public.get(reverse("portal_annual_report:download", args=[version.pk, "pdf"]))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_deadline_dashboard_lists_orgs_not_published(county):
    client = Client()
    client.force_login(make_staff(org=county["gov"], role=Role.SUPERVISOR))
    body = client.get(reverse("staff_annual_report:deadlines"), {"year": YEAR}).content.decode()
    assert county["dept2"].name in body and "未发布" in body
    assert county["center"].name not in body
