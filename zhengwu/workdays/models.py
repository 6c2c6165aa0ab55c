"""The holiday table: loaded years (State Council notices), their special days, local days off, and a version."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhengwu.core.models import TimeStampedModel


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("放假")
    MAKEUP_WORKDAY = "makeup_workday", _("调休上班")


class CalendarSource(models.TextChoices):
    CHINESECALENDAR = "chinesecalendar", _("chinesecalendar 数据包")
    NOTICE_FILE = "notice_file", _("通知文件")
    ADMIN = "admin", _("管理后台")


class CalendarYear(TimeStampedModel):
    """A year whose State Council notice is loaded; a year without a row is provisional."""

    year = models.PositiveSmallIntegerField(_("年份"), primary_key=True)
    notice = models.CharField(_("通知名称"), max_length=200, blank=True, default="")
    document_no = models.CharField(_("文号"), max_length=100, blank=True, default="")
    published_on = models.DateField(_("发布日期"), null=True, blank=True)
    source = models.CharField(_("来源"), max_length=20, choices=CalendarSource.choices)

    class Meta:
        verbose_name = _("节假日安排（年度）")
        verbose_name_plural = _("节假日安排（年度）")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=models.Q(year__gte=2004, year__lte=2100), name="calendar_year_range"),
            models.CheckConstraint(condition=models.Q(source__in=CalendarSource.values), name="calendar_source_valid"),
        ]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """A holiday day off or a make-up workday, as the year's notice declares it."""

    calendar_year = models.ForeignKey(
        CalendarYear, verbose_name=_("所属年度"), on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=DayKind.choices)
    name = models.CharField(_("节日"), max_length=100)

    class Meta:
        verbose_name = _("节假日/调休日")
        verbose_name_plural = _("节假日/调休日")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=DayKind.values), name="calendar_day_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.name} {self.get_kind_display()}"


class LocalDayOff(TimeStampedModel):
    """A day off for one division and everything under it (code prefix), e.g. an autonomous region's festival."""

    division_code = models.CharField(
        _("行政区划代码（前缀）"),
        max_length=12,
        help_text=_("区划代码的有效前缀：省2位、市4位、县6位、乡9位、村12位。下级区划的机关同样放假。"),
    )
    date = models.DateField(_("日期"))
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        verbose_name = _("地方放假日")
        verbose_name_plural = _("地方放假日")
        ordering = ["date", "division_code"]
        constraints = [
            models.UniqueConstraint(fields=["division_code", "date"], name="local_day_off_unique"),
            models.CheckConstraint(
                condition=models.Q(division_code__regex=r"^[0-9]{2,12}$"), name="local_day_off_code_digits"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.name}（{self.division_code}）"


class CalendarVersion(models.Model):
    """One row whose counter goes up on every calendar change, so every process knows to rebuild its index."""

    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("日历版本")
        verbose_name_plural = _("日历版本")

    def __str__(self) -> str:
        return str(self.version)
