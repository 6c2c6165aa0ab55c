"""Proactive disclosure (主动公开): columns of the public catalog, publications and their attachments."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhengwu.core.models import TimeStampedModel
from zhengwu.disclosure.states import DocType, PublicationStatus

DEFAULT_INDEX_PATTERN = "{org}/{year}-{seq:05d}"


class Column(TimeStampedModel):
    """栏目 of an org's catalog; stale when nothing was published within `update_interval_days`."""

    org = models.ForeignKey("orgs.Org", verbose_name=_("机关"), on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("栏目代码"), max_length=40)
    name = models.CharField(_("栏目名称"), max_length=100)
    update_interval_days = models.PositiveSmallIntegerField(_("更新周期（日）"), default=90)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("公开栏目")
        verbose_name_plural = _("公开栏目")
        ordering = ["org", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["org", "code"], name="disclosure_column_code_unique")]

    def __str__(self) -> str:
        return self.name


class IndexScheme(models.Model):
    """How an org's index numbers (索引号) look: a pattern with {org} {prefix} {year} {seq} and a counter per year."""

    org = models.OneToOneField("orgs.Org", verbose_name=_("机关"), on_delete=models.PROTECT, related_name="+")
    prefix = models.CharField(_("前缀"), max_length=40, blank=True, default="")
    pattern = models.CharField(_("格式"), max_length=100, default=DEFAULT_INDEX_PATTERN)

    class Meta:
        verbose_name = _("索引号规则")
        verbose_name_plural = _("索引号规则")

    def __str__(self) -> str:
        return self.pattern


class IndexCounter(models.Model):
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="disclosure_index_counter_unique")]

    def __str__(self) -> str:
        return f"{self.org_id}/{self.year}: {self.last}"


class Publication(TimeStampedModel):
    org = models.ForeignKey("orgs.Org", verbose_name=_("公开机关"), on_delete=models.PROTECT, related_name="+")
    ref = models.CharField(_("编号"), max_length=40)
    index_no = models.CharField(_("索引号"), max_length=60, unique=True)
    title = models.CharField(_("标题"), max_length=300)
    document_no = models.CharField(_("文号"), max_length=100, blank=True, default="")
    issuing_org_name = models.CharField(_("发布机构"), max_length=200, blank=True, default="")
    doc_type = models.CharField(_("文件类型"), max_length=20, choices=DocType.choices, default=DocType.OTHER)
    column = models.ForeignKey(Column, verbose_name=_("栏目"), on_delete=models.PROTECT, related_name="publications")
    status = models.CharField(
        _("状态"), max_length=20, choices=PublicationStatus.choices, default=PublicationStatus.DRAFT
    )
    formed_on = models.DateField(_("形成/变更日期"))
    published_on = models.DateField(_("公开日期"), null=True, blank=True)
    repealed_on = models.DateField(_("废止日期"), null=True, blank=True)
    publish_workdays = models.PositiveIntegerField(_("形成至公开工作日"), null=True, blank=True, editable=False)
    body = models.TextField(_("正文"), blank=True, default="")  # sanitised HTML, never raw input
    body_text = models.TextField(_("正文纯文本"), blank=True, default="", editable=False)  # for search and scans

    class Meta:
        verbose_name = _("主动公开信息")
        verbose_name_plural = _("主动公开信息")
        ordering = ["-published_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["org", "ref"], name="disclosure_publication_ref_unique"),
            models.CheckConstraint(
                condition=Q(doc_type__in=DocType.values), name="disclosure_publication_doc_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=PublicationStatus.values), name="disclosure_publication_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=PublicationStatus.DRAFT) | Q(published_on__isnull=False),
                name="disclosure_publication_published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(repealed_on__isnull=True) | Q(published_on__isnull=False),
                name="disclosure_publication_repealed_after_published",
            ),
        ]
        indexes = [
            models.Index(fields=["org", "status", "published_on"], name="dscl_pub_org_idx"),
            models.Index(fields=["column", "status", "published_on"], name="dscl_pub_column_idx"),
            models.Index(fields=["doc_type", "published_on"], name="dscl_pub_type_idx"),
            # the catalog without a query: newest first, read in index order up to the page (not a partial index
            # on the catalog's statuses: SQLite cannot match `status IN (?, ?)` with parameters to its condition)
            models.Index(fields=["-published_on", "-id"], name="dscl_pub_newest_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def published_late(self) -> bool:
        """条例第二十六条: published more than 20 workdays after it was formed or changed."""
        from zhengwu.disclosure.models.request import PUBLISH_WITHIN_WORKDAYS

        return self.publish_workdays is not None and self.publish_workdays > PUBLISH_WITHIN_WORKDAYS


def _attachment_path(instance: Attachment, filename: str) -> str:
    return f"publications/{instance.publication.org_id}/{instance.publication_id}/{filename}"


class Attachment(TimeStampedModel):
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小"))
    file = models.FileField(_("文件"), upload_to=_attachment_path)
    text = models.TextField(_("提取的文本"), blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class PublicationTerm(models.Model):
    """The catalog's word index: one row per word (jieba, search mode) of a publication's title, document number
    (weight 0) or body (weight 1). Search looks words up by index on SQLite and PostgreSQL alike.

    Each row carries a copy of what the public catalog filters and sorts on — `published_on` (NULL while the
    publication is not in the catalog, i.e. a draft), `org` and `column` — so the first page of a word is an ordered
    walk of one index range that stops after the page (`search.py`). The copy is written by `publication_index` and
    kept in step by `publication_terms_sync` (publish, repeal, ledger import)."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="terms", db_index=False)
    term = models.CharField(max_length=32)
    weight = models.PositiveSmallIntegerField(default=1)
    published_on = models.DateField(null=True, blank=True)
    # Copies, not relations to follow: no constraint to check on each of the millions of rows an import writes.
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False, db_index=False
    )
    column = models.ForeignKey(
        Column, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False, db_index=False
    )

    class Meta:
        constraints = [
            # also the index by publication (re-index deletes by it)
            models.UniqueConstraint(fields=["publication", "term"], name="disclosure_publication_term_unique")
        ]
        indexes = [
            # Ranked order of one word: title words first, then newest. Every word's range of one weight is in the
            # same order, so several words are merge-joined (or probed with every key given). `org` rides along so
            # an org subtree is filtered without reading the table.
            models.Index(
                fields=["term", "weight", "-published_on", "-publication", "org"],
                condition=Q(published_on__isnull=False),
                name="dscl_term_rank_org_idx",
            ),
            models.Index(
                fields=["term", "org", "weight", "-published_on", "-publication"],
                condition=Q(published_on__isnull=False),
                name="dscl_term_org_rank_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.term
