"""Per-org DOCX templates of the request documents: the disclosure office downloads the template in force, uploads
an edited one (checked: a DOCX that opens, only the kind's `{{placeholder}}` names, none split across formatting
runs) or reverts to the default. Documents use the nearest override up the org tree, else the default."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from zhengwu.core.audit import record_event
from zhengwu.core.errors import InvalidInput, NotFound
from zhengwu.disclosure import documents
from zhengwu.disclosure.models import DocumentTemplate
from zhengwu.disclosure.states import DocumentKind
from zhengwu.orgs import policies

if TYPE_CHECKING:
    from zhengwu.orgs.models import Org, Staff

MAX_TEMPLATE_BYTES = 5 * 1024 * 1024


def _kind(kind: str) -> str:
    if kind not in DocumentKind.values:
        raise InvalidInput(_("未知的文书种类"), detail={"kind": ["invalid"]})
    return kind


def document_template_in_force(*, org: Org, kind: str) -> DocumentTemplate | None:
    """The override that serves `org` for `kind`: its own, else the nearest ancestor's; None for the default."""
    ids = org.ancestor_ids() or [org.pk]
    found = {t.org_id: t for t in DocumentTemplate.objects.filter(org_id__in=ids, kind=_kind(kind))}
    for org_id in reversed(ids):
        if org_id in found:
            return found[org_id]
    return None


def document_template_bytes(*, org: Org, kind: str) -> bytes | None:
    """The bytes of the override in force, or None when the default template serves."""
    template = document_template_in_force(org=org, kind=kind)
    return template.read() if template is not None else None


def document_template_download(*, actor: Staff | None, org: Org, kind: str) -> tuple[bytes, bool]:
    """The template in force for `org` (bytes, whether it is an override)."""
    policies.require(actor, "disclosure.handle", org)
    data = document_template_bytes(org=org, kind=kind)
    if data is None:
        return documents.ensure_template(kind).read_bytes(), False
    return data, True


def document_template_upload(
    *, actor: Staff | None, org: Org, kind: str, data: bytes, name: str = ""
) -> DocumentTemplate:
    policies.require(actor, "disclosure.handle", org)
    _kind(kind)
    if len(data) > MAX_TEMPLATE_BYTES:
        raise InvalidInput(_("模板文件不能超过 5 MB。"), code="file_too_large", detail={"file": ["too_large"]})
    problems = documents.template_problems(kind, data)
    if problems:
        raise InvalidInput(
            _("模板未保存：%(p)s") % {"p": "；".join(problems)}, code="template_invalid", detail={"file": problems}
        )
    with transaction.atomic():
        template = DocumentTemplate.objects.select_for_update().filter(org=org, kind=kind).first()
        old_file = str(template.file.name) if template is not None else ""
        if template is None:
            template = DocumentTemplate(org=org, kind=kind)
        template.name = name[:200]
        template.uploaded_by = actor
        template.file.save(f"{kind}.docx", ContentFile(data), save=False)
        template.save()
        record_event(
            actor=actor,
            action="disclosure.template_upload",
            obj=template,
            org=org,
            new={"kind": kind, "name": template.name, "size": len(data), "replaced": bool(old_file)},
        )
        if old_file and old_file != template.file.name:
            storage = template.file.storage
            transaction.on_commit(lambda: storage.delete(old_file))
    return template


def document_template_revert(*, actor: Staff | None, org: Org, kind: str) -> None:
    """Drop the org's own override of `kind`: its documents use the ancestor's override or the default again."""
    policies.require(actor, "disclosure.handle", org)
    with transaction.atomic():
        template = DocumentTemplate.objects.select_for_update().filter(org=org, kind=_kind(kind)).first()
        if template is None:
            raise NotFound(_("本机关没有修改过这份模板。"))
        old_file = str(template.file.name)
        storage = template.file.storage
        record_event(
            actor=actor,
            action="disclosure.template_revert",
            obj=template,
            org=org,
            old={"kind": kind, "name": template.name},
        )
        template.delete()
        transaction.on_commit(lambda: storage.delete(old_file))
