"""The legal documents of a request as DOCX, rendered from an editable template per document kind.

Phase 1 keeps the templates as files under `templates_docx/` (one per kind, `<kind>.docx`). The default templates are
generated in code the first time they are needed; an administrator may replace a file with an edited one that keeps
the `{{placeholder}}` names. Placeholders must not be split across formatting runs (type each one in one go).
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from pathlib import Path

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


def render_docx(kind: str, values: Mapping[str, str]) -> bytes:
    """The template of `kind` with every {{name}} replaced; an unknown name is left visible for the officer."""
    doc = Document(str(ensure_template(kind)))

    def fill(text: str) -> str:
        return PLACEHOLDER_RE.sub(lambda m: str(values.get(m.group(1), m.group(0))), text)

    paragraphs = list(doc.paragraphs)
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs.extend(cell.paragraphs)
    for paragraph in paragraphs:
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
