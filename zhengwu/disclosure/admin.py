"""Django admin for disclosure configuration: catalog columns (update intervals) and index-number patterns.
Requests and publications change only through their services, so the admin shows them read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from zhengwu.disclosure.models import Column, DisclosureRequest, IndexScheme, Publication
from zhengwu.orgs.admin import AuditedAdmin


@admin.register(Column)
class ColumnAdmin(AuditedAdmin):
    list_display = ["name", "code", "org", "update_interval_days", "order"]
    list_filter = ["org"]
    search_fields = ["name", "code"]


@admin.register(IndexScheme)
class IndexSchemeAdmin(AuditedAdmin):
    list_display = ["org", "prefix", "pattern"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(DisclosureRequest)
class DisclosureRequestAdmin(ReadOnlyAdmin):
    list_display = ["ref", "org", "status", "received_on", "due_on", "replied_on", "outcome"]
    list_filter = ["status", "outcome"]
    search_fields = ["ref"]
    exclude = ["id_number", "contact_phone", "contact_email", "contact_address"]


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdmin):
    list_display = ["index_no", "title", "org", "status", "published_on"]
    list_filter = ["status", "doc_type"]
    search_fields = ["index_no", "title"]
