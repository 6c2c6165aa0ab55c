"""Personal data inside attachments: a DOCX or XLSX with a resident ID number or a mobile is found by the scan
before publishing, and publishing the masked version replaces the attachment by its masked copy."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from docx import Document
from openpyxl import Workbook, load_workbook

from zhengwu.core.errors import InvalidInput
from zhengwu.core.models import AuditEvent
from zhengwu.disclosure.documents import docx_text
from zhengwu.disclosure.services import publications as pub_svc
from zhengwu.disclosure.tests.factories import d, frozen, make_officer

pytestmark = pytest.mark.django_db

ID = "11010519491231002X"  # a valid check digit
ID_MASKED = "110105********002X"


@pytest.fixture
def officer(county):
    return make_officer(county["dept"])


@pytest.fixture
def draft(county, officer):
    column = pub_svc.column_create(actor=officer, org=county["dept"], code="gsgg", name="公示公告")
    with frozen(d("2025-03-03")):
        return pub_svc.publication_create(
            actor=officer,
            org=county["dept"],
            column=column,
            title="补贴发放名单公示",
            formed_on=d("2025-03-03"),
            body="<p>联系人电话 13912345678</p>",
        )


def _docx() -> bytes:
    doc = Document()
    doc.add_paragraph("补贴发放名单")
    split = doc.add_paragraph("王五 身份证号 ")
    split.add_run(ID[:9]).bold = True  # the number split across two formatting runs
    split.add_run(ID[9:])
    table = doc.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "李四"
    table.rows[0].cells[1].text = f"{ID} 电话13812345678"
    doc.sections[0].footer.paragraphs[0].text = "经办人电话 13700001111"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "身份证号", "电话", "金额"])
    sheet.append(["李四", ID, 13812345678, 1200])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _publish_masked(officer, draft):
    with frozen(d("2025-03-04")):
        return pub_svc.publication_publish(actor=officer, publication=draft, masked=True)


def test_a_docx_with_an_id_number_is_found_and_published_masked(officer, draft):
    att = pub_svc.attachment_add(actor=officer, publication=draft, name="名单.docx", data=_docx())
    found = {(h.kind, h.masked, h.where) for h in pub_svc.publication_scan(draft)}
    assert found == {
        ("mobile", "139****5678", "正文"),
        ("id_number", ID_MASKED, "名单.docx"),
        ("mobile", "138****5678", "名单.docx"),
        ("mobile", "137****1111", "名单.docx"),
    }
    published = _publish_masked(officer, draft)
    assert published.status == "published" and "139****5678" in published.body
    att.refresh_from_db()
    with att.file.open("rb") as f:
        text = docx_text(f.read())
    assert ID not in text and "13812345678" not in text
    assert f"王五 身份证号 {ID_MASKED}" in text and f"{ID_MASKED} 电话138****5678" in text
    with att.file.open("rb") as f:
        footer = Document(f).sections[0].footer.paragraphs[0].text
    assert footer == "经办人电话 137****1111"
    assert pub_svc.publication_scan(published) == []
    # what the public downloads is the masked copy
    downloaded = b"".join(Client().get(f"/disclosure/p/{published.pk}/files/{att.pk}/").streaming_content)
    assert ID_MASKED in docx_text(downloaded) and ID not in docx_text(downloaded)
    assert AuditEvent.objects.filter(action="disclosure.attachment_mask").count() == 1


def test_an_xlsx_with_an_id_number_and_a_mobile_is_masked_cell_by_cell(officer, draft):
    att = pub_svc.attachment_add(actor=officer, publication=draft, name="名单.xlsx", data=_xlsx())
    assert {h.kind for h in pub_svc.publication_scan(draft) if h.where == "名单.xlsx"} == {"id_number", "mobile"}
    _publish_masked(officer, draft)
    att.refresh_from_db()
    with att.file.open("rb") as f:
        rows = list(load_workbook(f).active.iter_rows(values_only=True))
    assert rows == [("姓名", "身份证号", "电话", "金额"), ("李四", ID_MASKED, "138****5678", 1200)]


def test_an_attachment_that_cannot_be_masked_blocks_the_masked_version(officer, draft):
    pdf = pub_svc.attachment_add(actor=officer, publication=draft, name="scan.pdf", data=b"%PDF-1.7\n...")
    with pytest.raises(InvalidInput) as exc:
        pub_svc.attachment_mask(actor=officer, attachment=pdf)
    assert exc.value.code == "not_maskable"
