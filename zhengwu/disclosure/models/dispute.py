"""Reconsiderations and lawsuits over disclosure decisions (table C of the annual report) and enforcement decisions
(table A's 行政处罚 / 行政强制 rows)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhengwu.core.models import TimeStampedModel
from zhengwu.disclosure.states import DisputeKind, DisputeResult, EnforcementKind


class Dispute(TimeStampedModel):
    org = models.ForeignKey("orgs.Org", verbose_name=_("被申请/被诉机关"), on_delete=models.PROTECT, related_name="+")
    ref = models.CharField(_("编号"), max_length=40)
    request = models.ForeignKey(
        "disclosure.DisclosureRequest",
        verbose_name=_("关联申请"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disputes",
    )
    kind = models.CharField(_("类型"), max_length=40, choices=DisputeKind.choices)
    filed_on = models.DateField(_("立案/申请日期"))
    decided_on = models.DateField(_("决定/判决日期"), null=True, blank=True)
    result = models.CharField(_("结果"), max_length=20, choices=DisputeResult.choices, blank=True, default="")
    note = models.CharField(_("说明"), max_length=500, blank=True, default="")

    class Meta:
        verbose_name = _("行政复议、行政诉讼")
        verbose_name_plural = _("行政复议、行政诉讼")
        ordering = ["-filed_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["org", "ref"], name="disclosure_dispute_ref_unique"),
            models.CheckConstraint(condition=Q(kind__in=DisputeKind.values), name="disclosure_dispute_kind_valid"),
            models.CheckConstraint(
                condition=Q(result="") | Q(result__in=DisputeResult.values), name="disclosure_dispute_result_valid"
            ),
            # A result exactly when decided: pending ones count as 尚未审结.
            models.CheckConstraint(
                condition=(Q(decided_on__isnull=True) & Q(result="")) | (Q(decided_on__isnull=False) & ~Q(result="")),
                name="disclosure_dispute_result_iff_decided",
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=models.F("filed_on")),
                name="disclosure_dispute_decided_after_filed",
            ),
        ]
        indexes = [models.Index(fields=["org", "filed_on"], name="dscl_dispute_filed_idx")]

    def __str__(self) -> str:
        return f"{self.ref} {self.get_kind_display()}"


class Enforcement(TimeStampedModel):
    org = models.ForeignKey("orgs.Org", verbose_name=_("决定机关"), on_delete=models.PROTECT, related_name="+")
    ref = models.CharField(_("编号"), max_length=40)
    kind = models.CharField(_("类型"), max_length=20, choices=EnforcementKind.choices)
    decided_on = models.DateField(_("决定日期"))

    class Meta:
        verbose_name = _("行政处罚、行政强制决定")
        verbose_name_plural = _("行政处罚、行政强制决定")
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["org", "ref"], name="disclosure_enforcement_ref_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=EnforcementKind.values), name="disclosure_enforcement_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["org", "kind", "decided_on"], name="dscl_enf_org_idx")]

    def __str__(self) -> str:
        return self.ref
