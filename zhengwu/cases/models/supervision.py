"""纠错: a supervisor's recorded order to fix a case's handling, and the department's response."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhengwu.cases.states import OrderStatus


class CorrectionOrder(models.Model):
    case = models.ForeignKey("cases.Case", verbose_name=_("办件"), on_delete=models.PROTECT, related_name="orders")
    org = models.ForeignKey("orgs.Org", verbose_name=_("责任机关"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=10, choices=OrderStatus.choices, default=OrderStatus.OPEN)
    instruction = models.TextField(_("纠错要求"))
    issued_at = models.DateTimeField(_("下达时间"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("反馈期限"))
    response = models.TextField(_("反馈"), blank=True, default="")
    responded_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("纠错单")
        verbose_name_plural = _("纠错单")
        ordering = ["-issued_at"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=OrderStatus.values), name="order_status_valid"),
            models.CheckConstraint(
                condition=(Q(status=OrderStatus.RESPONDED) & Q(responded_at__isnull=False) & ~Q(response=""))
                | (Q(status=OrderStatus.OPEN) & Q(responded_at__isnull=True)),
                name="order_responded_iff_response",
            ),
        ]
        indexes = [models.Index(fields=["org", "status", "due_on"], name="order_org_status_idx")]

    def __str__(self) -> str:
        return f"{self.case.ref} {self.get_status_display()}"
