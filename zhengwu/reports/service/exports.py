"""The report as a file: JSON, XLSX (openpyxl) or a self-contained HTML page."""

from __future__ import annotations

import io
import json
from typing import Any

from django.template.loader import render_to_string

from zhengwu.reports.service.labels import FRACTIONS, LABELS, display


def report_json(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2)


def report_xlsx(report: dict[str, Any]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "service"
    ws.append(["机构", report["org"]["name"], report["org"]["code"]])
    ws.append(["期间", report["from"], report["to"]])
    ws.append(["范围", report["scope"]])
    ws.append([])
    ws.append(["代码", "指标", "数值"])
    for code, value in report["metrics"].items():
        if isinstance(value, dict):
            value = json.dumps(value, ensure_ascii=False)
        row = ws.max_row + 1
        ws.append([code, str(LABELS.get(code, code)), value])
        if code in FRACTIONS and value is not None:
            ws.cell(row=row, column=3).number_format = "0.00%"
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 28
    ws.column_dimensions["C"].width = 16
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def report_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"code": code, "label": LABELS.get(code, code), "value": display(code, value)}
        for code, value in report["metrics"].items()
    ]


def report_html(report: dict[str, Any]) -> str:
    return render_to_string("service_report/export.html", {"report": report, "rows": report_rows(report)})
