"""Printable documents of the service hall (一次性告知单, 受理/不予受理/补正通知书) as PDF, from the same templates as
their HTML print pages, so the paper and the screen never differ."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

PRINT_MARKER = "/* Printed notices"


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import CSS, HTML

    html = render_to_string(template, {**context, "for_pdf": True})
    pdf: bytes = HTML(string=html).write_pdf(stylesheets=[CSS(string=_print_css())])
    return pdf


def _print_css() -> str:
    """The print part of cases.css (the screen rules mean nothing on paper)."""
    path = finders.find("zhengwu/cases.css")
    text = Path(path).read_text(encoding="utf-8") if isinstance(path, str) else ""
    marker = text.find(PRINT_MARKER)
    return text[marker:] if marker >= 0 else ""
