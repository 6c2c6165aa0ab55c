"""Tickets (工单) and what happens to them: dispatches, extension requests, urgings, replies, callbacks."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhengwu.core import clock
from zhengwu.core.masking import mask_name, mask_phone
from zhengwu.core.querycode import new_query_code
from zhengwu.hotline.models.choices import (
    CallbackResult,
    Channel,
    ConversionTarget,
    DispatchRole,
    ExtensionStatus,
    LimitUnit,
    TicketKind,
    Urgency,
    subtype_label,
)
from zhengwu.hotline.states import TicketStatus

if TYPE_CHECKING:
    from zhengwu.workdays import Clock


class Ticket(models.Model):
    """One call, message or letter turned into a work order. `org` is the hotline that received it."""

    # Indexes: every intake pays for each one, so only those the lists and look-ups use (see Meta.indexes); the
    # composites starting with org and lead_unit serve those keys, nullable keys are indexed where set.
    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("受理热线"), on_delete=models.PROTECT, related_name="tickets", db_index=False
    )
    ref = models.CharField(_("工单编号"), max_length=40)
    channel = models.CharField(_("来源渠道"), max_length=10, choices=Channel.choices)
    kind = models.CharField(_("诉求类型"), max_length=15, choices=TicketKind.choices)
    subtype = models.CharField(_("诉求子类"), max_length=20, blank=True, default="")
    caller_name = models.CharField(_("来电人"), max_length=50, blank=True, default="")
    caller_phone = models.CharField(_("来电号码"), max_length=20, blank=True, default="")
    content = models.TextField(_("诉求内容"), blank=True, default="")
    location = models.CharField(_("事发地点"), max_length=200, blank=True, default="")
    lat = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    long = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    urgency = models.CharField(_("紧急程度"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    status = models.CharField(_("状态"), max_length=12, choices=TicketStatus.choices, default=TicketStatus.NEW)
    created_at = models.DateTimeField(_("受理时间"), default=clock.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    # The time limit, fixed at intake from the HandlingRule; the due date is kept with it for indexed lists.
    limit = models.PositiveIntegerField(_("办理时限"), default=0)
    limit_unit = models.CharField(_("时限单位"), max_length=10, choices=LimitUnit.choices, default=LimitUnit.WORKDAYS)
    counting_from = models.DateField(_("起算日"), null=True, blank=True)
    extension_workdays = models.PositiveIntegerField(_("延期工作日"), default=0)
    due_on = models.DateField(_("期限届满日"), null=True, blank=True)
    due_at = models.DateTimeField(_("期限届满时间"), null=True, blank=True)
    lead_unit = models.ForeignKey(
        "orgs.Org",
        verbose_name=_("承办单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    dispatched_at = models.DateTimeField(_("派单时间"), null=True, blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    concluded_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    answered_directly = models.BooleanField(_("直接答复"), default=False)
    answer = models.TextField(_("答复内容"), blank=True, default="")
    article = models.ForeignKey(
        "hotline.KnowledgeArticle",
        verbose_name=_("知识库条目"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_index=False,
    )
    callback = models.CharField(_("回访结果"), max_length=20, choices=CallbackResult.choices, blank=True, default="")
    return_count = models.PositiveIntegerField(_("退单次数"), default=0)
    reopen_count = models.PositiveIntegerField(_("重办次数"), default=0)
    query_code = models.CharField(_("查询码"), max_length=10, default=new_query_code)  # unique: Meta.constraints
    converted_to = models.CharField(
        _("转入类型"), max_length=20, choices=ConversionTarget.choices, blank=True, default=""
    )
    converted_ref = models.CharField(_("转入编号"), max_length=60, blank=True, default="")
    converted_at = models.DateTimeField(_("转出时间"), null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("疑似重复"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    api_client = models.ForeignKey(
        "hotline.ApiClient",
        verbose_name=_("接入应用"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_index=False,
    )

    class Meta:
        verbose_name = _("工单")
        verbose_name_plural = _("工单")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["org", "ref"], name="ticket_ref_unique_in_org"),
            # A unique constraint, not `unique=True`: no LIKE copy of this random key's index (looked up whole).
            models.UniqueConstraint(fields=["query_code"], name="ticket_query_code_unique"),
            models.CheckConstraint(condition=Q(status__in=TicketStatus.values), name="ticket_status_valid"),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="ticket_channel_valid"),
            models.CheckConstraint(condition=Q(kind__in=TicketKind.values), name="ticket_kind_valid"),
            models.CheckConstraint(condition=Q(urgency__in=Urgency.values), name="ticket_urgency_valid"),
            models.CheckConstraint(
                condition=Q(status=TicketStatus.CONCLUDED, concluded_at__isnull=False)
                | ~Q(status=TicketStatus.CONCLUDED),
                name="ticket_concluded_has_date",
            ),
            models.CheckConstraint(
                condition=Q(status=TicketStatus.CONVERTED, converted_at__isnull=False) & ~Q(converted_to="")
                | ~Q(status=TicketStatus.CONVERTED),
                name="ticket_converted_has_target",
            ),
            models.CheckConstraint(
                condition=Q(answered_directly=False) | Q(lead_unit__isnull=True), name="ticket_direct_has_no_unit"
            ),
        ]
        indexes = [
            # The hot lists: the dispatcher's queue, a unit's inbox and the overdue lists by due date.
            models.Index(fields=["org", "status", "created_at"], name="ticket_org_status_idx"),
            models.Index(fields=["lead_unit", "status", "due_on"], name="ticket_unit_status_due_idx"),
            models.Index(fields=["status", "due_on"], name="ticket_status_due_idx"),
            # The caller's history and the duplicate check at every intake: one range of one index (with the
            # phone alone, PostgreSQL combined it with an index of all the org's tickets when its statistics lagged).
            models.Index(fields=["org", "caller_phone", "created_at"], name="ticket_org_phone_created_idx"),
            models.Index(fields=["org", "created_at"], name="ticket_org_created_idx"),
            # Keys mostly unset at intake, indexed where set (deleting an article, app or user finds its tickets).
            models.Index(fields=["created_by"], name="ticket_created_by_idx", condition=Q(created_by__isnull=False)),
            models.Index(fields=["article"], name="ticket_article_idx", condition=Q(article__isnull=False)),
            models.Index(
                fields=["duplicate_of"], name="ticket_duplicate_of_idx", condition=Q(duplicate_of__isnull=False)
            ),
            models.Index(fields=["api_client"], name="ticket_api_client_idx", condition=Q(api_client__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.get_kind_display()}"

    @property
    def caller_phone_masked(self) -> str:
        return mask_phone(self.caller_phone)

    @property
    def caller_name_masked(self) -> str:
        return mask_name(self.caller_name)

    @property
    def subtype_label(self) -> str:
        return subtype_label(self.kind, self.subtype)

    @property
    def clock(self) -> Clock | None:
        """The workday clock of a ticket with a workday limit (None for hour limits and undated tickets)."""
        from zhengwu.workdays import Clock, Extension

        if self.counting_from is None or self.limit_unit != LimitUnit.WORKDAYS:
            return None
        extensions = (Extension(self.extension_workdays),) if self.extension_workdays else ()
        return Clock(start=self.counting_from, limit=self.limit, extensions=extensions, warning_workdays=1)

    def is_overdue(self, *, now: dt.datetime | None = None) -> bool:
        """Open at a unit and past its due date (derived, never stored)."""
        from zhengwu.hotline.states import AT_UNIT

        if self.status not in AT_UNIT or self.due_on is None:
            return False
        now = now or clock.now()
        if self.due_at is not None:
            return now > self.due_at
        return clock.local(now).date() > self.due_on


class TicketSequence(models.Model):
    """The last ticket number given out by one hotline on one day (refs like 202611230001)."""

    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "day"], name="ticket_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.org_id} {self.day} {self.last}"


class Dispatch(models.Model):
    """One unit's part in one dispatch round: the lead (主办) or an assisting unit (协办)."""

    ticket = models.ForeignKey(Ticket, verbose_name=_("工单"), on_delete=models.CASCADE, related_name="dispatches")
    unit = models.ForeignKey("orgs.Org", verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("承办方式"), max_length=10, choices=DispatchRole.choices)
    active = models.BooleanField(_("有效"), default=True)
    dispatched_at = models.DateTimeField(_("派单时间"))
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("派单人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("派单意见"), max_length=500, blank=True, default="")
    # Set when a unit passed the ticket further down (转派): a return goes back to that unit, not to the hotline.
    forwarded_from = models.ForeignKey(
        "self", verbose_name=_("转派自"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    returned_at = models.DateTimeField(_("退单时间"), null=True, blank=True)
    return_reason = models.CharField(_("退单理由"), max_length=500, blank=True, default="")

    class Meta:
        verbose_name = _("派单")
        verbose_name_plural = _("派单")
        ordering = ["dispatched_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket"], condition=Q(active=True, role=DispatchRole.LEAD), name="dispatch_one_active_lead"
            ),
            models.UniqueConstraint(
                fields=["ticket", "unit"], condition=Q(active=True), name="dispatch_unit_once_per_round"
            ),
            models.CheckConstraint(condition=Q(role__in=DispatchRole.values), name="dispatch_role_valid"),
            models.CheckConstraint(
                condition=Q(returned_at__isnull=True) | ~Q(return_reason=""), name="dispatch_return_has_reason"
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "active"], name="dispatch_unit_active_idx"),
            models.Index(fields=["returned_at"], name="dispatch_returned_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} → {self.unit_id} ({self.role})"

    def policy_org(self) -> models.Model:
        return self.unit


class ExtensionRequest(models.Model):
    ticket = models.ForeignKey(Ticket, verbose_name=_("工单"), on_delete=models.CASCADE, related_name="extensions")
    unit = models.ForeignKey("orgs.Org", verbose_name=_("申请单位"), on_delete=models.PROTECT, related_name="+")
    workdays = models.PositiveIntegerField(_("延期工作日"))
    reason = models.CharField(_("延期理由"), max_length=500)
    status = models.CharField(
        _("审批状态"), max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    requested_at = models.DateTimeField(_("申请时间"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审批人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_note = models.CharField(_("审批意见"), max_length=500, blank=True, default="")

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket"], condition=Q(status=ExtensionStatus.PENDING), name="extension_one_pending"
            ),
            models.CheckConstraint(condition=Q(workdays__gte=1, workdays__lte=30), name="extension_workdays_range"),
            models.CheckConstraint(condition=Q(status__in=ExtensionStatus.values), name="extension_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} +{self.workdays} ({self.status})"


class Urge(models.Model):
    """督办: the dispatcher or a supervisor presses a unit to act."""

    ticket = models.ForeignKey(Ticket, verbose_name=_("工单"), on_delete=models.CASCADE, related_name="urges")
    unit = models.ForeignKey("orgs.Org", verbose_name=_("督办单位"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("督办时间"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("督办人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("督办意见"), max_length=500)

    class Meta:
        verbose_name = _("督办")
        verbose_name_plural = _("督办")
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.at:%Y-%m-%d}"


class Reply(models.Model):
    ticket = models.ForeignKey(Ticket, verbose_name=_("工单"), on_delete=models.CASCADE, related_name="replies")
    unit = models.ForeignKey("orgs.Org", verbose_name=_("答复单位"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("承办方式"), max_length=10, choices=DispatchRole.choices)
    at = models.DateTimeField(_("答复时间"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("答复人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    content = models.TextField(_("答复内容"))

    class Meta:
        verbose_name = _("答复")
        verbose_name_plural = _("答复")
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.unit_id} {self.at:%Y-%m-%d}"


class Callback(models.Model):
    ticket = models.ForeignKey(Ticket, verbose_name=_("工单"), on_delete=models.CASCADE, related_name="callbacks")
    result = models.CharField(_("回访结果"), max_length=20, choices=CallbackResult.choices)
    at = models.DateTimeField(_("回访时间"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("回访人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("回访记录"), max_length=500, blank=True, default="")

    class Meta:
        verbose_name = _("回访")
        verbose_name_plural = _("回访")
        ordering = ["at"]
        constraints = [models.CheckConstraint(condition=Q(result__in=CallbackResult.values), name="callback_valid")]
        indexes = [models.Index(fields=["at"], name="callback_at_idx")]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.result}"
