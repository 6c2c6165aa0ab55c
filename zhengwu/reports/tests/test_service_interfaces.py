"""The service statistics through the CLI, the API and the staff pages: same figures, the error contract, scoping."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from django.test import Client
from openpyxl import load_workbook

from zhengwu.api.tests.conftest import assert_error, token_client
from zhengwu.catalog.tests.factories import make_item
from zhengwu.cli.common import run
from zhengwu.cli.main import build
from zhengwu.orgs import services as org_services
from zhengwu.orgs.models import Role, Scope
from zhengwu.orgs.tests.factories import make_county, make_staff
from zhengwu.reports.service.testing import Level, at, make_case

pytestmark = pytest.mark.django_db

SEPT = ["--from", "2025-09-01", "--to", "2025-09-30"]


@pytest.fixture
def world(county):
    hall = org_services.hall_create(actor=None, org=county["center"], name="甲县政务服务大厅")
    window = org_services.window_create(
        actor=None, hall=hall, number="A01", name="市场准入", departments=[county["dept"]]
    )
    item = make_item(org=county["dept"])
    # Due 15 Sep: one early (rated satisfied), one overdue (accepted 1 Aug, due 15 Aug).
    make_case(
        org=county["dept"],
        item=item,
        window=window,
        submitted=at("2025-09-01", "09:00"),
        accepted=at("2025-09-01", "09:00"),
        concluded=at("2025-09-01", "12:30"),
        evaluation=Level.SATISFIED,
    )
    make_case(
        org=county["dept"],
        item=item,
        window=window,
        submitted=at("2025-08-01", "09:00"),
        accepted=at("2025-08-01", "09:00"),
        concluded=at("2025-09-02", "09:00"),
    )
    other = make_county("乙县")
    make_case(org=other["dept"], item=make_item(org=other["dept"], name="乙县事项"), submitted=at("2025-09-03"))
    return {
        "county": county,
        "other": other,
        "leader": make_staff(org=county["gov"], role=Role.LEADER),
        "window_staff": make_staff(org=county["center"], role=Role.WINDOW_STAFF),
        "self_supervisor": make_staff(org=county["dept"], role=Role.SUPERVISOR, scope=Scope.SELF),
    }


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = run(build(), args)
    out, err = capsys.readouterr()
    return status, out, err


def test_cli_json_has_the_spec_shape(world, capsys):
    status, out, _ = _cli(
        ["report", "service", "--org", world["county"]["gov"].code, *SEPT, "--scope", "subtree"], capsys
    )
    assert status == 0
    report = json.loads(out)
    assert report["from"] == "2025-09-01" and report["scope"] == "subtree"
    m = report["metrics"]
    assert (m["concluded"], m["on_time_rate"], m["overdue_concluded"], m["satisfaction_rate"]) == (2, 0.5, 1, 1.0)
    # 09:00 → 12:30 with lunch from 12:00: 180 minutes = 0.428571… workday; the other case 22 workdays.
    assert m["avg_conclude_workdays"] == round((180 / 420 + 22) / 2, 4)


def test_cli_xlsx_and_html(world, capsys, tmp_path):
    target = tmp_path / "s.xlsx"
    status, _, _ = _cli(
        ["report", "service", "--org", world["county"]["dept"].code, *SEPT, "--format", "xlsx", "-o", str(target)],
        capsys,
    )
    assert status == 0
    sheet = load_workbook(target).active
    rows = {r[0]: r[2] for r in sheet.iter_rows(values_only=True) if r and r[0]}
    assert rows["concluded"] == 2 and rows["on_time_rate"] == 0.5
    status, out, _ = _cli(
        ["report", "service", "--org", world["county"]["dept"].code, *SEPT, "--format", "html"], capsys
    )
    assert status == 0 and "按时办结率" in out and "50.00%" in out


@pytest.mark.parametrize(
    "args",
    [
        ["--from", "2025-13-01", "--to", "2025-09-30"],
        ["--from", "2025-09-30", "--to", "2025-09-01"],
        [*SEPT, "--scope", "everything"],
        [*SEPT, "--format", "pdf"],
    ],
)
def test_cli_bad_input_exits_2(world, capsys, args):
    status, _, _ = _cli(["report", "service", "--org", world["county"]["dept"].code, *args], capsys)
    assert status == 2


def test_cli_as_staff_cannot_read_another_countys_figures(world, capsys):
    leader = world["leader"].username
    status, out, err = _cli(["--as", leader, "report", "service", "--org", world["other"]["dept"].code, *SEPT], capsys)
    assert status == 2 and "乙县" not in out + err
    status, _, _ = _cli(["--as", leader, "report", "service", "--org", world["county"]["dept"].code, *SEPT], capsys)
    assert status == 0
    # A supervisor of one department alone cannot read the whole county, nor its subtree beyond what they cover.
    sup = world["self_supervisor"].username
    for org, scope in ((world["county"]["gov"].code, "self"), (world["county"]["dept"].code, "subtree")):
        status, _, _ = _cli(["--as", sup, "report", "service", "--org", org, *SEPT, "--scope", scope], capsys)
        assert status == 2, (org, scope)


def test_cli_bulletin(world, capsys, tmp_path):
    target = tmp_path / "b.docx"
    status, _, _ = _cli(
        ["report", "service-bulletin", "--org", world["county"]["gov"].code, "--month", "2025-09", "-o", str(target)],
        capsys,
    )
    assert status == 0 and zipfile.is_zipfile(target)


def test_api_returns_the_report(world):
    client = token_client(world["leader"])
    response = client.get(
        "/api/v1/reports/service",
        {"org": world["county"]["gov"].code, "from": "2025-09-01", "to": "2025-09-30", "scope": "subtree"},
    )
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"org", "from", "to", "scope", "metrics"}
    assert body["metrics"]["concluded"] == 2 and body["metrics"]["early_rate"] == 0.5
    assert body["metrics"]["bad_review_rectified_rate"] is None


def test_api_errors_follow_the_contract(world):
    client = token_client(world["leader"])
    base = {"org": world["county"]["dept"].code, "from": "2025-09-01", "to": "2025-09-30"}
    assert_error(client.get("/api/v1/reports/service", {**base, "from": "yesterday"}), 400, "invalid")
    assert_error(client.get("/api/v1/reports/service", {**base, "scope": "all"}), 400, "invalid")
    assert_error(client.get("/api/v1/reports/service", {**base, "to": "2025-08-01"}), 400, "invalid")
    body = assert_error(client.get("/api/v1/reports/service", {**base, "org": world["other"]["dept"].code}), 404)
    assert "乙县" not in json.dumps(body, ensure_ascii=False)
    assert_error(token_client(world["window_staff"]).get("/api/v1/reports/service", base), 404)
    assert_error(token_client(world["window_staff"]).get("/api/v1/reports/service"), 403)


def test_api_ranking(world):
    client = token_client(world["leader"])
    response = client.get(
        "/api/v1/reports/service/ranking",
        {
            "org": world["county"]["gov"].code,
            "from": "2025-09-01",
            "to": "2025-09-30",
            "scope": "subtree",
            "by": "window",
        },
    )
    assert response.status_code == 200
    rows = response.json()["rows"]
    assert [(r["rank"], r["name"], r["metrics"]["concluded"]) for r in rows] == [(1, "A01 市场准入", 2)]


def _page(world, path: str, **params: str):
    client = Client()
    client.force_login(world["leader"])
    query = {"org": world["county"]["gov"].code, "from": "2025-09-01", "to": "2025-09-30", "scope": "subtree"}
    return client.get(path, {**query, **params})


def test_dashboard_shows_the_figures_with_drill_down_links(world):
    response = _page(world, "/staff/reports/service/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "按时办结率" in html and "50.00%" in html and "<svg" in html
    assert "code=overdue_concluded" in html and "A01 市场准入" in html
    assert "乙县" not in html


def test_drill_down_lists_exactly_the_cases_behind_a_figure(world):
    case_link = re.compile(r'href="/staff/cases/\d+/"')
    html = _page(world, "/staff/reports/service/cases/", code="overdue_concluded").content.decode()
    assert len(case_link.findall(html)) == 1
    html = _page(world, "/staff/reports/service/cases/", code="concluded").content.decode()
    assert len(case_link.findall(html)) == 2
    assert _page(world, "/staff/reports/service/cases/", code="nonsense").status_code == 400


def test_rankings_bulletin_and_export_pages(world):
    assert "红旗窗口" in _page(world, "/staff/reports/service/rankings/").content.decode()
    response = _page(world, "/staff/reports/service/bulletin/", month="2025-09")
    assert response.status_code == 200 and zipfile.is_zipfile(io.BytesIO(response.content))
    response = _page(world, "/staff/reports/service/export/", format="json")
    assert json.loads(response.content)["metrics"]["concluded"] == 2


def test_pages_refuse_staff_without_the_permission_and_hide_other_counties(world):
    client = Client()
    client.force_login(world["window_staff"])
    assert client.get("/staff/reports/service/").status_code == 403
    client.force_login(world["leader"])
    response = client.get("/staff/reports/service/", {"org": world["other"]["gov"].code})
    assert response.status_code == 404 and "乙县" not in response.content.decode()
