"""The annual report's figures for a county with its departments, against figures worked out by hand."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhengwu.core.errors import InvalidInput
from zhengwu.disclosure.states import Outcome
from zhengwu.reports.annual.selectors import compute_annual_report
from zhengwu.reports.tests.annual_data import OUTCOME_KIND, YEAR, seed_all

pytestmark = pytest.mark.django_db

COLS = ("natural_person", "enterprise", "research", "public_welfare", "legal_service", "other_org", "total")


def row(*values: int) -> dict[str, int]:
    return dict(zip(COLS, values, strict=True))


@pytest.fixture
def county():
    county, _other = seed_all()
    return county


def test_county_subtree_request_table_matches_hand_count(county):
    report = compute_annual_report(org=county["gov"], year=YEAR, scope="subtree")
    t = report["requests"]
    # 21 outcome requests + one received in December answered in January + one left open + the transferred one.
    # The 21 spread over the columns as 4, 4, 4, 3, 3, 3.
    assert t["new"] == row(4, 5, 5, 3, 4, 3, 24)
    # Received in December 2024: one answered in January, one still open.
    assert t["carried_in"] == row(2, 0, 0, 0, 0, 0, 2)
    # `open`: the 21's own, the carried-in one answered in January, and the transferred request at dept2.
    assert t["open"] == row(2, 1, 0, 0, 0, 0, 3)
    assert t["partial"] == row(0, 1, 0, 0, 0, 0, 1)
    assert t["withheld.state_secret"] == row(0, 0, 1, 0, 0, 0, 1)
    assert t["other.other"] == row(0, 0, 1, 0, 0, 0, 1)
    for code, kind in OUTCOME_KIND.items():
        if code == Outcome.OPEN:
            continue
        expected = dict.fromkeys(COLS, 0) | {kind: 1, "total": 1}
        assert t[code] == expected, code
    assert t["concluded_total"] == row(5, 5, 4, 3, 3, 3, 23)
    # Still open on 31 Dec: the 2024 one, the one received in December, the one answered in January 2026.
    assert t["carried_out"] == row(1, 0, 1, 0, 1, 0, 3)
    checks = {c["code"]: c["ok"] for c in report["checks"]}
    assert checks == {
        "carried_out": True,
        "requests_row_totals": True,
        "concluded_total": True,
        "review_litigation_totals": True,
    }


def test_self_scope_counts_only_the_government_itself(county):
    t = compute_annual_report(org=county["gov"], year=YEAR, scope="self")["requests"]
    assert t["new"] == row(0, 0, 1, 0, 0, 0, 1)
    assert t["carried_in"] == row(1, 0, 0, 0, 0, 0, 1)
    assert t["open"] == row(1, 0, 0, 0, 0, 0, 1)
    assert t["concluded_total"]["total"] == 1
    assert t["carried_out"] == row(0, 0, 1, 0, 0, 0, 1)


def test_department_report_after_transfer(county):
    # The request transferred away from dept is counted by dept2 only.
    t = compute_annual_report(org=county["dept"], year=YEAR, scope="self")["requests"]
    assert t["new"]["total"] == 1  # the legal-service request received in December
    assert t["carried_in"]["total"] == 1
    assert t["concluded_total"]["total"] == 0
    assert t["carried_out"]["total"] == 2


def test_disputes_pending_at_year_end(county):
    c = compute_annual_report(org=county["gov"], year=YEAR, scope="subtree")["review_litigation"]
    assert c == {
        "reconsideration": {"upheld": 1, "corrected": 1, "other": 0, "pending": 1, "total": 3},
        "litigation_direct": {"upheld": 0, "corrected": 0, "other": 1, "pending": 1, "total": 2},
        "litigation_after_reconsideration": {"upheld": 0, "corrected": 1, "other": 0, "pending": 0, "total": 1},
    }


def test_proactive_table(county):
    p = compute_annual_report(org=county["gov"], year=YEAR, scope="subtree")["proactive"]
    assert p == {
        "regulation": {"issued": 1, "repealed": 0, "in_force": 1},
        # Issued: two in 2025; repealed: the 2023 one; in force on 31 Dec: 2024's and both of 2025's.
        "normative_document": {"issued": 2, "repealed": 1, "in_force": 3},
        # Two licensing decisions (one at 23:30 on 31 Dec local time); the 00:30 1 January one is next year's.
        "licensing": {"decisions": 2},
        "punishment": {"decisions": 2},
        "coercion": {"decisions": 1},
        # 120.50 + 0 + 79.50 yuan = 200 yuan = 0.0200 万元.
        "administrative_fee": {"amount_10k_yuan": "0.0200"},
    }


def test_sections_drafted_from_figures(county):
    s = compute_annual_report(org=county["gov"], year=YEAR, scope="subtree")["sections"]
    assert "本年度共新收政府信息公开申请24件，上年结转2件" in s["overview"]
    assert "结转下年度继续办理3件" in s["overview"]
    # Section 六: one fee paid (100 yuan); the waived one is not charged.
    assert s["other"] == "本年度共对1件政府信息公开申请收取信息处理费，合计100.00元。"


def test_every_row_and_cell_present_with_zeros_and_json_serialisable(db):
    from zhengwu.orgs.tests.factories import make_county

    gov = make_county("丙县")["gov"]
    report = compute_annual_report(org=gov, year=YEAR, scope="subtree")
    json.dumps(report, ensure_ascii=False)
    assert set(report) == {"org", "year", "scope", "proactive", "requests", "review_litigation", "checks", "sections"}
    assert len(report["requests"]) == 25
    assert all(set(r) == set(COLS) and not any(r.values()) for r in report["requests"].values())
    assert len(report["review_litigation"]) == 3
    assert report["proactive"]["administrative_fee"] == {"amount_10k_yuan": "0.0000"}
    assert set(report["sections"]) == {"overview", "problems", "other"}
    assert report["sections"]["other"] == "本年度未收取政府信息公开信息处理费。"


def test_a_handful_of_aggregate_queries(county):
    with CaptureQueriesContext(connection) as ctx:
        compute_annual_report(org=county["gov"], year=YEAR, scope="subtree")
    assert len(ctx.captured_queries) <= 6


@pytest.mark.parametrize(("year", "scope"), [(2007, "self"), (2999, "self"), (YEAR, "everything")])
def test_bad_parameters_refused(db, year, scope):
    from zhengwu.orgs.tests.factories import make_org

    with pytest.raises(InvalidInput):
        compute_annual_report(org=make_org(), year=year, scope=scope)
