"""The monthly hotline bulletin (12345热线工作通报) as a DOCX a leader reads: totals, unit ranking, cards."""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING, Any

from zhengwu.hotline import policies as hp
from zhengwu.hotline.metrics import hotline_metrics, unit_ranking
from zhengwu.hotline.models import Card, Channel, TicketKind
from zhengwu.hotline.services.cards import month_bounds
from zhengwu.orgs import policies
from zhengwu.orgs.models import Org

if TYPE_CHECKING:
    from zhengwu.orgs.models import Staff


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.2f}%"


def bulletin_docx(*, actor: Staff | None, org: Org, month: dt.date) -> bytes:
    """The bulletin of `org`'s hotline for the month containing `month`."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    policies.require(actor, hp.SUPERVISE, org)
    first, last = month_bounds(month)
    m = hotline_metrics(org=org, first=first, last=last)
    ranking = unit_ranking(org=org, first=first, last=last)
    cards = list(Card.objects.filter(org=org, month=first).select_related("unit").order_by("color", "unit__name"))
    doc = Document()
    title = doc.add_heading(f"{org.name}12345政务服务便民热线工作通报", level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub = doc.add_paragraph(f"（{first.year}年{first.month}月）")
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER

    doc.add_heading("一、总体情况", level=1)
    kinds = "、".join(f"{k.label}{m['tickets_by_kind'].get(k.value, 0)}件" for k in TicketKind)
    channels = "、".join(f"{c.label}{m['tickets_by_channel'].get(c.value, 0)}件" for c in Channel)
    doc.add_paragraph(
        f"本月共受理群众诉求{m['tickets']}件，其中{kinds}；按来源分，{channels}。"
        f"话务员直接答复{m['answered_directly']}件，转办承办单位{m['dispatched']}件，退单{m['returns']}次。"
    )
    doc.add_paragraph(
        f"本月受理工单办结率{_pct(m['ticket_concluded_rate'])}，按期办结率{_pct(m['ticket_on_time_rate'])}，"
        f"回访满意率{_pct(m['ticket_satisfaction_rate'])}。"
    )

    doc.add_heading("二、承办单位办理情况", level=1)
    if ranking:
        table = doc.add_table(rows=1, cols=7)
        table.style = "Table Grid"
        for cell, text in zip(
            table.rows[0].cells, ["序号", "承办单位", "转办件", "办结件", "超期答复", "退单", "满意率"], strict=True
        ):
            cell.text = text
        for i, r in enumerate(ranking, start=1):
            values: list[Any] = [
                i,
                r["unit"],
                r["handled"],
                r["concluded"],
                r["late"],
                r["returns"],
                _pct(r["satisfaction_rate"]),
            ]
            for cell, value in zip(table.add_row().cells, values, strict=True):
                cell.text = str(value)
    else:
        doc.add_paragraph("本月无转办工单。")

    doc.add_heading("三、亮牌情况", level=1)
    if cards:
        for c in cards:
            doc.add_paragraph(f"{c.unit.name}：{c.get_color_display()}。{c.record}", style="List Bullet")
    else:
        doc.add_paragraph("本月无单位被亮牌。")
    doc.add_paragraph("口径说明：各项指标按《服务指标规范》（spec/service-metrics.md）统计，日期以北京时间计。")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
