"""The append-only, hash-chained audit trail: one event per state change or personal-data export."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One change: who, when, what, old → new, why. Rows are never updated or deleted by the application."""

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # indexed where set (`audit_actor_idx`): system events (imports, jobs) have none
    )
    actor_label = models.CharField(_("操作人标识"), max_length=150)
    org = models.ForeignKey(
        "orgs.Org",
        verbose_name=_("所属机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # `audit_org_idx` (org, id) starts with it
    )
    object_type = models.CharField(_("对象类型"), max_length=100)
    object_id = models.CharField(_("对象编号"), max_length=64)
    action = models.CharField(_("动作"), max_length=64)
    old = models.JSONField(_("原值"), null=True, blank=True)
    new = models.JSONField(_("新值"), null=True, blank=True)
    reason = models.TextField(_("理由"), blank=True, default="")
    prev_hash = models.CharField(_("前一事件哈希"), max_length=64)
    # Unique through a constraint rather than `unique=True`, which on PostgreSQL adds a second (LIKE) index on a
    # random 64-hex key: every insert pays for each index, and nothing searches hashes by prefix.
    hash = models.CharField(_("哈希"), max_length=64)

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "id"], name="audit_object_idx"),
            models.Index(fields=["org", "id"], name="audit_org_idx"),
            models.Index(fields=["actor"], name="audit_actor_idx", condition=models.Q(actor__isnull=False)),
        ]
        constraints = [models.UniqueConstraint(fields=["hash"], name="audit_hash_unique")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise RuntimeError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RuntimeError("audit events are append-only")


class AuditChainHead(models.Model):
    """The single row whose lock serialises appends, so each event links to the one committed before it."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("审计链头")

    def __str__(self) -> str:
        return self.last_hash
