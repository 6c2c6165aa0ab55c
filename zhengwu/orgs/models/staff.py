"""Staff (工作人员) and their memberships: a role in an org, for that org alone or its whole subtree."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhengwu.core.masking import mask_id_number, mask_phone
from zhengwu.core.models import TimeStampedModel


class Role(models.TextChoices):
    ADMIN = "admin", _("系统管理员")
    WINDOW_STAFF = "window_staff", _("窗口工作人员")
    APPROVER = "approver", _("审批人员")
    DISCLOSURE_OFFICER = "disclosure_officer", _("信息公开工作人员")
    HOTLINE_OPERATOR = "hotline_operator", _("热线话务员")
    UNIT_HANDLER = "unit_handler", _("承办单位经办人")
    SUPERVISOR = "supervisor", _("监察人员")
    LEADER = "leader", _("领导")


class Scope(models.TextChoices):
    SELF = "self", _("本机关")
    SUBTREE = "subtree", _("本机关及下级")


class Staff(AbstractUser):
    full_name = models.CharField(_("姓名"), max_length=50, blank=True, default="")
    phone = models.CharField(_("手机号码"), max_length=20, blank=True, default="")
    id_number = models.CharField(_("居民身份证号码"), max_length=18, blank=True, default="")

    class Meta:
        verbose_name = _("工作人员")
        verbose_name_plural = _("工作人员")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)


class Membership(TimeStampedModel):
    staff = models.ForeignKey(Staff, verbose_name=_("工作人员"), on_delete=models.CASCADE, related_name="memberships")
    org = models.ForeignKey("orgs.Org", verbose_name=_("机关"), on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices)
    scope = models.CharField(_("范围"), max_length=10, choices=Scope.choices, default=Scope.SUBTREE)

    class Meta:
        verbose_name = _("岗位")
        verbose_name_plural = _("岗位")
        constraints = [
            models.UniqueConstraint(fields=["staff", "org", "role"], name="membership_unique"),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="membership_role_valid"),
            models.CheckConstraint(condition=models.Q(scope__in=Scope.values), name="membership_scope_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.staff} · {self.org} · {self.get_role_display()}"
