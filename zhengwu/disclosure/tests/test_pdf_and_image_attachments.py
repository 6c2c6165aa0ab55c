"""PDF and image attachments before publishing: the text of a PDF is scanned like the body, a PDF with personal data
cannot be masked and blocks the masked version until it is replaced, and files the scan cannot read (images, PDFs
without text) are published only once the officer confirms having checked them by hand — recorded in the audit."""

from __future__ import annotations

import base64
import io

import pytest
from django.test import Client

from zhengwu.core.errors import InvalidInput
from zhengwu.core.models import AuditEvent
from zhengwu.disclosure.models import Publication
from zhengwu.disclosure.services import publications as pub_svc
from zhengwu.disclosure.tests.factories import d, frozen, make_officer

pytestmark = pytest.mark.django_db

ID = "11010519491231002X"  # a valid check digit
ID_MASKED = "110105********002X"


def _pdf(text: str) -> bytes:
    from weasyprint import HTML

    html = f"<html lang=\"zh-CN\"><body style=\"font-family: 'Noto Sans CJK SC', 'Noto Serif CJK SC'\"><p>{text}</p>"
    return HTML(string=html + "</body></html>").write_pdf()


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def officer(county):
    return make_officer(county["dept"])


@pytest.fixture
def draft(county, officer):
    column = pub_svc.column_create(actor=officer, org=county["dept"], code="gsgg", name="公示公告")
    with frozen(d("2025-03-03")):
        return pub_svc.publication_create(
            actor=officer, org=county["dept"], column=column, title="补贴发放名单公示", formed_on=d("2025-03-03")
        )


def _publish(officer, draft, **kwargs):
    with frozen(d("2025-03-04")):
        return pub_svc.publication_publish(actor=officer, publication=draft, **kwargs)


def test_an_id_number_in_a_pdf_is_found_and_blocks_the_masked_version(officer, draft):
    pub_svc.attachment_add(
        actor=officer, publication=draft, name="名单.pdf", data=_pdf(f"补贴对象王五，公民身份号码{ID}，请核对。")
    )
    assert [(h.kind, h.masked, h.where) for h in pub_svc.publication_scan(draft)] == [
        ("id_number", ID_MASKED, "名单.pdf")
    ]
    with pytest.raises(InvalidInput) as plain:
        _publish(officer, draft)
    assert plain.value.code == "personal_data_found"
    with pytest.raises(InvalidInput) as masked:
        _publish(officer, draft, masked=True)
    assert masked.value.code == "personal_data_found" and "名单.pdf" in masked.value.message
    assert Publication.objects.get(pk=draft.pk).status == "draft"


def test_the_cjk_text_of_a_pdf_is_read(officer, draft):
    att = pub_svc.attachment_add(
        actor=officer, publication=draft, name="通知.pdf", data=_pdf("关于发放耕地地力保护补贴的通知")
    )
    assert "耕地地力保护补贴" in att.text.replace(" ", "").replace("\n", "")
    assert not pub_svc.attachment_uncheckable(att)


def test_a_pdf_locked_only_against_copying_is_still_read(officer, draft):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf(f"公民身份号码{ID}"))))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    pub_svc.attachment_add(actor=officer, publication=draft, name="名单.pdf", data=out.getvalue())
    assert [(h.kind, h.where) for h in pub_svc.publication_scan(draft)] == [("id_number", "名单.pdf")]


def test_a_clean_pdf_publishes_without_a_confirmation(officer, draft):
    pub_svc.attachment_add(actor=officer, publication=draft, name="通知.pdf", data=_pdf("本次补贴已按标准发放完毕。"))
    assert pub_svc.publication_unchecked_attachments(draft) == []
    assert _publish(officer, draft).status == "published"


def test_an_image_needs_the_officers_confirmation_which_is_audited(officer, draft):
    pub_svc.attachment_add(actor=officer, publication=draft, name="现场照片.png", data=_png())
    with pytest.raises(InvalidInput) as exc:
        _publish(officer, draft)
    assert exc.value.code == "attachments_unchecked"
    assert "现场照片.png" in exc.value.message and "无法自动检查个人信息" in exc.value.message
    assert Publication.objects.get(pk=draft.pk).status == "draft"
    published = _publish(officer, draft, manually_checked=True)
    assert published.status == "published"
    event = AuditEvent.objects.get(action="disclosure.publication_publish")
    assert "已人工核对" in event.reason and "现场照片.png" in event.reason


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"%PDF-1.7\n%broken, no objects at all", id="damaged"),
        pytest.param(None, id="no-text-layer"),
        pytest.param("encrypted", id="encrypted"),
    ],
)
def test_a_pdf_without_readable_text_is_accepted_but_needs_the_confirmation(officer, draft, data):
    if data is None:  # a PDF holding only a picture, as a scanner makes it
        from weasyprint import HTML

        data = HTML(string=f'<img src="data:image/png;base64,{base64.b64encode(_png()).decode()}">').write_pdf()
    elif data == "encrypted":  # text behind a password the scan does not have
        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf(f"公民身份号码{ID}"))))
        writer.encrypt(user_password="secret", algorithm="RC4-128")
        out = io.BytesIO()
        writer.write(out)
        data = out.getvalue()
    att = pub_svc.attachment_add(actor=officer, publication=draft, name="扫描件.pdf", data=data)
    assert pub_svc.attachment_uncheckable(att)
    with pytest.raises(InvalidInput) as exc:
        _publish(officer, draft)
    assert exc.value.code == "attachments_unchecked" and "扫描件.pdf" in exc.value.message


def test_the_staff_page_names_the_unchecked_file_and_publishes_after_the_confirmation(officer, draft):
    pub_svc.attachment_add(actor=officer, publication=draft, name="现场照片.png", data=_png())
    web = Client()
    web.force_login(officer)
    page = web.get(f"/staff/disclosure/publications/{draft.pk}/").content.decode()
    warning = page[page.index('data-testid="unchecked-attachments"') :]
    assert "现场照片.png" in warning[: warning.index("</section>")]
    with frozen(d("2025-03-04")):
        refused = web.post(f"/staff/disclosure/publications/{draft.pk}/publish/", {"expected": "draft"}, follow=True)
        assert "无法自动检查个人信息" in refused.content.decode()
        assert Publication.objects.get(pk=draft.pk).status == "draft"
        web.post(f"/staff/disclosure/publications/{draft.pk}/publish/", {"expected": "draft", "manually_checked": "on"})
    assert Publication.objects.get(pk=draft.pk).status == "published"
