"""What each hotline configures: handling rules, card rules, the knowledge base, API clients; and issued cards."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhengwu.hotline.models.choices import CardColor, LimitUnit, TicketKind, Urgency


class HandlingRule(models.Model):
    """The handling time limit for tickets of one kind and urgency received by `org` (and orgs below it)."""

    org = models.ForeignKey("orgs.Org", verbose_name=_("机关"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("诉求类型"), max_length=15, choices=TicketKind.choices)
    urgency = models.CharField(_("紧急程度"), max_length=10, choices=Urgency.choices)
    limit = models.PositiveIntegerField(_("时限"))
    unit = models.CharField(_("单位"), max_length=10, choices=LimitUnit.choices, default=LimitUnit.WORKDAYS)

    class Meta:
        verbose_name = _("办理时限规则")
        verbose_name_plural = _("办理时限规则")
        constraints = [
            models.UniqueConstraint(fields=["org", "kind", "urgency"], name="handling_rule_unique"),
            models.CheckConstraint(condition=Q(limit__gte=1, limit__lte=720), name="handling_rule_limit_range"),
        ]

    def __str__(self) -> str:
        return f"{self.org_id}:{self.kind}/{self.urgency} {self.limit}{self.unit}"


class CardRule(models.Model):
    """When a unit gets a card: ≥ `overdue_per_month` overdue tickets in a month → yellow; the
    `yellows_per_quarter`-th yellow in one quarter → red."""

    org = models.OneToOneField("orgs.Org", verbose_name=_("机关"), on_delete=models.CASCADE, related_name="+")
    overdue_per_month = models.PositiveIntegerField(_("月超时件数（黄牌）"), default=3)
    yellows_per_quarter = models.PositiveIntegerField(_("季度黄牌数（红牌）"), default=2)

    class Meta:
        verbose_name = _("亮牌规则")
        verbose_name_plural = _("亮牌规则")
        constraints = [
            models.CheckConstraint(condition=Q(overdue_per_month__gte=1), name="card_rule_overdue_min"),
            models.CheckConstraint(condition=Q(yellows_per_quarter__gte=1), name="card_rule_yellows_min"),
        ]

    def __str__(self) -> str:
        return f"{self.org_id}: {self.overdue_per_month}/{self.yellows_per_quarter}"


class Card(models.Model):
    """A yellow or red card issued to a handling unit for one month, with the record of why."""

    org = models.ForeignKey("orgs.Org", verbose_name=_("发牌机关"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("orgs.Org", verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="+")
    color = models.CharField(_("牌色"), max_length=10, choices=CardColor.choices)
    month = models.DateField(_("月份"))  # the first day of the month
    overdue_count = models.PositiveIntegerField(_("超时件数"), default=0)
    rule = models.CharField(_("适用规则"), max_length=200)
    record = models.TextField(_("亮牌记录"))
    issued_at = models.DateTimeField(_("发牌时间"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发牌人"), null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("黄牌/红牌")
        verbose_name_plural = _("黄牌/红牌")
        ordering = ["-month", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["org", "unit", "month", "color"], name="card_once_per_month"),
            models.CheckConstraint(condition=Q(color__in=CardColor.values), name="card_color_valid"),
        ]
        indexes = [models.Index(fields=["org", "issued_at"], name="card_org_issued_idx")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.color} {self.month:%Y-%m}"


class KnowledgeArticle(models.Model):
    org = models.ForeignKey("orgs.Org", verbose_name=_("机关"), on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("标题"), max_length=200)
    keywords = models.CharField(_("关键词"), max_length=300, blank=True, default="")
    answer = models.TextField(_("答复口径"))
    kind = models.CharField(_("诉求类型"), max_length=15, choices=TicketKind.choices, default=TicketKind.CONSULTATION)
    is_active = models.BooleanField(_("有效"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    use_count = models.PositiveIntegerField(_("引用次数"), default=0)

    class Meta:
        verbose_name = _("知识库条目")
        verbose_name_plural = _("知识库")
        ordering = ["-use_count", "title"]

    def __str__(self) -> str:
        return self.title


def hash_api_key(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiClient(models.Model):
    """A client app (WeChat mini program, 311 app) allowed to submit tickets to `org`'s hotline via Open311."""

    org = models.ForeignKey("orgs.Org", verbose_name=_("机关"), on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("应用名称"), max_length=100)
    channel = models.CharField(_("渠道"), max_length=10, default="app")
    key_prefix = models.CharField(_("密钥前缀"), max_length=8)
    key_hash = models.CharField(_("密钥摘要"), max_length=64, unique=True)  # only the hash is kept
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("接入应用")
        verbose_name_plural = _("接入应用")

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"
