"""The states of a disclosure request, the transitions between them, and the closed code lists of the spec."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待确认收到")  # online/fax: not received until the office confirms (条例第三十一条)
    PROCESSING = "processing", _("办理中")
    CLARIFYING = "clarifying", pgettext_lazy("disclosure request status", "待补正")
    CONSULTING = "consulting", _("征求意见中")
    AWAITING_FEE = "awaiting_fee", _("待缴费")
    REPLIED = "replied", _("已答复")
    TRANSFERRED = "transferred", _("已转办")


S = RequestStatus
TRANSITIONS: dict[RequestStatus, frozenset[RequestStatus]] = {
    S.SUBMITTED: frozenset({S.PROCESSING, S.TRANSFERRED}),
    S.PROCESSING: frozenset({S.CLARIFYING, S.CONSULTING, S.AWAITING_FEE, S.REPLIED, S.TRANSFERRED}),
    S.CLARIFYING: frozenset({S.PROCESSING, S.REPLIED}),
    S.CONSULTING: frozenset({S.PROCESSING}),
    S.AWAITING_FEE: frozenset({S.PROCESSING, S.REPLIED}),
    S.REPLIED: frozenset(),
    S.TRANSFERRED: frozenset(),
}
OPEN = frozenset({S.SUBMITTED, S.PROCESSING, S.CLARIFYING, S.CONSULTING, S.AWAITING_FEE})
FINAL = frozenset({S.REPLIED, S.TRANSFERRED})
# The clock runs (counts toward the reply limit) in these states; the others pause or wait for the applicant.
CLOCK_RUNNING = frozenset({S.PROCESSING})


class ApplicantKind(models.TextChoices):
    NATURAL_PERSON = "natural_person", _("自然人")
    ENTERPRISE = "enterprise", _("商业企业")
    RESEARCH = "research", _("科研机构")
    PUBLIC_WELFARE = "public_welfare", _("社会公益组织")
    LEGAL_SERVICE = "legal_service", _("法律服务机构")
    OTHER_ORG = "other_org", _("其他")


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("当面")
    MAIL = "mail", _("信函")
    ONLINE = "online", _("网络")
    FAX = "fax", _("传真")
    OTHER = "other", _("其他")


class DeliveryForm(models.TextChoices):
    PAPER = "paper", _("纸质")
    EMAIL = "email", _("电子邮件")
    ELECTRONIC = "electronic", _("光盘/电子数据")
    PICKUP = "pickup", _("当面领取")
    ONLINE = "online", _("网上查看")


class Outcome(models.TextChoices):
    """Table B's outcome rows (spec/annual-report.md): the only outcomes a reply can have."""

    OPEN = "open", _("予以公开")
    PARTIAL = "partial", _("部分公开")
    WITHHELD_STATE_SECRET = "withheld.state_secret", _("不予公开：属于国家秘密")
    WITHHELD_PROHIBITED_BY_LAW = "withheld.prohibited_by_law", _("不予公开：其他法律行政法规禁止公开")
    WITHHELD_SECURITY_STABILITY = "withheld.security_stability", _("不予公开：危及“三安全一稳定”")
    WITHHELD_THIRD_PARTY = "withheld.third_party", _("不予公开：保护第三方合法权益")
    WITHHELD_INTERNAL_AFFAIRS = "withheld.internal_affairs", _("不予公开：属于三类内部事务信息")
    WITHHELD_PROCESS_INFO = "withheld.process_info", _("不予公开：属于四类过程性信息")
    WITHHELD_ENFORCEMENT_FILE = "withheld.enforcement_file", _("不予公开：属于行政执法案卷")
    WITHHELD_INQUIRY_MATTER = "withheld.inquiry_matter", _("不予公开：属于行政查询事项")
    UNAVAILABLE_NOT_HELD = "unavailable.not_held", _("无法提供：本机关不掌握相关政府信息")
    UNAVAILABLE_NEEDS_CREATION = "unavailable.needs_creation", _("无法提供：没有现成信息需要另行制作")
    UNAVAILABLE_STILL_UNCLEAR = "unavailable.still_unclear", _("无法提供：补正后申请内容仍不明确")
    NOT_PROCESSED_PETITION = "not_processed.petition", _("不予处理：信访举报投诉类申请")
    NOT_PROCESSED_DUPLICATE = "not_processed.duplicate", _("不予处理：重复申请")
    NOT_PROCESSED_PUBLICATION = "not_processed.publication", _("不予处理：要求提供公开出版物")
    NOT_PROCESSED_EXCESSIVE = "not_processed.excessive", _("不予处理：无正当理由大量反复申请")
    NOT_PROCESSED_CONFIRMATION = "not_processed.confirmation", _("不予处理：要求行政机关确认或重新出具已获取信息")
    OTHER_NO_CLARIFICATION = "other.no_clarification", _("其他处理：申请人无正当理由逾期不补正")
    OTHER_FEE_UNPAID = "other.fee_unpaid", _("其他处理：申请人逾期未缴纳信息处理费")
    OTHER_OTHER = "other.other", _("其他处理：其他")


# Outcomes an officer chooses in a reply letter; the two `other.*` closings have their own steps.
REPLY_OUTCOMES = frozenset(Outcome) - {Outcome.OTHER_NO_CLARIFICATION, Outcome.OTHER_FEE_UNPAID}


class DisputeKind(models.TextChoices):
    RECONSIDERATION = "reconsideration", _("行政复议")
    LITIGATION_DIRECT = "litigation_direct", _("行政诉讼（未经复议直接起诉）")
    LITIGATION_AFTER_RECONSIDERATION = "litigation_after_reconsideration", _("行政诉讼（复议后起诉）")


class DisputeResult(models.TextChoices):
    UPHELD = "upheld", _("维持")
    CORRECTED = "corrected", _("纠正")
    OTHER = "other", _("其他")


class DocType(models.TextChoices):
    REGULATION = "regulation", _("规章")
    NORMATIVE_DOCUMENT = "normative_document", _("行政规范性文件")
    OTHER = "other", _("其他")


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已公开")
    REPEALED = "repealed", _("已废止")


PUBLICATION_TRANSITIONS: dict[PublicationStatus, frozenset[PublicationStatus]] = {
    PublicationStatus.DRAFT: frozenset({PublicationStatus.PUBLISHED}),
    PublicationStatus.PUBLISHED: frozenset({PublicationStatus.REPEALED}),
    PublicationStatus.REPEALED: frozenset(),
}


class EnforcementKind(models.TextChoices):
    PUNISHMENT = "punishment", _("行政处罚")
    COERCION = "coercion", _("行政强制")


class FeeMethod(models.TextChoices):
    PER_REQUEST = "per_request", _("按件计收")
    PER_VOLUME = "per_volume", _("按量计收")


class DocumentKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", _("登记回执")
    CLARIFICATION = "clarification", _("补正告知书")
    CONSULTATION = "consultation", _("征求意见书")
    EXTENSION = "extension", _("延期答复告知书")
    FEE_NOTICE = "fee_notice", _("收费通知书")
    REPLY = "reply", _("政府信息公开申请答复书")
