"""The dispatch-suggestion model a hotline learns from its own past tickets (retrained by `zhengwu hotline train`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DispatchModel(models.Model):
    org = models.OneToOneField("orgs.Org", verbose_name=_("机关"), on_delete=models.CASCADE, related_name="+")
    trained_at = models.DateTimeField(_("训练时间"))
    train_count = models.PositiveIntegerField(_("训练工单数"))
    test_count = models.PositiveIntegerField(_("检验工单数"))
    top1 = models.FloatField(_("首选准确率"), null=True)
    top3 = models.FloatField(_("前三准确率"), null=True)
    # {"classes": {unit_id: {"docs": n, "total": n, "tokens": {token: n}}}, "vocab": n}
    data = models.JSONField(_("模型参数"))

    class Meta:
        verbose_name = _("派单建议模型")
        verbose_name_plural = _("派单建议模型")

    def __str__(self) -> str:
        return f"{self.org_id} {self.trained_at:%Y-%m-%d}"
