"""The org tree (机关/单位), stored with a materialised path so subtree reads are one indexed prefix query."""

from __future__ import annotations

import datetime as dt

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhengwu.core.models import TimeStampedModel

ORG_CODE_RE = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$"
OFFICE_HOURS_RE = r"^\d{2}:\d{2}-\d{2}:\d{2}(,\d{2}:\d{2}-\d{2}:\d{2})*$"
DEFAULT_OFFICE_HOURS = "09:00-12:00,13:30-17:30"


class OrgKind(models.TextChoices):
    GOVERNMENT = "government", _("人民政府")
    DEPARTMENT = "department", _("部门")
    SERVICE_CENTER = "service_center", _("政务服务中心")
    CONVENIENCE_CENTER = "convenience_center", _("便民服务中心")
    SERVICE_STATION = "service_station", _("便民服务站")
    OTHER = "other", _("其他")


class Org(TimeStampedModel):
    code = models.CharField(
        _("机构代码"),
        max_length=40,
        unique=True,
        validators=[RegexValidator(ORG_CODE_RE, _("机构代码只能包含字母、数字、点、下划线和连字符，最长40位。"))],
    )
    name = models.CharField(_("名称"), max_length=200)
    short_name = models.CharField(_("简称"), max_length=60, blank=True, default="")
    kind = models.CharField(_("类型"), max_length=20, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    division = models.ForeignKey(
        "orgs.Division",
        verbose_name=_("行政区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orgs",
    )
    # "/<root id>/…/<own id>/": every descendant's path starts with it. On PostgreSQL the column has the "C"
    # collation (migration 0002), so its one index serves both the prefix filter and ORDER BY path.
    path = models.CharField(_("路径"), max_length=400, editable=False, db_index=True)
    depth = models.PositiveSmallIntegerField(_("层级深度"), default=0, editable=False)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, default="")
    office_hours = models.CharField(
        _("办公时间"),
        max_length=100,
        default=DEFAULT_OFFICE_HOURS,
        validators=[RegexValidator(OFFICE_HOURS_RE, _("格式如 09:00-12:00,13:30-17:30"))],
    )
    address = models.CharField(_("地址"), max_length=300, blank=True, default="")
    phone = models.CharField(_("电话"), max_length=40, blank=True, default="")
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("机关/单位")
        verbose_name_plural = _("机关/单位")
        ordering = ["path"]
        indexes = [
            models.Index(fields=["kind", "path"], name="org_kind_path_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=OrgKind.values), name="org_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    def is_descendant_of(self, other: Org) -> bool:
        """True for `other` itself too."""
        return self.path.startswith(other.path)

    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to this org (itself included), read from the path without a query."""
        return [int(p) for p in self.path.strip("/").split("/") if p]

    def office_periods(self) -> list[tuple[dt.time, dt.time]]:
        periods = []
        for part in self.office_hours.split(","):
            start, end = part.split("-")
            periods.append((dt.time.fromisoformat(start), dt.time.fromisoformat(end)))
        return periods


class Hall(TimeStampedModel):
    """A service hall (大厅) of a service or convenience center."""

    org = models.ForeignKey(Org, verbose_name=_("所属中心"), on_delete=models.PROTECT, related_name="halls")
    name = models.CharField(_("名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=300, blank=True, default="")

    class Meta:
        verbose_name = _("服务大厅")
        verbose_name_plural = _("服务大厅")
        ordering = ["org", "name"]

    def __str__(self) -> str:
        return self.name


class Window(TimeStampedModel):
    """A counter (窗口) in a hall, staffed by one or more departments."""

    hall = models.ForeignKey(Hall, verbose_name=_("大厅"), on_delete=models.PROTECT, related_name="windows")
    number = models.CharField(_("窗口号"), max_length=20)
    name = models.CharField(_("名称"), max_length=100)
    departments = models.ManyToManyField(Org, verbose_name=_("进驻部门"), blank=True, related_name="windows")
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("窗口")
        verbose_name_plural = _("窗口")
        ordering = ["hall", "number"]
        constraints = [models.UniqueConstraint(fields=["hall", "number"], name="window_number_unique_in_hall")]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def org(self) -> Org:
        return self.hall.org
