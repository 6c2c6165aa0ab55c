"""Embed the DOCX's CJK fonts (ECMA-376 Part 1 §17.8), so the report reads the same on a computer without them.

The document names the official fonts (仿宋_GB2312 for the body, 黑体 for headings and table heads, 方正小标宋简体 for
the title). They are commercial and not on this server; the system's Noto CJK fonts (fonts-noto-cjk) stand in:
each is cut down to the characters set in that font (fontTools' subsetter), its CFF outlines are converted to
TrueType ones (Word embeds TrueType fonts; embedded CFF fonts are reported not to be used), its family is renamed to
the official name — readers find a run's font by that name — and it is stored obfuscated as
`word/fonts/fontN.odttf` (§17.8.1: the first 32 bytes XOR-ed with the key in `w:fontKey`). The font table keeps the
Noto family as `w:altName`. Word is meant to use an embedded font only where no installed font has its name, so an
office with the real 仿宋_GB2312 keeps seeing it; this has not been checked in Word itself (no Word or LibreOffice on
the build machine). The fonts' copyright and licence (SIL Open Font License) stay in their name tables, as the
licence requires.

If a Noto font is missing the document is written without that font embedded; nothing else changes.
"""

from __future__ import annotations

import functools
import hashlib
import io
import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts")
OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
RT_FONT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"
# CT_Settings children that come before w:embedTrueTypeFonts (ECMA-376 Part 1 §17.15.1.78, schema order).
_SETTINGS_BEFORE = {
    "writeProtection",
    "view",
    "zoom",
    "removePersonalInformation",
    "removeDateAndTime",
    "doNotDisplayPageBoundaries",
    "displayBackgroundShape",
    "printPostScriptOverText",
    "printFractionalCharacterWidth",
    "printFormsData",
}


@dataclass(frozen=True)
class Substitute:
    """The system font that stands in for an official font the document names."""

    family: str  # name ID 1 of the face in the font file
    style: str  # name ID 2
    files: tuple[str, ...]  # file names fonts-noto-cjk installs (a collection, or the single-language OTF)
    word_family: str  # w:family in the font table: roman (serif) or swiss (sans serif)


SUBSTITUTES: dict[str, Substitute] = {
    "仿宋_GB2312": Substitute(
        "Noto Serif CJK SC", "Regular", ("NotoSerifCJK-Regular.ttc", "NotoSerifCJKsc-Regular.otf"), "roman"
    ),
    "黑体": Substitute(
        "Noto Sans CJK SC", "Regular", ("NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf"), "swiss"
    ),
    "方正小标宋简体": Substitute(
        "Noto Serif CJK SC", "Bold", ("NotoSerifCJK-Bold.ttc", "NotoSerifCJKsc-Bold.otf"), "roman"
    ),
}


@functools.cache
def find_font(family: str, style: str, files: tuple[str, ...]) -> tuple[Path, int] | None:
    """The file and face index of the installed font `family` `style`, or None."""
    from fontTools.ttLib import TTCollection, TTFont

    for folder in FONT_DIRS:
        root = Path(folder).expanduser()
        if not root.is_dir():
            continue
        for filename in files:
            for path in sorted(root.rglob(filename)):
                faces = TTCollection(path, lazy=True).fonts if path.suffix == ".ttc" else [TTFont(path, lazy=True)]
                for index, face in enumerate(faces):
                    names = face["name"]
                    if names.getDebugName(1) == family and names.getDebugName(2) == style:
                        return path, index
    return None


def subset_font(path: Path, index: int, text: str, name: str) -> bytes:
    """A TrueType font with the glyphs of `text` only, named `name`."""
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    font = TTFont(path, fontNumber=index, lazy=True)
    for tag in ("GSUB", "GPOS", "BASE", "VORG", "vhea", "vmtx"):  # the report is set horizontally, no ligatures
        if tag in font:
            del font[tag]  # before subsetting, which would otherwise read them (a third of its time)
    options = subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.prune_codepage_ranges = False  # keep the GB2312 code page bit: Word reads it from the font table
    options.hinting = True  # CFF hints are dropped with the CFF outlines below; removing them first costs time
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)

    # CFF → glyf: cubic curves approximated by quadratic ones within 1 unit (of 1,000 per em).
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for glyph_name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[glyph_name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf.glyphs[glyph_name] = pen.glyph()
    del font["CFF "]
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.numGlyphs = len(order)
    for field in (
        "maxPoints",
        "maxContours",
        "maxCompositePoints",
        "maxCompositeContours",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
        "maxComponentDepth",
    ):
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    font["maxp"] = maxp  # the point and contour counts are recalculated on save
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font.sfntVersion = "\x00\x01\x00\x00"

    # One regular face of family `name`; copyright (0), version (5), trademark (7) and licence (13, 14) stay.
    original = f"{font['name'].getDebugName(1)} {font['name'].getDebugName(2)}"
    table = font["name"]
    for name_id in (1, 2, 3, 4, 6, 16, 17):
        table.removeNames(nameID=name_id)
    postscript = "Subset-" + "".join(c for c in original if c.isalnum())
    for lang in (0x409, 0x804):  # English (United States) and Chinese (PRC): a reader may look up either
        table.setName(name, 1, 3, 1, lang)
        table.setName("Regular", 2, 3, 1, lang)
        table.setName(f"{original} (subset), standing in for {name}", 3, 3, 1, lang)
        table.setName(name, 4, 3, 1, lang)
        table.setName(postscript, 6, 3, 1, lang)
    font["head"].macStyle = 0
    os2 = font["OS/2"]
    os2.fsSelection = (os2.fsSelection & ~0b0110_0001) | 0b0100_0000  # not italic, not bold: REGULAR
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def font_key(data: bytes) -> uuid.UUID:
    """The obfuscation key: derived from the font, so the same report gives the same file."""
    return uuid.UUID(bytes=hashlib.sha256(data).digest()[:16], version=4)


def obfuscate(data: bytes, key: uuid.UUID) -> bytes:
    """ECMA-376 Part 1 §17.8.1: XOR the first 32 bytes with the key's 16 bytes read from the end of its string
    form. The same operation undoes it."""
    key_bytes = bytes.fromhex(key.hex)[::-1]
    head = bytes(b ^ key_bytes[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]


def text_by_font(doc: Any, default: str) -> dict[str, str]:
    """The characters of every run, by the East Asian font it names (`default` where it names none)."""
    from docx.oxml.ns import qn

    chars: dict[str, set[str]] = defaultdict(set)
    for run in doc.element.body.iter(qn("w:r")):
        fonts = run.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        east_asia = fonts.get(qn("w:eastAsia")) if fonts is not None else None
        for t in run.iter(qn("w:t")):
            chars[east_asia or default].update(t.text or "")
    return {font: "".join(sorted(c)) for font, c in chars.items()}


def _font_element(name: str, sub: Substitute, data: bytes, rel_id: str, key: uuid.UUID) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from fontTools.ttLib import TTFont

    os2 = TTFont(io.BytesIO(data))["OS/2"]
    font = OxmlElement("w:font")
    font.set(qn("w:name"), name)
    children: list[tuple[str, dict[str, str]]] = [
        ("w:altName", {"w:val": sub.family}),
        ("w:panose1", {"w:val": "".join(f"{v:02X}" for v in vars(os2.panose).values())}),
        ("w:charset", {"w:val": "86"}),  # GB2312
        ("w:family", {"w:val": sub.word_family}),
        ("w:pitch", {"w:val": "variable"}),
        (
            "w:sig",
            {
                "w:usb0": f"{os2.ulUnicodeRange1:08X}",
                "w:usb1": f"{os2.ulUnicodeRange2:08X}",
                "w:usb2": f"{os2.ulUnicodeRange3:08X}",
                "w:usb3": f"{os2.ulUnicodeRange4:08X}",
                "w:csb0": f"{os2.ulCodePageRange1:08X}",
                "w:csb1": f"{os2.ulCodePageRange2:08X}",
            },
        ),
        ("w:embedRegular", {"r:id": rel_id, "w:fontKey": "{" + str(key).upper() + "}", "w:subsetted": "1"}),
    ]
    for tag, attrs in children:
        child = OxmlElement(tag)
        for attr, value in attrs.items():
            child.set(qn(attr), value)
        font.append(child)
    return font


def embed_fonts(doc: Any, default: str) -> list[str]:
    """Embed a subset of the stand-in font for every official font the document's runs name; returns their names."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import OxmlElement, parse_xml
    from docx.oxml.ns import qn
    from lxml import etree

    font_table = doc.part.part_related_by(RT.FONT_TABLE)
    table = parse_xml(font_table.blob)
    embedded = []
    for number, (name, text) in enumerate(sorted(text_by_font(doc, default).items()), start=1):
        sub = SUBSTITUTES.get(name)
        found = find_font(sub.family, sub.style, sub.files) if sub else None
        if sub is None or found is None:
            if sub is not None:
                logger.warning("DOCX: %s %s not installed; %s is not embedded", sub.family, sub.style, name)
            continue
        data = subset_font(found[0], found[1], text, name)
        key = font_key(data)
        part = Part(PackURI(f"/word/fonts/font{number}.odttf"), OBFUSCATED_FONT, obfuscate(data, key), doc.part.package)
        rel_id = font_table.relate_to(part, RT_FONT)
        for old in table.findall(qn("w:font")):
            if old.get(qn("w:name")) == name:
                table.remove(old)
        table.append(_font_element(name, sub, data, rel_id, key))
        embedded.append(name)
    if not embedded:
        return []
    font_table._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)
    settings = doc.settings.element
    position = 0
    for i, child in enumerate(settings):
        if etree.QName(child).localname in _SETTINGS_BEFORE:
            position = i + 1
    for tag in ("w:saveSubsetFonts", "w:embedTrueTypeFonts"):  # inserted in reverse: embedTrueTypeFonts first
        if settings.find(qn(tag)) is None:
            settings.insert(position, OxmlElement(tag))
    return embedded


# The faces the PDF's stylesheet uses (document.html): its family name there, weight, and the Noto face standing in.
PDF_FACES = (
    ("ZhengwuSerif", 400, "Noto Serif CJK SC", "Regular", ("NotoSerifCJK-Regular.ttc", "NotoSerifCJKsc-Regular.otf")),
    ("ZhengwuSerif", 700, "Noto Serif CJK SC", "Bold", ("NotoSerifCJK-Bold.ttc", "NotoSerifCJKsc-Bold.otf")),
    ("ZhengwuSans", 400, "Noto Sans CJK SC", "Regular", ("NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf")),
)


def pdf_font_faces(text: str) -> str:
    """@font-face rules giving WeasyPrint small subsets of the Noto CJK faces the PDF uses, cut to `text` (plus ASCII
    and the page number's dash). Without them WeasyPrint subsets the whole 20–27 MB fonts itself, with fontTools
    when HarfBuzz's subsetter is not installed: about 10 s per face. A face not installed gets no rule; the
    stylesheet then falls back to the installed Noto fonts."""
    import base64

    chars = "".join(sorted(set(text) | {chr(c) for c in range(0x20, 0x7F)} | set("—")))
    rules = []
    for css_family, weight, family, style, files in PDF_FACES:
        found = find_font(family, style, files)
        if found is None:
            continue
        data = base64.b64encode(subset_font(found[0], found[1], chars, css_family)).decode()
        rules.append(
            f'@font-face {{ font-family: "{css_family}"; font-weight: {weight}; font-style: normal; '
            f'src: url(data:font/ttf;base64,{data}) format("truetype"); }}'
        )
    return "\n".join(rules)
