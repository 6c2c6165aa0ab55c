"""Service items (政务服务事项) and their versions: a change makes a new version; a case keeps its own."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhengwu.core.models import TimeStampedModel

ITEM_CODE_RE = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,59}$"


class Category(models.TextChoices):
    LICENSING = "licensing", _("行政许可")
    CONFIRMATION = "confirmation", _("行政确认")
    PAYMENT = "payment", _("行政给付")
    RULING = "ruling", _("行政裁决")
    LEVY = "levy", _("行政征收")
    REWARD = "reward", _("行政奖励")
    OTHER_POWER = "other_power", _("其他行政权力")
    PUBLIC_SERVICE = "public_service", _("公共服务")


class Mode(models.TextChoices):
    INSTANT = "instant", _("即办件")
    PROMISED = "promised", _("承诺件")


class OnlineDepth(models.IntegerChoices):
    """网上办理深度: how far an item can be done online."""

    INFO = 1, _("一级：网上咨询、下载表格")
    APPLY = 2, _("二级：网上申请")
    ONLINE_REVIEW = 3, _("三级：网上申请、网上审查")
    FULLY_ONLINE = 4, _("四级：全程网办")


class ServiceItem(TimeStampedModel):
    """The stable identity of an item: its code and handling department. What it says lives in its versions."""

    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("实施部门"), on_delete=models.PROTECT, related_name="service_items"
    )
    code = models.CharField(_("事项编码"), max_length=60, unique=True)
    current = models.OneToOneField(
        "catalog.ServiceItemVersion",
        verbose_name=_("现行版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("政务服务事项")
        verbose_name_plural = _("政务服务事项")
        ordering = ["code"]
        indexes = [models.Index(fields=["org", "is_active"], name="item_org_active_idx")]

    def __str__(self) -> str:
        return f"{self.code} {self.current.name if self.current else ''}".strip()


class ServiceItemVersion(models.Model):
    """One version of what an item requires; never edited after it is made (cases point at it)."""

    item = models.ForeignKey(ServiceItem, verbose_name=_("事项"), on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    name = models.CharField(_("事项名称"), max_length=200)
    category = models.CharField(_("事项类型"), max_length=20, choices=Category.choices)
    keywords = models.CharField(_("关键词"), max_length=300, blank=True, default="")
    legal_basis = models.TextField(_("设定依据"), blank=True, default="")
    conditions = models.TextField(_("申请条件"), blank=True, default="")
    statutory_limit_days = models.PositiveSmallIntegerField(_("法定时限（工作日）"), default=0)
    promised_limit_days = models.PositiveSmallIntegerField(_("承诺时限（工作日）"), default=0)
    mode = models.CharField(_("办件类型"), max_length=10, choices=Mode.choices, default=Mode.PROMISED)
    online = models.BooleanField(_("可网上申请"), default=False)
    fully_online = models.BooleanField(_("全程网办"), default=False)
    online_depth = models.PositiveSmallIntegerField(
        _("网上办理深度"), choices=OnlineDepth.choices, default=OnlineDepth.INFO
    )
    max_visits = models.PositiveSmallIntegerField(_("最多跑动次数"), default=1)
    fee_yuan = models.DecimalField(_("收费标准（元）"), max_digits=12, decimal_places=2, default=Decimal("0"))
    fee_basis = models.CharField(_("收费依据"), max_length=300, blank=True, default="")
    steps = models.TextField(_("办理流程"), blank=True, default="", help_text=_("每行一个环节"))
    place = models.CharField(_("办理地点"), max_length=300, blank=True, default="")
    window = models.ForeignKey(
        "orgs.Window", verbose_name=_("受理窗口"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    phone = models.CharField(_("咨询电话"), max_length=40, blank=True, default="")
    change_note = models.CharField(_("变更说明"), max_length=300, blank=True, default="")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("事项版本")
        verbose_name_plural = _("事项版本")
        ordering = ["item", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="item_version_number_unique"),
            models.CheckConstraint(condition=models.Q(category__in=Category.values), name="item_category_valid"),
            models.CheckConstraint(condition=models.Q(mode__in=Mode.values), name="item_mode_valid"),
            # The promise may compress the statutory limit, never exceed it (a limit of 0 means none is set by law).
            models.CheckConstraint(
                condition=models.Q(statutory_limit_days=0)
                | models.Q(promised_limit_days__lte=models.F("statutory_limit_days")),
                name="item_promise_within_statutory",
            ),
            # An instant item is concluded on the spot: it promises no days.
            models.CheckConstraint(
                condition=~models.Q(mode="instant") | models.Q(promised_limit_days=0),
                name="item_instant_promises_no_days",
            ),
            models.CheckConstraint(
                condition=~models.Q(mode="promised") | models.Q(promised_limit_days__gt=0),
                name="item_promised_has_days",
            ),
            models.CheckConstraint(
                condition=~models.Q(fully_online=True) | models.Q(online=True), name="item_fully_online_is_online"
            ),
            models.CheckConstraint(condition=models.Q(fee_yuan__gte=0), name="item_fee_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.number})"

    @property
    def org(self) -> models.Model:
        return self.item.org

    def step_list(self) -> list[str]:
        return [s.strip() for s in self.steps.splitlines() if s.strip()]


class Material(models.Model):
    """One material an applicant must bring or upload (申请材料), as one version requires it."""

    version = models.ForeignKey(
        ServiceItemVersion, verbose_name=_("事项版本"), on_delete=models.CASCADE, related_name="materials"
    )
    position = models.PositiveSmallIntegerField(_("序号"), default=0)
    name = models.CharField(_("材料名称"), max_length=200)
    originals = models.PositiveSmallIntegerField(_("原件份数"), default=0)
    copies = models.PositiveSmallIntegerField(_("复印件份数"), default=0)
    required = models.BooleanField(_("必需"), default=True)
    blank_form = models.CharField(_("空白表格"), max_length=200, blank=True, default="")
    note = models.CharField(_("说明"), max_length=300, blank=True, default="")

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["version", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="material_position_unique"),
        ]

    def __str__(self) -> str:
        return self.name
