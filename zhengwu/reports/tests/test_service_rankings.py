"""Rankings by department and window, the quarter's model windows by the configurable rule, the monthly bulletin."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document

from zhengwu.catalog.tests.factories import make_item
from zhengwu.orgs import services as org_services
from zhengwu.reports.service.bulletin import bulletin_docx
from zhengwu.reports.service.metrics import Period, compute_service_metrics
from zhengwu.reports.service.rankings import model_windows, quarter_period, ranking
from zhengwu.reports.service.testing import Level, at, make_case

pytestmark = pytest.mark.django_db

SEPT = Period(dt.date(2025, 9, 1), dt.date(2025, 9, 30))


@pytest.fixture
def hall(county):
    hall = org_services.hall_create(actor=None, org=county["center"], name="甲县政务服务大厅")
    w1 = org_services.window_create(actor=None, hall=hall, number="A01", name="市场准入", departments=[county["dept"]])
    w2 = org_services.window_create(actor=None, hall=hall, number="A02", name="不动产", departments=[county["dept2"]])
    good, slow = make_item(org=county["dept"]), make_item(org=county["dept2"])
    # dept at A01: two cases, both concluded early (due 15 Sep), both rated satisfied; 60 min each.
    for _ in range(2):
        make_case(
            org=county["dept"],
            item=good,
            window=w1,
            submitted=at("2025-09-01", "09:00"),
            accepted=at("2025-09-01", "09:00"),
            concluded=at("2025-09-01", "10:00"),
            evaluation=Level.SATISFIED,
        )
    # dept2 at A02: one on time, one overdue (accepted 1 Aug, due 15 Aug), one bad review.
    make_case(
        org=county["dept2"],
        item=slow,
        window=w2,
        submitted=at("2025-09-01", "09:00"),
        accepted=at("2025-09-01", "09:00"),
        concluded=at("2025-09-02", "09:00"),
        evaluation=Level.DISSATISFIED,
    )
    make_case(
        org=county["dept2"],
        item=slow,
        window=w2,
        submitted=at("2025-08-01", "09:00"),
        accepted=at("2025-08-01", "09:00"),
        concluded=at("2025-09-02", "09:00"),
    )
    return {"w1": w1, "w2": w2}


def test_departments_ranked_by_on_time_rate_then_satisfaction(county, hall):
    rows = ranking(org=county["gov"], period=SEPT, scope="subtree", by="org")
    assert [(r["rank"], r["key"]) for r in rows] == [(1, county["dept"].code), (2, county["dept2"].code)]
    first, second = rows[0]["metrics"], rows[1]["metrics"]
    assert (first["on_time_rate"], first["satisfaction_rate"]) == (1.0, 1.0)
    assert first["avg_conclude_workdays"] == round(60 / 420, 4)
    assert (second["on_time_rate"], second["satisfaction_rate"], second["bad_reviews"]) == (0.5, 0.0, 1)


def test_grouped_figures_add_up_to_the_whole(county, hall):
    rows = ranking(org=county["gov"], period=SEPT, scope="subtree", by="window")
    whole = compute_service_metrics(org=county["gov"], date_from=SEPT.first, date_to=SEPT.last, scope="subtree")
    assert [r["name"] for r in rows] == ["A01 市场准入", "A02 不动产"]
    assert sum(r["metrics"]["concluded"] for r in rows) == whole["metrics"]["concluded"] == 4
    assert whole["metrics"]["on_time_rate"] == 0.75


def test_model_windows_follow_the_rule_and_the_setting(county, hall, settings):
    q3 = quarter_period("2025Q3")
    assert (q3.first, q3.last) == (dt.date(2025, 7, 1), dt.date(2025, 9, 30))
    assert model_windows(org=county["gov"], period=q3) == []  # default rule: at least 10 concluded cases
    settings.ZHENGWU_MODEL_WINDOW_RULE = {"min_concluded": 2}
    chosen = model_windows(org=county["gov"], period=q3)
    assert [r["name"] for r in chosen] == ["A01 市场准入"]  # A02 has a bad review and an overdue case
    assert model_windows(org=county["gov"], period=q3, rule={"min_concluded": 2, "top": 0}) == []


def test_quarter_q4_ends_on_new_years_eve():
    q4 = quarter_period("2025q4")
    assert (q4.first, q4.last) == (dt.date(2025, 10, 1), dt.date(2025, 12, 31))


def test_monthly_bulletin_docx(county, hall, settings):
    settings.ZHENGWU_MODEL_WINDOW_RULE = {"min_concluded": 2}
    data = bulletin_docx(org=county["gov"], month=dt.date(2025, 9, 1))
    doc = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "2025年9月" in text and "办结 4 件" in text and "按时办结率 75.00%" in text
    assert "第3季度红旗窗口" in text and "A01 市场准入" in text
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert county["dept"].name in cells and "A02 不动产" in cells
