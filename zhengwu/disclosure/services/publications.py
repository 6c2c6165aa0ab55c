"""Proactive disclosure: catalog columns, publications with their index numbers, the personal-data check before
publishing, repeal, and attachments checked by content."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from zhengwu.core import clock as core_clock
from zhengwu.core.audit import record_event
from zhengwu.core.errors import Conflict, InvalidInput
from zhengwu.core.transitions import audited_update, transition
from zhengwu.disclosure.models import Attachment, Column, IndexCounter, IndexScheme, Publication
from zhengwu.disclosure.models.publication import DEFAULT_INDEX_PATTERN
from zhengwu.disclosure.scanning import (
    Hit,
    docx_scan_text,
    html_to_text,
    mask_docx,
    mask_personal_data,
    mask_xlsx,
    sanitise_html,
    scan_personal_data,
)
from zhengwu.disclosure.search import publication_index, publication_terms_sync
from zhengwu.disclosure.states import PUBLICATION_TRANSITIONS, DocType, PublicationStatus
from zhengwu.orgs import policies
from zhengwu.workdays import workdays_between

if TYPE_CHECKING:
    from zhengwu.orgs.models import Org, Staff

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
# Magic bytes → (content type, extensions). DOCX and XLSX are ZIPs told apart by their parts.
_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def column_create(
    *, actor: Staff | None, org: Org, code: str, name: str, update_interval_days: int = 90, order: int = 100
) -> Column:
    policies.require(actor, "disclosure.publish", org)
    if not code.strip() or not name.strip():
        raise InvalidInput(_("请填写栏目代码和名称。"), detail={"code": ["required"]})
    if Column.objects.filter(org=org, code=code.strip()).exists():
        raise InvalidInput(_("栏目代码已存在：%(c)s") % {"c": code}, detail={"code": ["duplicate"]})
    with transaction.atomic():
        column = Column.objects.create(
            org=org, code=code.strip(), name=name.strip(), update_interval_days=update_interval_days, order=order
        )
        record_event(actor=actor, action="disclosure.column_create", obj=column, org=org, new={"code": column.code})
    return column


def index_no_next(*, org: Org, year: int) -> str:
    """The org's next index number for `year`, from its pattern (default "{org}/{year}-{seq:05d}"), e.g.
    430S00/2012-55405 with prefix 430S00. The caller is inside a transaction: the counter row is locked."""
    scheme = IndexScheme.objects.filter(org=org).first()
    pattern = scheme.pattern if scheme else DEFAULT_INDEX_PATTERN
    prefix = scheme.prefix if scheme and scheme.prefix else org.code
    counter, _created = IndexCounter.objects.select_for_update().get_or_create(org=org, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return pattern.format(org=prefix, prefix=prefix, year=year, seq=counter.last)


def publication_create(
    *,
    actor: Staff | None,
    org: Org,
    column: Column,
    title: str,
    formed_on: dt.date,
    doc_type: str = DocType.OTHER,
    document_no: str = "",
    issuing_org_name: str = "",
    body: str = "",
    ref: str = "",
) -> Publication:
    """A draft publication with its index number; the body is sanitised HTML from the start."""
    policies.require(actor, "disclosure.publish", org)
    if column.org_id != org.pk:
        raise InvalidInput(_("栏目不属于该机关。"), detail={"column": ["other_org"]})
    if not title.strip():
        raise InvalidInput(_("请填写标题。"), detail={"title": ["required"]})
    if doc_type not in DocType.values:
        raise InvalidInput(_("未知的文件类型"), detail={"doc_type": ["invalid"]})
    if formed_on > core_clock.today():
        raise InvalidInput(_("形成日期不能晚于今天。"), detail={"formed_on": ["future"]})
    clean = sanitise_html(body)
    with transaction.atomic():
        index_no = index_no_next(org=org, year=formed_on.year)
        publication = Publication.objects.create(
            org=org,
            ref=ref.strip() or index_no,
            index_no=index_no,
            title=title.strip(),
            document_no=document_no.strip(),
            issuing_org_name=issuing_org_name.strip() or org.name,
            doc_type=doc_type,
            column=column,
            formed_on=formed_on,
            body=clean,
            body_text=html_to_text(clean),
        )
        publication_index([publication])
        record_event(
            actor=actor,
            action="disclosure.publication_create",
            obj=publication,
            new={"index_no": index_no, "title": publication.title},
        )
    return publication


def publication_update(*, actor: Staff | None, publication: Publication, **fields: Any) -> Publication:
    """Edit a publication's text fields (audited); the body is sanitised again."""
    policies.require(actor, "disclosure.publish", publication)
    allowed = {"title", "document_no", "issuing_org_name", "doc_type", "formed_on", "body"}
    unknown = set(fields) - allowed
    if unknown:
        raise InvalidInput(
            _("不能修改这些字段：%(f)s") % {"f": ", ".join(sorted(unknown))}, detail={"fields": sorted(unknown)}
        )
    changes = dict(fields)
    if "body" in changes:
        changes["body"] = sanitise_html(changes["body"])
        changes["body_text"] = html_to_text(changes["body"])
    with transaction.atomic():
        updated = audited_update(publication, actor=actor, action="disclosure.publication_update", changes=changes)
        publication_index([updated])
    return updated


def publication_scan(publication: Publication) -> list[Hit]:
    """Personal data in the text and attachments about to be published."""
    hits = scan_personal_data(f"{publication.title}\n{publication.body_text}")
    for att in publication.attachments.all():
        hits.extend(scan_personal_data(att.text, where=att.name))
    return hits


def attachment_uncheckable(attachment: Attachment) -> bool:
    """An attachment the scan cannot read: an image, or a PDF without extractable text (a scanned image PDF, an
    encrypted or damaged file) — an officer has to check it by hand before it is published."""
    if attachment.content_type.startswith("image/"):
        return True
    return attachment.content_type == "application/pdf" and not attachment.text.strip()


def publication_unchecked_attachments(publication: Publication) -> list[str]:
    """Names of the attachments the personal-data scan could not read."""
    return [att.name for att in publication.attachments.all() if attachment_uncheckable(att)]


def publication_publish(
    *,
    actor: Staff | None,
    publication: Publication,
    published_on: dt.date | None = None,
    masked: bool = False,
    accept_hits_reason: str = "",
    manually_checked: bool = False,
    expected: str | None = None,
) -> Publication:
    """Publish, after the personal-data scan: with hits the officer publishes a masked copy (`masked`), or records
    why the data may be public (`accept_hits_reason`, e.g. a licence holder's published business phone). Hits in
    an attachment that cannot be masked (a PDF) block the masked copy until the file is replaced. Attachments the
    scan cannot read (images, PDFs without text) are published only once the officer confirms having checked them
    by hand (`manually_checked`); the confirmation and the file names are recorded in the audit event."""
    policies.require(actor, "disclosure.publish", publication)
    published_on = published_on or core_clock.today()
    if published_on < publication.formed_on or published_on > core_clock.today():
        raise InvalidInput(_("公开日期应在形成日期与今天之间。"), detail={"published_on": ["out_of_range"]})
    hits = publication_scan(publication)
    changes: dict[str, Any] = {"published_on": published_on}
    if hits:
        unmaskable = [h for h in hits if h.where != "正文" and h.where not in _maskable_attachments(publication)]
        if masked and not unmaskable:
            body = mask_personal_data(publication.body)
            changes.update(title=mask_personal_data(publication.title), body=body, body_text=html_to_text(body))
        elif not accept_hits_reason.strip():
            unmaskable_names = "、".join(dict.fromkeys(f"“{h.where}”" for h in unmaskable))
            raise InvalidInput(
                _("发现 %(n)s 处个人信息，请发布脱敏版本或说明可以公开的理由。") % {"n": len(hits)}
                + (
                    _("（附件%(names)s不能自动脱敏，其中的个人信息须替换附件后再发布。）") % {"names": unmaskable_names}
                    if masked and unmaskable
                    else ""
                ),
                code="personal_data_found",
                detail=[{"kind": h.kind, "label": h.label, "masked": h.masked, "where": h.where} for h in hits],
            )
    unchecked = publication_unchecked_attachments(publication)
    if unchecked and not manually_checked:
        raise InvalidInput(
            _("附件%(names)s无法自动检查个人信息，请人工核对后确认已核对再发布。")
            % {"names": "、".join(f"“{n}”" for n in unchecked)},
            code="attachments_unchecked",
            detail={"attachments": unchecked},
        )
    changes["publish_workdays"] = workdays_between(publication.formed_on, published_on)
    with transaction.atomic():
        if hits and masked and "body" in changes:
            # the attachments with personal data are replaced by their masked copies before anything is public
            for att in publication.attachments.all():
                if scan_personal_data(att.text):
                    attachment_mask(actor=actor, attachment=att)
        published = transition(
            publication,
            to=PublicationStatus.PUBLISHED,
            transitions=PUBLICATION_TRANSITIONS,
            actor=actor,
            action="disclosure.publication_publish",
            expected=expected,
            changes=changes,
            reason="；".join(
                part
                for part in (
                    accept_hits_reason.strip() or (_("发布脱敏版本") if masked and hits else ""),
                    _("已人工核对无法自动检查的附件：%(names)s") % {"names": "、".join(unchecked)} if unchecked else "",
                )
                if part
            ),
        )
        if "body" in changes:
            publication_index([published])  # the masked copy is what the index may hold
        else:
            publication_terms_sync([published])  # its words enter the public catalog
    return published


def publication_repeal(
    *, actor: Staff | None, publication: Publication, repealed_on: dt.date | None = None, expected: str | None = None
) -> Publication:
    policies.require(actor, "disclosure.publish", publication)
    repealed_on = repealed_on or core_clock.today()
    if publication.published_on is None or repealed_on < publication.published_on:
        raise InvalidInput(_("废止日期不能早于公开日期。"), detail={"repealed_on": ["too_early"]})
    with transaction.atomic():
        repealed = transition(
            publication,
            to=PublicationStatus.REPEALED,
            transitions=PUBLICATION_TRANSITIONS,
            actor=actor,
            action="disclosure.publication_repeal",
            expected=expected,
            changes={"repealed_on": repealed_on},
        )
        publication_terms_sync([repealed])  # stays in the catalog, marked: the copy says what the catalog shows
    return repealed


def sniff_content_type(data: bytes) -> str:
    """The file's type by its content, never by its name; "" when it is none we accept."""
    for magic, content_type in _SIGNATURES:
        if data.startswith(magic):
            return content_type
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
        except zipfile.BadZipFile:
            return ""
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return DOCX
        if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            return XLSX
    return ""


def _extract_text(content_type: str, data: bytes) -> str:
    try:
        if content_type == DOCX:
            return docx_scan_text(data)
        if content_type == XLSX:
            from openpyxl import load_workbook

            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            parts = [str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row if c]
            book.close()
            return "\n".join(parts)
    except Exception:  # a damaged file is refused as bad input, not a crash
        raise InvalidInput(_("附件无法读取。"), detail={"file": ["unreadable"]}) from None
    if content_type == "application/pdf":
        return pdf_text(data)
    return ""  # images: no text to read, they are checked by hand (`attachment_uncheckable`)


def pdf_text(data: bytes) -> str:
    """The text layer of a PDF (CJK included where its fonts carry a ToUnicode map); "" when there is none to read —
    a scanned image PDF, a damaged file, or one encrypted with a password to open it (a PDF encrypted only against
    copying, with an empty open password, is read when its cipher is RC4; AES would need `cryptography`). Such a PDF
    is accepted, and checked by hand before publishing."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            return ""
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except Exception:  # damaged, or a cipher pypdf cannot undo here
        return ""


def attachment_add(*, actor: Staff | None, publication: Publication, name: str, data: bytes) -> Attachment:
    """Attach a PDF, DOCX, XLSX or image, checked by content and size; its text is kept for the scan."""
    policies.require(actor, "disclosure.publish", publication)
    if publication.status != PublicationStatus.DRAFT:
        raise Conflict(_("已公开的信息不能再添加附件。"), code="transition_not_allowed")
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise InvalidInput(_("附件不能超过 20 MB。"), code="file_too_large", detail={"file": ["too_large"]})
    content_type = sniff_content_type(data)
    if not content_type:
        raise InvalidInput(
            _("只接受 PDF、DOCX、XLSX 和图片（PNG、JPEG、GIF）文件。"), code="file_type", detail={"file": ["type"]}
        )
    text = _extract_text(content_type, data)
    safe_name = "".join(c for c in name if c not in '/\\:*?"<>|')[:200] or "attachment"
    with transaction.atomic():
        att = Attachment(publication=publication, name=safe_name, content_type=content_type, size=len(data), text=text)
        att.file.save(safe_name, ContentFile(data), save=False)
        att.save()
        record_event(
            actor=actor,
            action="disclosure.attachment_add",
            obj=publication,
            new={"attachment": att.pk, "name": safe_name, "content_type": content_type, "size": len(data)},
        )
    return att


_MASKERS = {DOCX: mask_docx, XLSX: mask_xlsx}


def _maskable_attachments(publication: Publication) -> set[str]:
    return {att.name for att in publication.attachments.all() if att.content_type in _MASKERS}


def attachment_mask(*, actor: Staff | None, attachment: Attachment) -> Attachment:
    """Replace a draft's DOCX or XLSX attachment by its copy with the personal data masked (the original file is
    deleted once the change is committed: it is not to be published, nor kept beside the copy)."""
    publication = attachment.publication
    policies.require(actor, "disclosure.publish", publication)
    if publication.status != PublicationStatus.DRAFT:
        raise Conflict(_("已公开的信息不能再修改附件。"), code="transition_not_allowed")
    masker = _MASKERS.get(attachment.content_type)
    if masker is None:
        raise InvalidInput(
            _("只有 DOCX 和 XLSX 附件可以自动脱敏，其他附件请替换后再发布。"),
            code="not_maskable",
            detail={"attachment": [attachment.name]},
        )
    with attachment.file.open("rb") as f:
        original = f.read()
    hits = scan_personal_data(attachment.text, where=attachment.name)
    try:
        data = masker(original)
    except Exception:  # a file that opened for the scan but not for the copy
        raise InvalidInput(_("附件无法读取。"), detail={"file": ["unreadable"]}) from None
    text = _extract_text(attachment.content_type, data)
    if scan_personal_data(text):  # never publish a copy that still shows the data
        raise InvalidInput(
            _("附件“%(name)s”无法完全脱敏，请替换后再发布。") % {"name": attachment.name},
            code="not_maskable",
            detail={"attachment": [attachment.name]},
        )
    old_file = str(attachment.file.name)
    storage = attachment.file.storage
    with transaction.atomic():
        attachment.file.save(attachment.name, ContentFile(data), save=False)
        attachment.size = len(data)
        attachment.text = text
        attachment.save(update_fields=["file", "size", "text", "updated_at"])
        record_event(
            actor=actor,
            action="disclosure.attachment_mask",
            obj=publication,
            new={"attachment": attachment.pk, "name": attachment.name, "masked": [h.masked for h in hits]},
        )
        transaction.on_commit(lambda: storage.delete(old_file))
    return attachment
