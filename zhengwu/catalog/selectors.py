"""Reads of the catalog: the public guide list (searchable in Chinese), one guide, the items staff may see."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from zhengwu.catalog.models import ServiceItem

if TYPE_CHECKING:
    from zhengwu.orgs.models import Staff, Window


def guide_list(*, query: str = "", category: str = "") -> QuerySet[ServiceItem]:
    """Active items for the portal. Phase 1 search: `icontains` over name, keywords and code on both databases
    (PostgreSQL's full-text search does not segment Chinese; a trigram or zhparser index comes later)."""
    qs = ServiceItem.objects.filter(is_active=True, current__isnull=False).select_related("current", "org")
    query = query.strip()[:50]
    if query:
        qs = qs.filter(
            Q(current__name__icontains=query) | Q(current__keywords__icontains=query) | Q(code__iexact=query)
        )
    if category:
        qs = qs.filter(current__category=category)
    return qs.order_by("org__path", "code")


def guide_get(*, code: str) -> ServiceItem | None:
    return (
        ServiceItem.objects.filter(code=code, is_active=True, current__isnull=False)
        .select_related("current", "current__window", "org")
        .first()
    )


def items_for_staff(actor: Staff | None, *, permission: str = "catalog.view") -> QuerySet[ServiceItem]:
    from zhengwu.orgs import policies

    return policies.scope(actor, permission, ServiceItem.objects.filter(current__isnull=False)).select_related(
        "current", "org"
    )


def windows_for_catalog(actor: Staff | None) -> QuerySet[Window]:
    """The active windows an item may name as where it is taken in: those of the halls of orgs the actor manages the
    catalog of."""
    from zhengwu.orgs import policies
    from zhengwu.orgs.models import Window

    return (
        Window.objects.filter(is_active=True)
        .filter(policies.org_q(actor, "catalog.manage", "hall__org"))
        .select_related("hall__org")
        .order_by("hall__org__path", "hall__name", "number")
    )
