"""The annual disclosure report's records: one report per org, year and scope, and its versions.

Drafts hold only the officer's prose (the figures are computed live); a published version freezes the figures, the
prose and the rendered files, so later changes to the data never alter what was published.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhengwu.core.models import TimeStampedModel

if TYPE_CHECKING:
    from zhengwu.orgs.models import Org


class ReportScope(models.TextChoices):
    SELF = "self", _("本机关")
    SUBTREE = "subtree", _("本机关及下级")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    SUPERSEDED = "superseded", _("已被更正版本替代")


class AnnualReport(TimeStampedModel):
    org = models.ForeignKey("orgs.Org", verbose_name=_("机关"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    scope = models.CharField(_("范围"), max_length=10, choices=ReportScope.choices, default=ReportScope.SELF)

    class Meta:
        verbose_name = _("政府信息公开工作年度报告")
        verbose_name_plural = _("政府信息公开工作年度报告")
        ordering = ["-year", "org_id", "scope"]
        constraints = [
            models.UniqueConstraint(fields=["org", "year", "scope"], name="reports_annual_unique"),
            models.CheckConstraint(condition=Q(scope__in=ReportScope.values), name="reports_annual_scope_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.org} {self.year}"


def _file_path(instance: AnnualReportVersion, filename: str) -> str:
    report = instance.report
    return f"reports/annual/{report.org_id}/{report.year}-{report.scope}/v{instance.number}/{filename}"


class AnnualReportVersion(TimeStampedModel):
    report = models.ForeignKey(AnnualReport, verbose_name=_("报告"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    status = models.CharField(_("状态"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    overview = models.TextField(_("一、总体情况"), blank=True, default="")
    problems = models.TextField(_("五、存在的主要问题及改进情况"), blank=True, default="")
    other = models.TextField(_("六、其他需要报告的事项"), blank=True, default="")
    # Frozen when published: the whole report JSON, prose included.
    data = models.JSONField(_("发布时的报告数据"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    docx = models.FileField(_("DOCX"), upload_to=_file_path, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=_file_path, blank=True)
    docx_sha256 = models.CharField(max_length=64, blank=True, default="")
    pdf_sha256 = models.CharField(max_length=64, blank=True, default="")
    data_sha256 = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("年度报告版本")
        verbose_name_plural = _("年度报告版本")
        ordering = ["report", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="reports_annual_version_unique"),
            models.UniqueConstraint(
                fields=["report"],
                condition=Q(status=VersionStatus.PUBLISHED),
                name="reports_annual_one_published",
            ),
            models.CheckConstraint(
                condition=Q(status__in=VersionStatus.values), name="reports_annual_version_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=VersionStatus.DRAFT) | Q(data__isnull=False, published_at__isnull=False),
                name="reports_annual_published_is_frozen",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"

    def policy_org(self) -> Org:
        return self.report.org

    @property
    def sections(self) -> dict[str, str]:
        return {"overview": self.overview, "problems": self.problems, "other": self.other}
