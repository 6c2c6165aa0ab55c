"""The legal documents of a request as DOCX, rendered from an editable template per document kind.

The default templates are files under `templates_docx/` (one per kind, `<kind>.docx`), generated in code the first
time they are needed. The disclosure office of an org may upload an edited template per kind (`DocumentTemplate`,
services/templates.py); it serves the org and the orgs under it that have none of their own. An edited template keeps
the kind's `{{placeholder}}` names, each typed within one formatting run (`template_problems` says what is wrong).
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from docx import Document
from docx.shared import Pt

from zhengwu.disclosure.states import DocumentKind

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates_docx"
PLACEHOLDER_RE = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")

_HEAD = ["{{org_name}}", "{{title}}", "{{doc_no}}", "{{applicant_name}}："]
_FOOT = ["", "{{org_name}}", "{{issued_on}}", "（申请编号：{{ref}}；查询码：{{query_code}}）"]
DEFAULT_TEXT: dict[str, list[str]] = {
    DocumentKind.ACKNOWLEDGEMENT: [
        "本机关于{{received_on}}收到您提交的政府信息公开申请，申请内容为：{{subject}}。",
        "根据《中华人民共和国政府信息公开条例》第三十三条，本机关将在收到申请之日起20个工作日内予以答复"
        "（答复期限：{{due_on}}）。如需延长答复期限的，将另行书面告知。",
    ],
    DocumentKind.CLARIFICATION: [
        "本机关于{{received_on}}收到您提交的政府信息公开申请。经审查，您的申请内容不明确，"
        "根据《中华人民共和国政府信息公开条例》第二十九条第三款，请您补正以下内容：",
        "{{items}}",
        "请于{{deadline}}前补正。答复期限自本机关收到补正后的申请之日起计算。"
        "无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。",
    ],
    DocumentKind.CONSULTATION: [
        "{{third_party}}：",
        "本机关收到关于“{{subject}}”的政府信息公开申请，该信息的公开可能损害您的合法权益。"
        "根据《中华人民共和国政府信息公开条例》第三十二条，现征求您的意见，请于{{deadline}}前书面提出。"
        "逾期未提出意见的，由本机关依照条例的规定决定是否公开。",
    ],
    DocumentKind.EXTENSION: [
        "本机关于{{received_on}}收到您提交的政府信息公开申请。因{{reason}}，不能在规定期限内答复。",
        "根据《中华人民共和国政府信息公开条例》第三十三条第二款，经政府信息公开工作机构负责人"
        "{{approved_by}}同意，答复期限延长{{workdays}}个工作日，至{{due_on}}。",
    ],
    DocumentKind.FEE_NOTICE: [
        "您申请的政府信息需收取信息处理费。依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），"
        "按{{method}}计收，计费依据：{{basis}}，金额：人民币{{amount}}元。",
        "请自收到本通知次日起20个工作日内（{{pay_by}}前）缴纳。逾期未缴纳的，视为放弃申请，本机关不再处理该申请。"
        "自本通知发出之日至缴费之日的期间，不计算在答复期限内。",
    ],
    DocumentKind.REPLY: [
        "本机关于{{received_on}}收到您提交的政府信息公开申请，申请内容为：{{subject}}。",
        "经审查，现答复如下：{{outcome}}。",
        "依据：{{legal_basis}}",
        "提供的信息：{{delivered_items}}",
        "如对本答复不服，可以在收到本答复之日起60日内依法申请行政复议，或者在6个月内依法提起行政诉讼。",
    ],
}


def template_path(kind: str) -> Path:
    return TEMPLATE_DIR / f"{kind}.docx"


def _default_template(kind: str) -> bytes:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.size = Pt(14)
    for line in [*_HEAD, *DEFAULT_TEXT[kind], *_FOOT]:
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def ensure_template(kind: str) -> Path:
    path = template_path(kind)
    if not path.exists():
        TEMPLATE_DIR.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_default_template(kind))
    return path


def placeholder_names(kind: str) -> set[str]:
    """The `{{names}}` a template of `kind` may use: those of its default template."""
    return {m.group(1) for line in [*_HEAD, *DEFAULT_TEXT[kind], *_FOOT] for m in PLACEHOLDER_RE.finditer(line)}


def template_problems(kind: str, data: bytes) -> list[str]:
    """Why an uploaded file cannot serve as the template of `kind`; [] when it can."""
    try:
        doc = Document(io.BytesIO(data))
    except Exception:
        return [_("文件不是可以打开的 DOCX 文档。")]
    known = placeholder_names(kind)
    problems: list[str] = []
    for paragraph in _paragraphs(doc):
        text = paragraph.text
        if "{{" not in text and "}}" not in text:
            continue
        matches = list(PLACEHOLDER_RE.finditer(text))
        rest = PLACEHOLDER_RE.sub("", text)
        if "{{" in rest or "}}" in rest:
            at = rest.find("{{") if "{{" in rest else max(0, rest.find("}}") - 20)
            bad = rest[at : at + 30]
            problems.append(
                _("“%(text)s”不是有效的占位符：名称只能由小写英文字母和下划线组成，写成 {{name}}。") % {"text": bad}
            )
        bounds, pos = [], 0
        for run in paragraph.runs:
            bounds.append((pos, pos + len(run.text)))
            pos += len(run.text)
        for m in matches:
            name = m.group(1)
            if name not in known:
                problems.append(
                    _("占位符 {{%(name)s}} 不是本文书可用的名称（可用：%(known)s）。")
                    % {"name": name, "known": "、".join(sorted(known))}
                )
            if not any(start <= m.start() and m.end() <= end for start, end in bounds):
                problems.append(
                    _("占位符 {{%(name)s}} 被拆分在几段不同格式的文字中，请删除后一次输入完整的占位符。")
                    % {"name": name}
                )
    return problems


def _paragraphs(doc: Any) -> list[Any]:
    """Every paragraph a template may hold placeholders in: the body, tables (nested too), headers and footers."""

    def walk(container: Any) -> list[Any]:
        found = list(container.paragraphs)
        for table in container.tables:
            for row in table.rows:
                for cell in row.cells:
                    found.extend(walk(cell))
        return found

    paragraphs = walk(doc)
    for section in doc.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            if not part.is_linked_to_previous:  # reading an absent one would add it to the document
                paragraphs.extend(walk(part))
    return paragraphs


def render_docx(kind: str, values: Mapping[str, str], *, template: bytes | None = None) -> bytes:
    """The template of `kind` (`template`, else the default file) with every {{name}} replaced; an unknown name is
    left visible for the officer."""
    doc = Document(io.BytesIO(template)) if template is not None else Document(str(ensure_template(kind)))

    def fill(text: str) -> str:
        return PLACEHOLDER_RE.sub(lambda m: str(values.get(m.group(1), m.group(0))), text)

    for paragraph in _paragraphs(doc):
        if "{{" not in paragraph.text:
            continue
        runs = paragraph.runs
        if runs and all("{{" not in r.text or "}}" in r.text for r in runs):
            for run in runs:
                run.text = fill(run.text)
        else:  # a placeholder split across runs: keep the first run's formatting for the whole paragraph
            text = fill(paragraph.text)
            for run in runs[1:]:
                run.text = ""
            if runs:
                runs[0].text = text
            else:
                paragraph.add_run(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def docx_text(data: bytes) -> str:
    """All paragraph text of a DOCX (tests, and the personal-data scan of attachments)."""
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)
