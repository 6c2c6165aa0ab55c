"""Requests for information (依申请公开) and their legal steps, each step a row with its own dates."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengwu.core.masking import mask_id_number, mask_name, mask_phone
from zhengwu.core.models import TimeStampedModel
from zhengwu.core.querycode import new_query_code
from zhengwu.disclosure.states import (
    ApplicantKind,
    Channel,
    DeliveryForm,
    DocumentKind,
    FeeMethod,
    Outcome,
    RequestStatus,
)

REPLY_LIMIT_WORKDAYS = 20  # 条例第三十三条
CLARIFY_WITHIN_WORKDAYS = 7  # 条例第二十九条
CONSULTATION_WORKDAYS = 15  # 条例第三十二条
MAX_EXTENSION_WORKDAYS = 20  # 条例第三十三条
FEE_PAY_WORKDAYS = 20  # 国办函〔2020〕109号
PUBLISH_WITHIN_WORKDAYS = 20  # 条例第二十六条

_OUTCOME_OR_EMPTY = Q(outcome="") | Q(outcome__in=Outcome.values)


class DisclosureRequest(TimeStampedModel):
    """One application for government information, answered by `org` (the org that must answer it)."""

    org = models.ForeignKey("orgs.Org", verbose_name=_("答复机关"), on_delete=models.PROTECT, related_name="+")
    ref = models.CharField(_("编号"), max_length=40)
    query_code = models.CharField(_("查询码"), max_length=10, unique=True, default=new_query_code, editable=False)
    client_token = models.CharField(_("提交令牌"), max_length=64, null=True, blank=True, unique=True, editable=False)
    status = models.CharField(_("状态"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.PROCESSING)
    applicant_kind = models.CharField(_("申请人类型"), max_length=20, choices=ApplicantKind.choices)
    applicant_name = models.CharField(_("申请人"), max_length=200)
    id_number = models.CharField(_("证件号码"), max_length=30, blank=True, default="")
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True, default="")
    contact_email = models.EmailField(_("电子邮箱"), blank=True, default="")
    contact_address = models.CharField(_("通信地址"), max_length=300, blank=True, default="")
    channel = models.CharField(_("申请方式"), max_length=20, choices=Channel.choices)
    submitted_on = models.DateField(_("提交日期"), null=True, blank=True)
    received_on = models.DateField(_("收到申请日期"), null=True, blank=True)
    acknowledged_on = models.DateField(_("登记回执日期"), null=True, blank=True)
    subject = models.TextField(_("申请内容"))
    purpose = models.CharField(_("用途说明"), max_length=500, blank=True, default="")
    delivery_form = models.CharField(
        _("获取信息方式"), max_length=20, choices=DeliveryForm.choices, default=DeliveryForm.PAPER
    )
    due_on = models.DateField(_("答复期限"), null=True, blank=True, editable=False)  # always from request_clock
    replied_on = models.DateField(_("答复日期"), null=True, blank=True)
    outcome = models.CharField(_("办理结果"), max_length=40, choices=Outcome.choices, blank=True, default="")
    fee_yuan = models.DecimalField(_("信息处理费"), max_digits=12, decimal_places=2, null=True, blank=True)
    transferred_from = models.OneToOneField(
        "self", verbose_name=_("转办自"), null=True, blank=True, on_delete=models.PROTECT, related_name="transferred_to"
    )

    class Meta:
        verbose_name = _("政府信息公开申请")
        verbose_name_plural = _("政府信息公开申请")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["org", "ref"], name="disclosure_request_ref_unique"),
            models.CheckConstraint(
                condition=Q(status__in=RequestStatus.values), name="disclosure_request_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(applicant_kind__in=ApplicantKind.values), name="disclosure_request_applicant_kind_valid"
            ),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="disclosure_request_channel_valid"),
            models.CheckConstraint(condition=_OUTCOME_OR_EMPTY, name="disclosure_request_outcome_valid"),
            # An outcome exactly when replied: the annual report counts both.
            models.CheckConstraint(
                condition=(Q(replied_on__isnull=True) & Q(outcome="")) | (Q(replied_on__isnull=False) & ~Q(outcome="")),
                name="disclosure_request_outcome_iff_replied",
            ),
            models.CheckConstraint(
                condition=~Q(status=RequestStatus.REPLIED) | Q(replied_on__isnull=False),
                name="disclosure_request_replied_has_date",
            ),
            models.CheckConstraint(
                condition=Q(status=RequestStatus.SUBMITTED)
                | Q(received_on__isnull=False)
                | Q(status=RequestStatus.TRANSFERRED),
                name="disclosure_request_received_on_set",
            ),
            models.CheckConstraint(
                condition=Q(replied_on__isnull=True)
                | Q(received_on__isnull=True)
                | Q(replied_on__gte=models.F("received_on")),
                name="disclosure_request_replied_after_received",
            ),
            models.CheckConstraint(
                condition=Q(fee_yuan__isnull=True) | Q(fee_yuan__gte=0), name="disclosure_request_fee_ge_0"
            ),
        ]
        indexes = [
            models.Index(fields=["org", "status", "due_on"], name="dscl_req_work_idx"),
            models.Index(fields=["org", "received_on"], name="dscl_req_recv_idx"),
            models.Index(fields=["org", "replied_on"], name="dscl_req_reply_idx"),
            models.Index(fields=["org", "applicant_name", "received_on"], name="dscl_req_appl_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.subject[:30]}"

    @property
    def is_open(self) -> bool:
        from zhengwu.disclosure.states import OPEN

        return self.status in OPEN

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def contact_phone_masked(self) -> str:
        return mask_phone(self.contact_phone)

    @property
    def applicant_name_public(self) -> str:
        """What the public progress page shows: a person's name masked, an organisation's in full."""
        if self.applicant_kind == ApplicantKind.NATURAL_PERSON:
            return mask_name(self.applicant_name)
        return self.applicant_name


class Clarification(TimeStampedModel):
    """补正: the org asks the applicant to make the request precise; the reply limit restarts on `received_on`."""

    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="clarifications")
    sent_on = models.DateField(_("补正告知日期"))
    deadline = models.DateField(_("补正期限"))
    items = models.TextField(_("需补正的内容"), blank=True, default="")
    received_on = models.DateField(_("收到补正日期"), null=True, blank=True)
    clarified_subject = models.TextField(_("补正后的申请内容"), blank=True, default="")

    class Meta:
        verbose_name = pgettext_lazy("disclosure request", "补正")
        verbose_name_plural = pgettext_lazy("disclosure request", "补正")
        ordering = ["sent_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("sent_on")), name="disclosure_clarification_deadline_after_sent"
            ),
            models.CheckConstraint(
                condition=Q(received_on__isnull=True) | Q(received_on__gte=models.F("sent_on")),
                name="disclosure_clarification_received_after_sent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request.ref} 补正 {self.sent_on}"


class Consultation(TimeStampedModel):
    """征求第三方意见: the reply clock is paused from `from_on` to `to_on` (at most the 15-workday deadline)."""

    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="consultations")
    third_party = models.CharField(_("第三方"), max_length=200, blank=True, default="")
    from_on = models.DateField(_("征求意见起"))
    deadline = models.DateField(_("答复期限"))
    to_on = models.DateField(_("征求意见止"), null=True, blank=True)
    opinion = models.TextField(_("第三方意见"), blank=True, default="")

    class Meta:
        verbose_name = _("征求意见")
        verbose_name_plural = _("征求意见")
        ordering = ["from_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_on__isnull=True) | Q(to_on__gte=models.F("from_on")),
                name="disclosure_consultation_to_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request.ref} 征求意见 {self.from_on}"


class Extension(TimeStampedModel):
    """延期答复: at most 20 workdays in all, approved by the head of the disclosure office."""

    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="extensions")
    workdays = models.PositiveSmallIntegerField(_("延期工作日"))
    granted_on = models.DateField(_("批准日期"))
    approved_by = models.CharField(_("批准负责人"), max_length=100)
    reason = models.CharField(_("延期理由"), max_length=500)

    class Meta:
        verbose_name = _("延期答复")
        verbose_name_plural = _("延期答复")
        ordering = ["granted_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(workdays__gte=1, workdays__lte=MAX_EXTENSION_WORKDAYS),
                name="disclosure_extension_workdays_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request.ref} 延期 {self.workdays}"


class FeeNotice(TimeStampedModel):
    """收费通知 (spec/fees.md): the reply clock is paused from `issued_on` until paid or waived."""

    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="fee_notices")
    method = models.CharField(_("计收方式"), max_length=20, choices=FeeMethod.choices)
    basis = models.PositiveIntegerField(_("计费依据"), help_text=_("按件：本月第几件；按量：页数"))
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2)
    issued_on = models.DateField(_("通知日期"))
    pay_by = models.DateField(_("缴费期限"))
    paid_on = models.DateField(_("缴费日期"), null=True, blank=True)
    waived_on = models.DateField(_("减免日期"), null=True, blank=True)
    waived_reason = models.CharField(_("减免理由"), max_length=500, blank=True, default="")

    class Meta:
        verbose_name = _("收费通知")
        verbose_name_plural = _("收费通知")
        ordering = ["issued_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(method__in=FeeMethod.values), name="disclosure_fee_notice_method_valid"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="disclosure_fee_notice_amount_positive"),
            models.CheckConstraint(
                condition=Q(paid_on__isnull=True) | Q(waived_on__isnull=True),
                name="disclosure_fee_notice_paid_or_waived",
            ),
            models.CheckConstraint(
                condition=Q(waived_on__isnull=True) | ~Q(waived_reason=""),
                name="disclosure_fee_notice_waiver_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request.ref} 收费 {self.amount}"

    @property
    def settled_on(self) -> dt.date | None:
        return self.paid_on or self.waived_on


class Reply(TimeStampedModel):
    """答复书: exactly one outcome code, its legal basis and what was delivered."""

    request = models.OneToOneField(DisclosureRequest, on_delete=models.CASCADE, related_name="reply")
    outcome = models.CharField(_("办理结果"), max_length=40, choices=Outcome.choices)
    legal_basis = models.TextField(_("法律依据"))
    delivered_items = models.TextField(_("提供的信息"), blank=True, default="")
    replied_on = models.DateField(_("答复日期"))
    late = models.BooleanField(_("逾期答复"), default=False)  # a fact of the past, fixed when replied

    class Meta:
        verbose_name = _("答复")
        verbose_name_plural = _("答复")
        constraints = [
            models.CheckConstraint(condition=Q(outcome__in=Outcome.values), name="disclosure_reply_outcome_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.request.ref} {self.outcome}"


def _document_path(instance: RequestDocument, filename: str) -> str:
    return f"disclosure/{instance.request.org_id}/{instance.request_id}/{filename}"


class RequestDocument(TimeStampedModel):
    """A generated legal document (DOCX), stored as issued."""

    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("文书类型"), max_length=20, choices=DocumentKind.choices)
    file = models.FileField(_("文件"), upload_to=_document_path)
    issued_on = models.DateField(_("出具日期"))

    class Meta:
        verbose_name = _("文书")
        verbose_name_plural = _("文书")
        ordering = ["issued_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=DocumentKind.values), name="disclosure_request_document_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.request.ref} {self.get_kind_display()}"
