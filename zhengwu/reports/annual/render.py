"""The annual report as HTML, DOCX and PDF, all three from one description of the official tables' layout."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string

from zhengwu.disclosure.states import ApplicantKind

NUMERALS = "一二三四五六"
TITLE = "{name}{year}年政府信息公开工作年度报告"
SECTION_TITLES = {
    "overview": "一、总体情况",
    "proactive": "二、主动公开政府信息情况",
    "requests": "三、收到和处理政府信息公开申请情况",
    "review_litigation": "四、政府信息公开行政复议、行政诉讼情况",
    "problems": "五、存在的主要问题及改进情况",
    "other": "六、其他需要报告的事项",
}


@dataclass
class Cell:
    text: str
    colspan: int = 1
    rowspan: int = 1
    header: bool = False
    number: bool = False


Grid = list[list[Cell]]


def head_rows(grid: Grid) -> int:
    """How many rows at the top are all header cells: the rows a table repeats on each page it runs onto."""
    n = 0
    while n < len(grid) and all(cell.header for cell in grid[n]):
        n += 1
    return n


# Column widths in cm: the text block is 15.6 cm wide (A4 less the official margins). The DOCX sets them; the HTML
# gives them as percentages of the table's width.
WIDTHS_CM = {"a": [4.8, 3.6, 3.6, 3.6], "b": [1.4, 1.9, 4.9, *([1.06] * 7)], "c": [1.04] * 15}


def split_head(grid: Grid, widths_cm: list[float]) -> dict[str, Any]:
    n = head_rows(grid)
    total = sum(widths_cm)
    return {"head": grid[:n], "body": grid[n:], "widths": [f"{100 * w / total:.2f}%" for w in widths_cm]}


def _h(text: str, colspan: int = 1, rowspan: int = 1) -> Cell:
    return Cell(text, colspan, rowspan, header=True)


def _n(value: Any, colspan: int = 1) -> Cell:
    return Cell(str(value), colspan, number=True)


def table_a(proactive: dict[str, Any]) -> Grid:
    p = proactive
    grid: Grid = [
        [_h("第二十条第（一）项", 4)],
        [_h("信息内容"), _h("本年制发件数"), _h("本年废止件数"), _h("现行有效件数")],
    ]
    for code, label in (("regulation", "规章"), ("normative_document", "行政规范性文件")):
        grid.append([Cell(label), _n(p[code]["issued"]), _n(p[code]["repealed"]), _n(p[code]["in_force"])])
    grid += [
        [_h("第二十条第（五）项", 4)],
        [_h("信息内容"), _h("本年处理决定数量", 3)],
        [Cell("行政许可"), _n(p["licensing"]["decisions"], 3)],
        [_h("第二十条第（六）项", 4)],
        [_h("信息内容"), _h("本年处理决定数量", 3)],
        [Cell("行政处罚"), _n(p["punishment"]["decisions"], 3)],
        [Cell("行政强制"), _n(p["coercion"]["decisions"], 3)],
        [_h("第二十条第（八）项", 4)],
        [_h("信息内容"), _h("本年收费金额（单位：万元）", 3)],
        [Cell("行政事业性收费"), _n(p["administrative_fee"]["amount_10k_yuan"], 3)],
    ]
    return grid


_B_GROUPS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "（三）不予公开",
        [
            ("withheld.state_secret", "1.属于国家秘密"),
            ("withheld.prohibited_by_law", "2.其他法律行政法规禁止公开"),
            ("withheld.security_stability", "3.危及“三安全一稳定”"),
            ("withheld.third_party", "4.保护第三方合法权益"),
            ("withheld.internal_affairs", "5.属于三类内部事务信息"),
            ("withheld.process_info", "6.属于四类过程性信息"),
            ("withheld.enforcement_file", "7.属于行政执法案卷"),
            ("withheld.inquiry_matter", "8.属于行政查询事项"),
        ],
    ),
    (
        "（四）无法提供",
        [
            ("unavailable.not_held", "1.本机关不掌握相关政府信息"),
            ("unavailable.needs_creation", "2.没有现成信息需要另行制作"),
            ("unavailable.still_unclear", "3.补正后申请内容仍不明确"),
        ],
    ),
    (
        "（五）不予处理",
        [
            ("not_processed.petition", "1.信访举报投诉类申请"),
            ("not_processed.duplicate", "2.重复申请"),
            ("not_processed.publication", "3.要求提供公开出版物"),
            ("not_processed.excessive", "4.无正当理由大量反复申请"),
            ("not_processed.confirmation", "5.要求行政机关确认或重新出具已获取信息"),
        ],
    ),
    (
        "（六）其他处理",
        [
            ("other.no_clarification", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
            ("other.fee_unpaid", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
            ("other.other", "3.其他"),
        ],
    ),
]
_B_COLUMNS = [*ApplicantKind.values, "total"]


def table_b(requests: dict[str, dict[str, int]]) -> Grid:
    def nums(code: str) -> list[Cell]:
        return [_n(requests[code][c]) for c in _B_COLUMNS]

    grid: Grid = [
        [
            _h("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3),
            _h("申请人情况", 7),
        ],
        [_h("自然人", 1, 2), _h("法人或其他组织", 5), _h("总计", 1, 2)],
        [_h("商业企业"), _h("科研机构"), _h("社会公益组织"), _h("法律服务机构"), _h("其他")],
        [Cell("一、本年新收政府信息公开申请数量", 3), *nums("new")],
        [Cell("二、上年结转政府信息公开申请数量", 3), *nums("carried_in")],
    ]
    results_rows = 2 + sum(len(items) for _g, items in _B_GROUPS) + 1
    grid.append([Cell("三、本年度办理结果", 1, results_rows), Cell("（一）予以公开", 2), *nums("open")])
    grid.append([Cell("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 2), *nums("partial")])
    for group, items in _B_GROUPS:
        for i, (code, label) in enumerate(items):
            lead = [Cell(group, 1, len(items))] if i == 0 else []
            grid.append([*lead, Cell(label), *nums(code)])
    grid.append([Cell("（七）总计", 2), *nums("concluded_total")])
    grid.append([Cell("四、结转下年度继续办理", 3), *nums("carried_out")])
    return grid


def table_c(review: dict[str, dict[str, int]]) -> Grid:
    cells = ("upheld", "corrected", "other", "pending", "total")
    labels = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    return [
        [_h("行政复议", 5), _h("行政诉讼", 10)],
        [*(_h(label, 1, 2) for label in labels), _h("未经复议直接起诉", 5), _h("复议后起诉", 5)],
        [_h(label) for label in labels * 2],
        [
            _n(review[row][cell])
            for row in ("reconsideration", "litigation_direct", "litigation_after_reconsideration")
            for cell in cells
        ],
    ]


def title(report: dict[str, Any]) -> str:
    return TITLE.format(name=report["org"]["name"], year=report["year"])


def context(report: dict[str, Any]) -> dict[str, Any]:
    s = report["sections"]
    out: dict[str, Any] = {
        "report": report,
        "title": title(report),
        # Set on two lines, the org's name first: one line would leave 报告 alone on the second.
        "title_lines": [report["org"]["name"], title(report).removeprefix(report["org"]["name"])],
        "titles": SECTION_TITLES,
        "overview": [p for p in s["overview"].splitlines() if p.strip()],
        "problems": [p for p in s["problems"].splitlines() if p.strip()],
        "other": [p for p in s["other"].splitlines() if p.strip()],
        "table_a": table_a(report["proactive"]),
        "table_b": table_b(report["requests"]),
        "table_c": table_c(report["review_litigation"]),
    }
    # For HTML: the header rows in <thead>, which the PDF repeats when a table runs onto the next page.
    out["grids"] = {key: split_head(out[f"table_{key}"], WIDTHS_CM[key]) for key in ("a", "b", "c")}
    return out


def render_html(report: dict[str, Any], font_faces: str = "") -> str:
    """The standalone document (the PDF's source). `font_faces`: @font-face rules for its ZhengwuSerif and
    ZhengwuSans families (`fonts.pdf_font_faces`); without them the installed Noto CJK fonts are used."""
    return render_to_string("reports/annual_report/document.html", {**context(report), "font_faces": font_faces})


def render_pdf(report: dict[str, Any]) -> bytes:
    import html as html_lib
    import re

    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    from zhengwu.reports.annual.fonts import pdf_font_faces

    text = html_lib.unescape(re.sub(r"<[^>]*>", "", render_html(report)))
    font_config = FontConfiguration()  # registers the @font-face rules
    document = HTML(string=render_html(report, font_faces=pdf_font_faces(text)))
    pdf: bytes = document.write_pdf(font_config=font_config)
    return pdf


# --- DOCX ----------------------------------------------------------------------------------------------------
SONG = "仿宋_GB2312"
HEI = "黑体"
FALLBACK_SERIF = "Noto Serif CJK SC"


def _set_font(run_or_style: Any, east_asia: str, size_pt: float, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font = run_or_style.font
    font.name = "Times New Roman"
    font.size = Pt(size_pt)
    font.bold = bold
    element = run_or_style.element
    rpr = element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    rfonts.set(qn("w:eastAsia"), east_asia)


def _docx_grid(doc: Any, grid: Grid, widths_cm: list[float], font_pt: float) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm

    table = doc.add_table(rows=len(grid), cols=len(widths_cm))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for row in table.rows:  # Word reads each cell's width; set them before merging
        for i, cell in enumerate(row.cells):
            cell.width = Cm(widths_cm[i])
    for row in table.rows[: head_rows(grid)]:  # repeated at the top of each page the table runs onto
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(tr_pr.makeelement(qn("w:tblHeader"), {}))
    taken: set[tuple[int, int]] = set()
    for r, row in enumerate(grid):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            top_left = table.cell(r, c)
            bottom_right = table.cell(r + cell.rowspan - 1, c + cell.colspan - 1)
            target = top_left.merge(bottom_right) if (cell.rowspan, cell.colspan) != (1, 1) else top_left
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            paragraph = target.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if cell.header or cell.number else WD_ALIGN_PARAGRAPH.LEFT
            run = paragraph.add_run(cell.text)
            _set_font(run, HEI if cell.header else SONG, font_pt, bold=False)
            c += cell.colspan


def render_docx(report: dict[str, Any]) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    from zhengwu.reports.annual.fonts import embed_fonts

    ctx = context(report)
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    _set_font(doc.styles["Normal"], SONG, 16)

    def heading(text: str, east_asia: str = HEI, size: float = 16, center: bool = False) -> None:
        p = doc.add_paragraph()
        p.paragraph_format.first_line_indent = None if center else Pt(32)
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _set_font(p.add_run(text), east_asia, size)

    def body(text: str) -> None:
        p = doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(32)
        p.paragraph_format.line_spacing = Pt(28)
        _set_font(p.add_run(text), SONG, 16)

    title_paragraph = doc.add_paragraph()
    title_paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    org_line, rest = ctx["title_lines"]
    org_run = title_paragraph.add_run(org_line)
    _set_font(org_run, "方正小标宋简体", 22)
    org_run.add_break()
    _set_font(title_paragraph.add_run(rest), "方正小标宋简体", 22)
    body(
        "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《中华人民共和国政府信息公开工作年度报告格式》"
        "（国办公开办函〔2021〕30号）要求编制。"
    )
    heading(SECTION_TITLES["overview"])
    for text in ctx["overview"]:
        body(text)
    heading(SECTION_TITLES["proactive"])
    _docx_grid(doc, ctx["table_a"], WIDTHS_CM["a"], 10.5)
    heading(SECTION_TITLES["requests"])
    _docx_grid(doc, ctx["table_b"], WIDTHS_CM["b"], 9)
    heading(SECTION_TITLES["review_litigation"])
    _docx_grid(doc, ctx["table_c"], WIDTHS_CM["c"], 8)
    heading(SECTION_TITLES["problems"])
    for text in ctx["problems"]:
        body(text)
    heading(SECTION_TITLES["other"])
    for text in ctx["other"]:
        body(text)
    embed_fonts(doc, default=SONG)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
