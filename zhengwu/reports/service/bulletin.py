"""The monthly service bulletin (政务服务月通报) as DOCX: the month's headline figures, departments and windows
ranked, the quarter's model windows when the month closes a quarter, and the hotline's figures."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from docx import Document

from zhengwu.orgs.models import Org
from zhengwu.reports.service.labels import LABELS, display
from zhengwu.reports.service.metrics import Period, compute_service_metrics
from zhengwu.reports.service.rankings import model_windows, quarter_period, ranking

HEADLINE = (
    "accepted",
    "concluded",
    "on_time_rate",
    "early_rate",
    "overdue_concluded",
    "overdue_open",
    "avg_accept_workdays",
    "avg_conclude_workdays",
    "same_day_rate",
    "zero_visit_rate",
    "at_most_one_visit_rate",
    "online_applied_rate",
    "evaluation_rate",
    "satisfaction_rate",
    "bad_reviews",
    "bad_review_rectified_rate",
)
HOTLINE = (
    "tickets",
    "answered_directly",
    "dispatched",
    "ticket_concluded_rate",
    "ticket_on_time_rate",
    "ticket_satisfaction_rate",
    "returns",
    "yellow_cards",
    "red_cards",
)
RANK_COLUMNS = ("concluded", "on_time_rate", "satisfaction_rate", "avg_conclude_workdays", "overdue_concluded")


def month_period(month: dt.date) -> Period:
    first = month.replace(day=1)
    following = dt.date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return Period(first, following - dt.timedelta(days=1))


def _ranking_table(doc: Any, rows: list[dict[str, Any]], first_column: str) -> None:
    table = doc.add_table(rows=1, cols=2 + len(RANK_COLUMNS))
    table.style = "Table Grid"
    header = table.rows[0].cells
    header[0].text, header[1].text = "名次", first_column
    for i, code in enumerate(RANK_COLUMNS):
        header[2 + i].text = str(LABELS[code])
    for row in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = str(row["rank"]), row["name"]
        for i, code in enumerate(RANK_COLUMNS):
            cells[2 + i].text = display(code, row["metrics"][code])


def bulletin_data(*, org: Org, month: dt.date) -> dict[str, Any]:
    period = month_period(month)
    data: dict[str, Any] = {
        "period": period,
        "report": compute_service_metrics(org=org, date_from=period.first, date_to=period.last, scope="subtree"),
        "departments": ranking(org=org, period=period, scope="subtree", by="org"),
        "windows": ranking(org=org, period=period, scope="subtree", by="window"),
        "model_windows": None,
    }
    if period.last.month % 3 == 0:
        quarter = quarter_period(f"{period.last.year}Q{period.last.month // 3}")
        data["quarter"] = quarter
        data["model_windows"] = model_windows(org=org, period=quarter)
    return data


def bulletin_docx(*, org: Org, month: dt.date) -> bytes:
    data = bulletin_data(org=org, month=month)
    period: Period = data["period"]
    m = data["report"]["metrics"]
    doc = Document()
    doc.add_heading(f"{org.name}政务服务工作通报（{period.first.year}年{period.first.month}月）", level=1)
    doc.add_paragraph(
        f"{period.first.month}月，全{org.short_name or org.name}受理办件 {m['accepted']} 件，办结 {m['concluded']} 件，"
        f"按时办结率 {display('on_time_rate', m['on_time_rate'])}，"
        f"平均办结时间 {display('avg_conclude_workdays', m['avg_conclude_workdays'])} 个工作日，"
        f"满意率 {display('satisfaction_rate', m['satisfaction_rate'])}。"
    )
    doc.add_heading("一、主要指标", level=2)
    table = doc.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "指标", "数值"
    for code in HEADLINE:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = str(LABELS[code]), display(code, m[code])
    doc.add_heading("二、部门排名", level=2)
    if data["departments"]:
        _ranking_table(doc, data["departments"], "部门")
    else:
        doc.add_paragraph("本月无办件。")
    doc.add_heading("三、窗口排名", level=2)
    if data["windows"]:
        _ranking_table(doc, data["windows"], "窗口")
    else:
        doc.add_paragraph("本月无窗口办件。")
    section = 4
    if data["model_windows"] is not None:
        quarter: Period = data["quarter"]
        doc.add_heading(f"四、{quarter.first.year}年第{(quarter.first.month + 2) // 3}季度红旗窗口", level=2)
        if data["model_windows"]:
            for row in data["model_windows"]:
                doc.add_paragraph(
                    f"{row['name']}：办结 {row['metrics']['concluded']} 件，"
                    f"按时办结率 {display('on_time_rate', row['metrics']['on_time_rate'])}，"
                    f"满意率 {display('satisfaction_rate', row['metrics']['satisfaction_rate'])}。",
                    style="List Bullet",
                )
        else:
            doc.add_paragraph("本季度没有达到评选条件的窗口。")
        section = 5
    doc.add_heading(f"{'四五'[section - 4]}、12345热线", level=2)
    table = doc.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "指标", "数值"
    for code in HOTLINE:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = str(LABELS[code]), display(code, m[code])
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
