"""Personal data in text about to be published: ID numbers with a valid check digit, mobiles, bank cards; and the
masked copy the officer may publish instead. Also HTML sanitising for publication bodies."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

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
