"""The documents keep the official layout: three tables with their merged header cells, CJK fonts named."""

from __future__ import annotations

import io

import pytest
from docx import Document

from zhengwu.reports.annual import render
from zhengwu.reports.annual.selectors import compute_annual_report
from zhengwu.reports.tests.annual_data import YEAR, seed_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def report():
    county, _other = seed_all()
    return compute_annual_report(org=county["gov"], year=YEAR, scope="subtree")


def test_docx_has_the_three_official_tables(report):
    doc = Document(io.BytesIO(render.render_docx(report)))
    assert [len(t.rows) for t in doc.tables] == [14, 28, 4]
    assert [len(t.columns) for t in doc.tables] == [4, 10, 15]
    table_b = doc.tables[1]
    # Row "一、本年新收…": label across three merged columns, then the six columns and the total.
    cells = [c.text for c in table_b.rows[3].cells]
    assert cells[:3] == ["一、本年新收政府信息公开申请数量"] * 3
    assert cells[3:] == ["4", "5", "5", "3", "4", "3", "24"]
    assert doc.paragraphs[0].text == "甲县人民政府2025年政府信息公开工作年度报告"
    headings = [p.text for p in doc.paragraphs if p.text.endswith("情况") or p.text.endswith("事项")]
    assert headings[:2] == ["一、总体情况", "二、主动公开政府信息情况"]


def test_html_tables_and_pdf(report):
    html = render.render_html(report)
    assert html.count('<table class="ar-table') == 3
    assert 'rowspan="22"' in html  # 三、本年度办理结果 spans its 22 rows
    assert "本年收费金额（单位：万元）" in html and "0.0200" in html
    assert render.render_pdf(report).startswith(b"%PDF")


def test_docx_names_the_east_asian_fonts(report):
    import zipfile

    with zipfile.ZipFile(io.BytesIO(render.render_docx(report))) as z:
        xml = z.read("word/document.xml").decode()
    assert 'w:eastAsia="黑体"' in xml and 'w:eastAsia="仿宋_GB2312"' in xml
