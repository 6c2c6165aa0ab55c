"""The outbox: notifications the default sender records instead of sending, shown to staff."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    org = models.ForeignKey("orgs.Org", verbose_name=_("机关"), on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("办件"), null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    kind = models.CharField(_("类型"), max_length=40)
    recipient = models.CharField(_("接收人"), max_length=60, blank=True, default="")
    body = models.TextField(_("内容"))
    created_at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["org", "-created_at"], name="outbox_org_created_idx")]

    def __str__(self) -> str:
        return self.kind
