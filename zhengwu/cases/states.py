"""The states of a case (办件) and the moves between them; the only table `transition` consults."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CaseStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待受理")
    CORRECTION = "correction", pgettext_lazy("case status", "待补正")
    ACCEPTED = "accepted", _("办理中")
    PAUSED = "paused", _("特别程序")
    CONCLUDED = "concluded", _("已办结")
    REJECTED = "rejected", pgettext_lazy("case status", "不予受理")


OPEN = frozenset({CaseStatus.SUBMITTED, CaseStatus.CORRECTION, CaseStatus.ACCEPTED, CaseStatus.PAUSED})
# The same set in one fixed order: queries and the partial indexes' conditions must match word for word.
OPEN_LIST = sorted(OPEN)
FINAL = frozenset({CaseStatus.CONCLUDED, CaseStatus.REJECTED})
# Cases whose handling clock runs or is held: they have a due date.
CLOCKED = frozenset({CaseStatus.ACCEPTED, CaseStatus.PAUSED})

TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    CaseStatus.SUBMITTED: frozenset({CaseStatus.ACCEPTED, CaseStatus.REJECTED, CaseStatus.CORRECTION}),
    CaseStatus.CORRECTION: frozenset({CaseStatus.SUBMITTED, CaseStatus.REJECTED}),
    CaseStatus.ACCEPTED: frozenset({CaseStatus.PAUSED, CaseStatus.CONCLUDED}),
    CaseStatus.PAUSED: frozenset({CaseStatus.ACCEPTED}),
    CaseStatus.CONCLUDED: frozenset(),
    CaseStatus.REJECTED: frozenset(),
}


class Channel(models.TextChoices):
    WINDOW = "window", _("窗口")
    ONLINE = "online", _("网上")
    MAIL = "mail", _("邮寄")
    SELF_SERVICE = "self_service", _("自助终端")
    AGENT = "agent", _("帮办代办")


class Decision(models.TextChoices):
    APPROVED = "approved", _("准予")
    DENIED = "denied", _("不予")


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("自然人")
    ORGANISATION = "organisation", _("法人或其他组织")


class ProcedureKind(models.TextChoices):
    """特别程序: time that does not count toward the limit."""

    HEARING = "hearing", _("听证")
    TESTING = "testing", _("检测")
    APPRAISAL = "appraisal", _("鉴定")
    EXPERT_REVIEW = "expert_review", _("专家评审")
    ON_SITE_INSPECTION = "inspection", _("现场勘验")
    OTHER = "other", _("其他")


class Level(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", _("非常满意")
    SATISFIED = "satisfied", _("满意")
    BASICALLY_SATISFIED = "basically_satisfied", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")
    VERY_DISSATISFIED = "very_dissatisfied", _("非常不满意")


BAD_LEVELS = frozenset({Level.DISSATISFIED, Level.VERY_DISSATISFIED})


class EvaluationChannel(models.TextChoices):
    PORTAL = "portal", _("网上")
    WINDOW_DEVICE = "window_device", _("窗口评价器")
    LEDGER = "ledger", _("台账导入")


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("整改中")
    CLOSED = "closed", _("已办结")


RECTIFICATION_TRANSITIONS = {
    RectificationStatus.OPEN: frozenset({RectificationStatus.CLOSED}),
    RectificationStatus.CLOSED: frozenset(),
}


class OrderStatus(models.TextChoices):
    OPEN = "open", _("待反馈")
    RESPONDED = "responded", _("已反馈")


ORDER_TRANSITIONS = {
    OrderStatus.OPEN: frozenset({OrderStatus.RESPONDED}),
    OrderStatus.RESPONDED: frozenset(),
}
