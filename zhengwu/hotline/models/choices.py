"""The hotline's code lists: channels, kinds and subtypes, urgency, callback results (spec/cli-and-ledgers.md)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    PHONE = "phone", _("热线电话")
    WEB = "web", _("网站")
    MAILBOX = "mailbox", _("市长信箱")
    WECHAT = "wechat", _("微信")
    APP = "app", _("移动应用")
    OTHER = "other", _("其他")


class TicketKind(models.TextChoices):
    CONSULTATION = "consultation", _("咨询")
    HELP = "help", _("求助")
    COMPLAINT = "complaint", _("投诉")
    REPORT = "report", _("举报")
    SUGGESTION = "suggestion", _("建议")


# kind → {subtype code: label}. Open311 exposes each (kind, subtype) as one service, code "<kind>.<subtype>".
SUBTYPES: dict[str, dict[str, str]] = {
    TicketKind.CONSULTATION: {"policy": "政策咨询", "procedure": "办事咨询", "other": "其他咨询"},
    TicketKind.HELP: {
        "utilities": "水电气暖",
        "road": "道路交通",
        "environment": "环境卫生",
        "livelihood": "民生保障",
        "other": "其他求助",
    },
    TicketKind.COMPLAINT: {
        "consumer": "消费投诉",
        "administrative": "行政投诉",
        "labour": "劳动保障投诉",
        "property": "物业投诉",
        "other": "其他投诉",
    },
    TicketKind.REPORT: {
        "economic": "经济违法举报",
        "safety": "安全隐患举报",
        "environment": "环境违法举报",
        "other": "其他举报",
    },
    TicketKind.SUGGESTION: {"urban": "城市管理建议", "service": "政务服务建议", "other": "其他建议"},
}


def subtype_label(kind: str, subtype: str) -> str:
    return SUBTYPES.get(kind, {}).get(subtype, subtype)


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("紧急")
    EMERGENCY = "emergency", _("特急")


class LimitUnit(models.TextChoices):
    WORKDAYS = "workdays", _("工作日")
    HOURS = "hours", _("小时")


class CallbackResult(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY_SATISFIED = "basically_satisfied", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")
    UNREACHABLE = "unreachable", _("无法联系")


SATISFIED_RESULTS = frozenset({CallbackResult.SATISFIED, CallbackResult.BASICALLY_SATISFIED})


class DispatchRole(models.TextChoices):
    LEAD = "lead", _("主办")
    ASSISTING = "assisting", _("协办")


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("不批准")


class CardColor(models.TextChoices):
    YELLOW = "yellow", _("黄牌")
    RED = "red", _("红牌")


class ConversionTarget(models.TextChoices):
    DISCLOSURE_REQUEST = "disclosure_request", _("政府信息公开申请")
    SERVICE_COMPLAINT = "service_complaint", _("政务服务投诉")
