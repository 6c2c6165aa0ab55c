"""Django admin for configuration of the org tree (changes made here are audited too)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from zhengwu.core.audit import record_event
from zhengwu.orgs.hooks import working_time_changed
from zhengwu.orgs.models import Division, Hall, Membership, Org, Staff, Window


def _staff(request: HttpRequest) -> Staff | None:
    return request.user if isinstance(request.user, Staff) else None


class AuditedAdmin(admin.ModelAdmin):
    """Every save or delete through the admin writes an audit event in the same transaction."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        record_event(
            actor=_staff(request),
            action=f"admin.{'change' if change else 'add'}",
            obj=obj,
            new={f: str(form.cleaned_data.get(f)) for f in form.changed_data},
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        record_event(
            actor=_staff(request),
            action="admin.delete",
            obj=obj,
            old={"repr": str(obj)},
        )
        super().delete_model(request, obj)


@admin.register(Division)
class DivisionAdmin(AuditedAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]


@admin.register(Org)
class OrgAdmin(AuditedAdmin):
    list_display = ["code", "name", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name"]
    readonly_fields = ["path", "depth", "parent"]
    raw_id_fields = ["division"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Orgs are created through org_create (zhengwu org add, the staff pages), which maintains the path.
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and {"office_hours", "division"} & set(form.changed_data):
            working_time_changed(org=obj, actor=_staff(request))  # stored working time follows the new setting


class WindowInline(admin.TabularInline):
    model = Window
    extra = 0
    filter_horizontal = ["departments"]


@admin.register(Hall)
class HallAdmin(AuditedAdmin):
    list_display = ["name", "org"]
    raw_id_fields = ["org"]


@admin.register(Window)
class WindowAdmin(AuditedAdmin):
    list_display = ["number", "name", "hall", "is_active"]
    filter_horizontal = ["departments"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["org"]


@admin.register(Staff)
class StaffAdmin(UserAdmin):
    list_display = ["username", "full_name", "is_active", "is_superuser", "last_login"]
    search_fields = ["username", "full_name"]
    inlines = [MembershipInline]
    fieldsets = (*UserAdmin.fieldsets, ("zhengwu", {"fields": ("full_name", "phone")}))  # type: ignore[misc]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        record_event(
            actor=_staff(request),
            action=f"admin.{'change' if change else 'add'}",
            object_type="orgs.staff",
            object_id=obj.pk,
            new={f: "***" if "password" in f else str(form.cleaned_data.get(f)) for f in form.changed_data},
        )
