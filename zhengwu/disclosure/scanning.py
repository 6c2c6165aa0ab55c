"""Personal data in text about to be published: ID numbers with a valid check digit, mobiles, bank cards; and the
masked copy the officer may publish instead — of the body and of DOCX and XLSX attachments. Also HTML sanitising for
publication bodies."""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import nh3

from zhengwu.core.masking import ID_NUMBER_RE, MOBILE_RE, id_number_valid, mask_id_number, mask_phone

BANK_CARD_RE = re.compile(r"(?<![0-9])(?:62|4[0-9]|5[1-5]|9[0-9])[0-9]{14,17}(?![0-9])")

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "h2", "h3", "h4", "ul", "ol", "li", "table", "thead", "tbody",
    "tr", "th", "td", "a", "blockquote", "span", "div", "sub", "sup", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan", "scope"}}


@dataclass(frozen=True)
class Hit:
    kind: str  # id_number | mobile | bank_card
    value: str
    masked: str
    where: str  # "正文" or an attachment's name

    @property
    def label(self) -> str:
        return {"id_number": "身份证号码", "mobile": "手机号码", "bank_card": "银行卡号"}[self.kind]


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def mask_bank_card(value: str) -> str:
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def scan_personal_data(text: str, *, where: str = "正文") -> list[Hit]:
    hits: list[Hit] = []
    for m in ID_NUMBER_RE.finditer(text):
        if id_number_valid(m.group()):
            hits.append(Hit("id_number", m.group(), mask_id_number(m.group()), where))
    for m in MOBILE_RE.finditer(text):
        hits.append(Hit("mobile", m.group(), mask_phone(m.group()), where))
    for m in BANK_CARD_RE.finditer(text):
        if luhn_valid(m.group()) and not any(h.value == m.group() for h in hits):
            hits.append(Hit("bank_card", m.group(), mask_bank_card(m.group()), where))
    return hits


def mask_personal_data(text: str) -> str:
    for hit in scan_personal_data(text):
        text = text.replace(hit.value, hit.masked)
    return text


def mask_docx(data: bytes) -> bytes:
    """A copy of a DOCX with the personal data in its paragraphs, tables, headers and footers masked. A value that
    lies within one formatting run is replaced there; one split across runs puts the paragraph's masked text in its
    first run (that paragraph loses its mixed formatting, the rest of the document keeps it)."""
    from docx import Document

    doc = Document(io.BytesIO(data))
    for paragraph in _docx_paragraphs(doc):
        if not scan_personal_data(paragraph.text):
            continue
        for run in paragraph.runs:
            masked = mask_personal_data(run.text)
            if masked != run.text:
                run.text = masked
        if scan_personal_data(paragraph.text) and paragraph.runs:
            text = mask_personal_data(paragraph.text)
            paragraph.runs[0].text = text
            for run in paragraph.runs[1:]:
                run.text = ""
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def docx_scan_text(data: bytes) -> str:
    """The text of a DOCX the scan reads: every paragraph `mask_docx` masks, headers and footers included."""
    from docx import Document

    return "\n".join(p.text for p in _docx_paragraphs(Document(io.BytesIO(data))))


def _docx_paragraphs(doc: Any) -> Iterator[Any]:
    def walk(container: Any) -> Iterator[Any]:
        yield from container.paragraphs
        for table in container.tables:
            for row in table.rows:
                for cell in row.cells:
                    yield from walk(cell)  # cells hold paragraphs and nested tables

    yield from walk(doc)
    for section in doc.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            yield from walk(part)


def mask_xlsx(data: bytes) -> bytes:
    """A copy of an XLSX with the personal data in its cells masked; a number that is a mobile or bank card number
    becomes its masked text."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, bool) or not isinstance(value, str | int):
                    continue
                text = str(value)
                masked = mask_personal_data(text)
                if masked != text:
                    cell.value = masked
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def sanitise_html(raw: str) -> str:
    """Rich text as the public may see it: no scripts, no event handlers, no javascript: links."""
    return nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


_TAG_RE = re.compile(r"<[^>]+>")


def html_to_text(body: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(_TAG_RE.sub(" ", body))).strip()
