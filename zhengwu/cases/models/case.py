"""A case (办件): one application for one service item, from intake to conclusion, with its clock facts."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhengwu.cases.states import OPEN_LIST, ApplicantKind, CaseStatus, Channel, Decision, Level, ProcedureKind
from zhengwu.catalog.models import Mode
from zhengwu.core.masking import mask_id_number, mask_name, mask_phone
from zhengwu.core.models import TimeStampedModel
from zhengwu.core.querycode import format_query_code, new_query_code

_ACCEPTED_STATES = [CaseStatus.ACCEPTED, CaseStatus.PAUSED, CaseStatus.CONCLUDED]


class Case(TimeStampedModel):
    # No single-column index on `org`, `center`: the composite indexes below (and the `(org, ref)` constraint)
    # start with them. Every index is paid by every inserted case (a ledger import writes a million).
    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("办理机关"), on_delete=models.PROTECT, related_name="cases", db_index=False
    )
    # The service or convenience center whose windows take the case in; its window staff act on it too.
    center = models.ForeignKey(
        "orgs.Org",
        verbose_name=_("受理中心"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    # Whose desk the case is on: the org of its open handling step (another department after `case_forward`),
    # else the handling org. Staff lists are by desk; the handling org still sees and answers for the case.
    desk = models.ForeignKey(
        "orgs.Org", verbose_name=_("当前办理机关"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Indexed only where set (`case_window_idx` below): ledger and online cases have none.
    window = models.ForeignKey(
        "orgs.Window",
        verbose_name=_("受理窗口"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    ref = models.CharField(_("办件编号"), max_length=40)
    # Unique through the constraint below, not `unique=True`: on PostgreSQL that would add a second, pattern-ops
    # index for LIKE (never used on a code looked up whole) that every insert pays for at a random position.
    query_code = models.CharField(_("查询码"), max_length=10, default=new_query_code)
    # The submitting form's one-time token: a retried or double-clicked submission finds the case it made. NULL
    # when there is none (ledger, CLI, API), so the partial unique index covers only form submissions.
    client_token = models.CharField(_("提交令牌"), max_length=64, null=True, blank=True, editable=False)  # noqa: DJ001
    # No index on `item`, `item_version`: no query looks cases up by them (lists, supervision and reports go by
    # org, desk, center and dates), and items and versions are never deleted.
    item = models.ForeignKey(
        "catalog.ServiceItem", verbose_name=_("事项"), on_delete=models.PROTECT, related_name="cases", db_index=False
    )
    item_version = models.ForeignKey(
        "catalog.ServiceItemVersion",
        verbose_name=_("事项版本"),
        on_delete=models.PROTECT,
        related_name="cases",
        db_index=False,
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.SUBMITTED, db_index=False
    )
    channel = models.CharField(_("申请渠道"), max_length=14, choices=Channel.choices)
    applicant_kind = models.CharField(
        _("申请人类型"), max_length=14, choices=ApplicantKind.choices, default=ApplicantKind.PERSON
    )
    applicant_name = models.CharField(_("申请人"), max_length=200)
    applicant_id_number = models.CharField(_("证件号码"), max_length=18, blank=True, default="")
    applicant_phone = models.CharField(_("联系电话"), max_length=20, blank=True, default="")
    summary = models.CharField(_("申请事由"), max_length=500, blank=True, default="")
    submitted_at = models.DateTimeField(_("申请时间"))
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    rejected_at = models.DateTimeField(_("不予受理时间"), null=True, blank=True)
    concluded_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    decision = models.CharField(_("办理结果"), max_length=10, choices=Decision.choices, blank=True, default="")
    opinion = models.TextField(_("意见"), blank=True, default="")
    result_document = models.TextField(_("结果文书"), blank=True, default="")
    # The item's facts at acceptance: a later revision of the item never changes an accepted case.
    mode = models.CharField(_("办件类型"), max_length=10, choices=Mode.choices, default=Mode.PROMISED)
    statutory_limit_days = models.PositiveSmallIntegerField(_("法定时限（工作日）"), null=True, blank=True)
    promised_limit_days = models.PositiveSmallIntegerField(_("承诺时限（工作日）"), null=True, blank=True)
    # From the Clock (zhengwu.workdays), recomputed on each pause and extension. `warn_on` is the first day of the
    # warning band, so lists derive on time / warning / overdue in the query; the state itself is never stored.
    due_on = models.DateField(_("期限届满日"), null=True, blank=True)
    warn_on = models.DateField(_("预警起始日"), null=True, blank=True)
    visits = models.PositiveSmallIntegerField(_("跑动次数"), default=0)
    on_site = models.BooleanField(_("现场办结"), default=False)
    fee_yuan = models.DecimalField(_("收费（元）"), max_digits=12, decimal_places=2, default=Decimal("0"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("收件人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # indexed only where set (`case_received_by_idx`)
    )
    overdue_notified_at = models.DateTimeField(_("超时提醒时间"), null=True, blank=True)
    # Facts stored when they become known, so statistics add them up instead of computing them per row
    # (zhengwu.cases.work_facts, docs/adr/0004): working time in workdays (spec/workdays.md) from submission to
    # acceptance and from acceptance to conclusion, the local dates of both, and the evaluation's level and whether
    # its bad rating was rectified.
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True, editable=False)
    concluded_on = models.DateField(_("办结日期"), null=True, blank=True, editable=False)
    accept_workdays = models.FloatField(_("受理用时（工作日）"), null=True, blank=True, editable=False)
    conclude_workdays = models.FloatField(_("办结用时（工作日）"), null=True, blank=True, editable=False)
    evaluation_level = models.CharField(
        _("评价"), max_length=20, choices=Level.choices, blank=True, default="", editable=False
    )
    rectified = models.BooleanField(_("差评已整改"), default=False, editable=False)

    class Meta:
        verbose_name = _("办件")
        verbose_name_plural = _("办件")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["org", "ref"], name="case_ref_unique_in_org"),
            models.UniqueConstraint(fields=["query_code"], name="case_query_code_unique"),
            models.UniqueConstraint(
                fields=["org", "client_token"],
                name="case_client_token_unique_in_org",
                condition=Q(client_token__isnull=False),
            ),
            models.CheckConstraint(condition=Q(status__in=CaseStatus.values), name="case_status_valid"),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="case_channel_valid"),
            models.CheckConstraint(condition=Q(mode__in=Mode.values), name="case_mode_valid"),
            models.CheckConstraint(
                condition=Q(status=CaseStatus.CONCLUDED, decision__in=Decision.values, concluded_at__isnull=False)
                | (~Q(status=CaseStatus.CONCLUDED) & Q(decision="", concluded_at__isnull=True)),
                name="case_decision_iff_concluded",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=_ACCEPTED_STATES)
                | Q(accepted_at__isnull=False, due_on__isnull=False, promised_limit_days__isnull=False),
                name="case_accepted_has_clock",
            ),
            models.CheckConstraint(
                condition=(Q(status=CaseStatus.REJECTED) & Q(rejected_at__isnull=False, accepted_at__isnull=True))
                | (~Q(status=CaseStatus.REJECTED) & Q(rejected_at__isnull=True)),
                name="case_rejected_iff_rejected_at",
            ),
            models.CheckConstraint(condition=Q(fee_yuan__gte=0), name="case_fee_not_negative"),
            models.CheckConstraint(
                condition=~Q(on_site=True) | Q(status=CaseStatus.CONCLUDED), name="case_on_site_concluded"
            ),
        ]
        indexes = [
            # The staff list's indexes (an org's, a center's and everyone's open cases in list order, NULLS FIRST
            # on PostgreSQL) are made by migration 0003: SQLite cannot declare NULLS FIRST (its ASC already is).
            # Supervision counts: an index-only scan of the open cases' clock facts.
            models.Index(
                fields=["org", "status", "due_on", "warn_on", "window"],
                name="case_open_clock_idx",
                condition=Q(status__in=OPEN_LIST),
            ),
            # Supervision and reports: an org's cases by status and due date.
            models.Index(fields=["org", "status", "due_on"], name="case_org_status_due_idx"),
            models.Index(fields=["center", "status", "due_on"], name="case_center_status_due_idx"),
            models.Index(fields=["status", "due_on"], name="case_status_due_idx"),
            # Reports count by period.
            models.Index(fields=["org", "concluded_at"], name="case_org_concluded_idx"),
            models.Index(fields=["org", "submitted_at"], name="case_org_submitted_idx"),
            # The foreign keys most cases leave empty, indexed where set (a window's or a staff member's cases,
            # and the check that none is left when one is deleted): an imported case adds no entry.
            models.Index(fields=["window"], name="case_window_idx", condition=Q(window__isnull=False)),
            models.Index(fields=["received_by"], name="case_received_by_idx", condition=Q(received_by__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.item_version.name}"

    @property
    def title(self) -> str:
        return f"{self.item_version.name} · {self.applicant_name}"

    @property
    def query_code_display(self) -> str:
        return format_query_code(self.query_code)

    @property
    def applicant_name_masked(self) -> str:
        return mask_name(self.applicant_name)

    @property
    def applicant_id_number_masked(self) -> str:
        return mask_id_number(self.applicant_id_number)

    @property
    def applicant_phone_masked(self) -> str:
        return mask_phone(self.applicant_phone)

    @property
    def is_open(self) -> bool:
        from zhengwu.cases.states import OPEN

        return self.status in OPEN


class CasePause(models.Model):
    """A special procedure (特别程序): the workdays of (started_on, ended_on] do not count."""

    case = models.ForeignKey(Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="pauses")
    kind = models.CharField(_("程序"), max_length=14, choices=ProcedureKind.choices)
    reason = models.CharField(_("事由"), max_length=300, blank=True, default="")
    started_on = models.DateField(_("开始日"))
    ended_on = models.DateField(_("结束日"), null=True, blank=True)
    from_ledger = models.BooleanField(_("台账导入"), default=False)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("特别程序")
        verbose_name_plural = _("特别程序")
        ordering = ["case", "started_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(ended_on__isnull=True), name="case_one_open_pause"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="pause_ends_after_start",
            ),
            models.CheckConstraint(condition=Q(kind__in=ProcedureKind.values), name="pause_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_on}–{self.ended_on or ''}"


class CaseExtension(models.Model):
    """A granted extension (延期) of the handling limit."""

    case = models.ForeignKey(Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="extensions")
    workdays = models.PositiveSmallIntegerField(_("延长工作日"))
    granted_on = models.DateField(_("批准日"))
    reason = models.CharField(_("理由"), max_length=300)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("延期")
        verbose_name_plural = _("延期")
        ordering = ["case", "granted_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(workdays__gt=0), name="extension_positive")]

    def __str__(self) -> str:
        return f"+{self.workdays}"


class Correction(models.Model):
    """A request to complete the materials (补齐补正), listing everything missing at once: one per case."""

    case = models.OneToOneField(Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="correction")
    missing = models.JSONField(_("需补正材料"))
    note = models.TextField(_("说明"), blank=True, default="")
    requested_at = models.DateTimeField(_("告知时间"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(_("收到补正时间"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("补正告知")
        verbose_name_plural = _("补正告知")

    def __str__(self) -> str:
        return "、".join(self.missing)


class CaseMaterial(models.Model):
    """A material the applicant uploaded (or the window scanned), checked by content and size."""

    case = models.ForeignKey(Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="materials")
    material = models.ForeignKey(
        "catalog.Material",
        verbose_name=_("对应材料"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("材料名称"), max_length=200)
    file = models.FileField(_("文件"), upload_to="cases/%Y/%m/")
    content_type = models.CharField(_("文件类型"), max_length=40)
    size = models.PositiveIntegerField(_("大小（字节）"))
    for_correction = models.BooleanField(_("补正材料"), default=False)
    uploaded_at = models.DateTimeField(_("上传时间"))

    class Meta:
        verbose_name = _("申请材料文件")
        verbose_name_plural = _("申请材料文件")
        ordering = ["case", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class CaseStep(models.Model):
    """One handling step (受理、审核、审批…), possibly in another department; the case moves through them in order."""

    case = models.ForeignKey(Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("环节"), max_length=60)
    org = models.ForeignKey("orgs.Org", verbose_name=_("办理机关"), on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opinion = models.TextField(_("意见"), blank=True, default="")

    class Meta:
        verbose_name = _("办理环节")
        verbose_name_plural = _("办理环节")
        ordering = ["case", "position"]
        constraints = [
            models.UniqueConstraint(fields=["case", "position"], name="case_step_position_unique"),
            models.UniqueConstraint(fields=["case"], condition=Q(finished_at__isnull=True), name="case_one_open_step"),
        ]

    def __str__(self) -> str:
        return self.name
