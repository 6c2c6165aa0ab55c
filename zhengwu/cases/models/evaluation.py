"""好差评: the applicant's rating of a concluded case, and the rectification a bad rating opens."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhengwu.cases.states import EvaluationChannel, Level, RectificationStatus


class Evaluation(models.Model):
    case = models.OneToOneField(
        "cases.Case", verbose_name=_("办件"), on_delete=models.CASCADE, related_name="evaluation"
    )
    level = models.CharField(_("评价"), max_length=20, choices=Level.choices)
    channel = models.CharField(_("评价渠道"), max_length=14, choices=EvaluationChannel.choices)
    comment = models.TextField(_("意见"), blank=True, default="")
    submitted_at = models.DateTimeField(_("评价时间"))

    class Meta:
        verbose_name = _("评价")
        verbose_name_plural = _("评价")
        constraints = [
            models.CheckConstraint(condition=Q(level__in=Level.values), name="evaluation_level_valid"),
            models.CheckConstraint(condition=Q(channel__in=EvaluationChannel.values), name="evaluation_channel_valid"),
        ]

    def __str__(self) -> str:
        return self.get_level_display()

    @property
    def org(self) -> models.Model:
        return self.case.org

    @property
    def is_bad(self) -> bool:
        from zhengwu.cases.states import BAD_LEVELS

        return self.level in BAD_LEVELS


class Rectification(models.Model):
    """差评整改: due by a workday limit; a callback to the applicant is recorded before it is closed."""

    evaluation = models.OneToOneField(
        Evaluation, verbose_name=_("评价"), on_delete=models.CASCADE, related_name="rectification"
    )
    org = models.ForeignKey("orgs.Org", verbose_name=_("整改机关"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("状态"), max_length=10, choices=RectificationStatus.choices, default=RectificationStatus.OPEN
    )
    opened_on = models.DateField(_("开始日"))
    due_on = models.DateField(_("整改期限"))
    callback_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    callback_note = models.TextField(_("回访记录"), blank=True, default="")
    callback_satisfied = models.BooleanField(_("回访满意"), null=True, blank=True)
    closed_on = models.DateField(_("整改完成日"), null=True, blank=True)
    summary = models.TextField(_("整改情况"), blank=True, default="")
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("差评整改")
        verbose_name_plural = _("差评整改")
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RectificationStatus.values), name="rectification_status_valid"
            ),
            models.CheckConstraint(
                condition=(Q(status=RectificationStatus.CLOSED) & Q(closed_on__isnull=False))
                | (Q(status=RectificationStatus.OPEN) & Q(closed_on__isnull=True)),
                name="rectification_closed_iff_closed_on",
            ),
        ]
        indexes = [models.Index(fields=["org", "status", "due_on"], name="rectification_org_status_idx")]

    def __str__(self) -> str:
        return f"{self.evaluation.case.ref} {self.get_status_display()}"
