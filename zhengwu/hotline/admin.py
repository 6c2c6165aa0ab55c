"""Django admin for the hotline's configuration: handling rules, card rules, the knowledge base (audited)."""

from __future__ import annotations

from django.contrib import admin

from zhengwu.hotline.models import CardRule, HandlingRule, KnowledgeArticle
from zhengwu.orgs.admin import AuditedAdmin


@admin.register(HandlingRule)
class HandlingRuleAdmin(AuditedAdmin):
    list_display = ("org", "kind", "urgency", "limit", "unit")
    list_filter = ("kind", "urgency", "unit")
    autocomplete_fields = ("org",)


@admin.register(CardRule)
class CardRuleAdmin(AuditedAdmin):
    list_display = ("org", "overdue_per_month", "yellows_per_quarter")
    autocomplete_fields = ("org",)


@admin.register(KnowledgeArticle)
class KnowledgeArticleAdmin(AuditedAdmin):
    list_display = ("title", "org", "kind", "use_count", "is_active", "updated_at")
    list_filter = ("kind", "is_active")
    search_fields = ("title", "keywords", "answer")
    autocomplete_fields = ("org",)
