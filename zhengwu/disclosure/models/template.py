"""An org's edited DOCX template for one kind of request document; it serves the org and the orgs under it."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhengwu.core.models import TimeStampedModel
from zhengwu.disclosure.states import DocumentKind


def _template_path(instance: DocumentTemplate, filename: str) -> str:
    return f"disclosure/templates/{instance.org_id}/{instance.kind}.docx"


class DocumentTemplate(TimeStampedModel):
    org = models.ForeignKey("orgs.Org", verbose_name=_("机关"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("文书种类"), max_length=30, choices=DocumentKind.choices)
    file = models.FileField(_("模板文件"), upload_to=_template_path)
    name = models.CharField(_("上传的文件名"), max_length=200, blank=True, default="")
    uploaded_by = models.ForeignKey(
        "orgs.Staff", verbose_name=_("上传人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("文书模板")
        verbose_name_plural = _("文书模板")
        ordering = ["org", "kind"]
        constraints = [models.UniqueConstraint(fields=["org", "kind"], name="disclosure_template_org_kind_unique")]

    def __str__(self) -> str:
        return f"{self.org_id}/{self.kind}"

    def read(self) -> bytes:
        with self.file.open("rb") as f:
            data: Any = f.read()
        return bytes(data)
