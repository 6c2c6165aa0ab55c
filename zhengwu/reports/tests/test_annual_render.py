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
    # Its three header rows repeat at the top of the next page when Word breaks the table.
    from docx.oxml.ns import qn

    repeated = [r._tr.trPr is not None and r._tr.trPr.find(qn("w:tblHeader")) is not None for r in table_b.rows]
    assert repeated[:4] == [True, True, True, False] and not any(repeated[4:])
    # The title on two lines, the org's name first (one line would leave 报告 alone on the second).
    assert doc.paragraphs[0].text == "甲县人民政府\n2025年政府信息公开工作年度报告"
    headings = [p.text for p in doc.paragraphs if p.text.endswith("情况") or p.text.endswith("事项")]
    assert headings[:2] == ["一、总体情况", "二、主动公开政府信息情况"]


def test_html_tables_and_pdf(report):
    html = render.render_html(report)
    assert html.count('<table class="ar-table') == 3
    # Each table's header rows are its <thead>, which the PDF repeats on a following page.
    assert html.count("<thead>") == 3 and html.count("</thead><tbody><tr><td") == 3
    assert 'rowspan="22"' in html  # 三、本年度办理结果 spans its 22 rows
    assert "本年收费金额（单位：万元）" in html and "0.0200" in html
    assert render.render_pdf(report).startswith(b"%PDF")


def test_docx_names_the_east_asian_fonts(report):
    import zipfile

    with zipfile.ZipFile(io.BytesIO(render.render_docx(report))) as z:
        xml = z.read("word/document.xml").decode()
    assert 'w:eastAsia="黑体"' in xml and 'w:eastAsia="仿宋_GB2312"' in xml


def _docx_parts(data: bytes) -> dict[str, bytes]:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def _deobfuscate(data: bytes, font_key: str) -> bytes:
    """ECMA-376 Part 1 §17.8.1, written out from the standard rather than taken from the code under test: the key's
    32 hex digits read two at a time from the right give 16 bytes, XOR-ed over the font's first 32 bytes."""
    digits = font_key.strip("{}").replace("-", "")
    key = [int(digits[i : i + 2], 16) for i in range(30, -1, -2)]
    return bytes(b ^ key[i % 16] for i, b in enumerate(data[:32])) + data[32:]


def test_docx_embeds_subsets_of_the_cjk_fonts_it_names(report):
    import os
    import re

    from docx.oxml.ns import qn
    from fontTools.ttLib import TTFont
    from lxml import etree

    from zhengwu.reports.annual import fonts

    if not all(fonts.find_font(s.family, s.style, s.files) for s in fonts.SUBSTITUTES.values()):
        if os.environ.get("CI"):
            pytest.fail("fonts-noto-cjk is not installed")
        pytest.skip("fonts-noto-cjk is not installed")
    parts = _docx_parts(render.render_docx(report))
    assert b"<w:embedTrueTypeFonts/>" in parts["word/settings.xml"]
    table = etree.fromstring(parts["word/fontTable.xml"])
    rels = etree.fromstring(parts["word/_rels/fontTable.xml.rels"])
    targets = {r.get("Id"): r.get("Target") for r in rels}
    assert b'Extension="odttf"' in parts["[Content_Types].xml"] or b".odttf" in parts["[Content_Types].xml"]

    # The characters each font sets, read from the document itself (a run without a font uses 仿宋_GB2312).
    document = etree.fromstring(parts["word/document.xml"])
    used: dict[str, set[str]] = {}
    for run in document.iter(qn("w:r")):
        fonts_el = run.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        name = (fonts_el.get(qn("w:eastAsia")) if fonts_el is not None else None) or "仿宋_GB2312"
        used.setdefault(name, set()).update("".join(t.text or "" for t in run.iter(qn("w:t"))))
    assert set(used) == {"仿宋_GB2312", "黑体", "方正小标宋简体"}

    total = 0
    for name, chars in used.items():
        (entry,) = [f for f in table.findall(qn("w:font")) if f.get(qn("w:name")) == name]
        embed = entry.find(qn("w:embedRegular"))
        assert embed is not None, name
        key = embed.get(qn("w:fontKey"))
        assert re.fullmatch(r"\{[0-9A-F]{8}-([0-9A-F]{4}-){3}[0-9A-F]{12}\}", key)
        stored = parts["word/" + targets[embed.get(qn("r:id"))]]
        total += len(stored)
        assert not stored.startswith(b"\x00\x01\x00\x00")  # obfuscated: not readable as a font as stored
        font = TTFont(io.BytesIO(_deobfuscate(stored, key)))
        assert "glyf" in font and "CFF " not in font  # TrueType outlines, which Word embeds
        assert font["name"].getDebugName(1) == name  # found under the name the runs use
        cmap = font.getBestCmap()
        cjk = {c for c in chars if ord(c) > 0x2E7F}
        assert cjk, name
        missing = sorted(c for c in cjk if ord(c) not in cmap)
        assert not missing, (name, missing)
        glyphs = font.getGlyphSet()
        assert all(glyphs[cmap[ord(c)]].width > 0 for c in cjk)  # a real glyph, not an empty one
    assert total < 400_000  # subsets: the full Noto CJK fonts are 19–27 MB


def _pdf_font_names(pdf: bytes) -> set[str]:
    import re
    import zlib

    names: set[str] = set()
    for m in re.finditer(rb"stream\r?\n", pdf):
        try:
            data = zlib.decompressobj().decompress(pdf[m.end() :])
        except zlib.error:
            continue
        names.update(n.decode() for n in re.findall(rb"/BaseFont\s*/([A-Za-z0-9+-]+)", data))
    return names


def test_pdf_is_set_in_small_subsets_of_the_cjk_fonts(report):
    """The PDF gets its fonts from fonts.pdf_font_faces: subsets covering every character of the document (WeasyPrint
    would otherwise cut down the whole 20–27 MB Noto fonts on every publication, about ten seconds each)."""
    import base64
    import html as html_lib
    import os
    import re

    from fontTools.ttLib import TTFont

    from zhengwu.reports.annual import fonts

    if not all(fonts.find_font(f, s, files) for _css, _w, f, s, files in fonts.PDF_FACES):
        if os.environ.get("CI"):
            pytest.fail("fonts-noto-cjk is not installed")
        pytest.skip("fonts-noto-cjk is not installed")
    text = html_lib.unescape(re.sub(r"<[^>]*>", "", render.render_html(report)))
    faces = fonts.pdf_font_faces(text)
    datas = re.findall(r"base64,([A-Za-z0-9+/=]+)", faces)
    assert len(datas) == 3
    cjk = {c for c in text if ord(c) > 0x2E7F}
    for data in datas:
        cmap = TTFont(io.BytesIO(base64.b64decode(data))).getBestCmap()
        assert not sorted(c for c in cjk if ord(c) not in cmap)
    names = {n.split("+", 1)[-1] for n in _pdf_font_names(render.render_pdf(report))}
    assert names == {"ZhengwuSerif", "ZhengwuSerif-Bold", "ZhengwuSans"}
