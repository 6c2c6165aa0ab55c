"""Reads of the org tree, always scoped to what the actor may see."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Case, Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from zhengwu.orgs import policies
from zhengwu.orgs.models import Hall, Membership, Org, OrgKind, Staff, Window

if TYPE_CHECKING:
    pass


def org_subtree(org: Org, *, include_self: bool = True) -> QuerySet[Org]:
    """The org and all its descendants: one indexed prefix query, whatever the depth."""
    qs = Org.objects.filter(path__startswith=org.path)
    return qs if include_self else qs.exclude(pk=org.pk)


def org_ancestors(org: Org) -> QuerySet[Org]:
    return Org.objects.filter(pk__in=org.ancestor_ids()).order_by("depth")


def org_list_for_actor(actor: Staff | None, *, permission: str = "orgs.view") -> QuerySet[Org]:
    return policies.scope(actor, permission, Org.objects.all(), field="")


def org_get_for_actor(actor: Staff | None, code: str, *, permission: str = "orgs.view") -> Org | None:
    return org_list_for_actor(actor, permission=permission).filter(code=code).first()


def staff_list_for_actor(actor: Staff | None) -> QuerySet[Staff]:
    """Staff who hold a membership somewhere the actor may view staff."""
    q = policies.org_q(actor, "staff.view", field="memberships__org")
    return Staff.objects.filter(q).distinct().order_by("username")


# --- Reads for the staff workspace pages ----------------------------------------------------------------


def with_child_counts(orgs: QuerySet[Org], actor: Staff | None, *, permission: str = "orgs.view") -> QuerySet[Org]:
    """Annotate `child_count`: how many direct children the actor may see (one correlated count per row)."""
    visible_children = (
        Org.objects.filter(parent=OuterRef("pk"))
        .filter(policies.org_q(actor, permission, field=""))
        .order_by()
        .values("parent")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return orgs.annotate(child_count=Coalesce(Subquery(visible_children, output_field=IntegerField()), 0))


# Siblings are listed departments first, then the service center, then township governments and their centers;
# within a kind, in the order they were created (the order an admin entered them).
_SIBLING_ORDER = Case(
    When(kind=OrgKind.DEPARTMENT, then=Value(0)),
    When(kind=OrgKind.SERVICE_CENTER, then=Value(1)),
    When(kind=OrgKind.GOVERNMENT, then=Value(2)),
    When(kind=OrgKind.CONVENIENCE_CENTER, then=Value(3)),
    When(kind=OrgKind.SERVICE_STATION, then=Value(4)),
    default=Value(5),
)


def org_roots_for_actor(actor: Staff | None, *, permission: str = "orgs.view") -> QuerySet[Org]:
    """The tops of the subtrees the actor may see: visible orgs whose parent is not visible."""
    visible = org_list_for_actor(actor, permission=permission)
    return with_child_counts(
        visible.exclude(parent__in=visible.values("pk")).select_related("division"), actor, permission=permission
    ).order_by("path")


def org_children_for_actor(actor: Staff | None, org: Org, *, permission: str = "orgs.view") -> QuerySet[Org]:
    """The org's direct children the actor may see, in sibling order, with their own child counts."""
    children = org_list_for_actor(actor, permission=permission).filter(parent=org)
    return with_child_counts(children, actor, permission=permission).order_by(_SIBLING_ORDER, "pk")


def org_ancestors_for_actor(actor: Staff | None, org: Org, *, permission: str = "orgs.view") -> QuerySet[Org]:
    """The org's ancestors (not itself) the actor may see, root first: the breadcrumb."""
    ids = org.ancestor_ids()[:-1]
    return org_list_for_actor(actor, permission=permission).filter(pk__in=ids).order_by("depth")


def org_search_for_actor(
    actor: Staff | None, query: str, *, permission: str = "orgs.view", limit: int = 50
) -> list[Org]:
    """Orgs the actor may see whose name, short name or code contains the query."""
    query = query.strip()
    if not query:
        return []
    qs = org_list_for_actor(actor, permission=permission).filter(
        Q(name__icontains=query) | Q(short_name__icontains=query) | Q(code__icontains=query)
    )
    return list(with_child_counts(qs, actor, permission=permission).order_by("depth", "path")[:limit])


def org_subtree_count_for_actor(actor: Staff | None, *, permission: str = "orgs.view") -> int:
    return org_list_for_actor(actor, permission=permission).count()


def halls_of_org(org: Org) -> QuerySet[Hall]:
    """The org's halls with their windows and each window's departments."""
    windows = Window.objects.order_by("number").prefetch_related(
        Prefetch("departments", queryset=Org.objects.order_by("path"))
    )
    return Hall.objects.filter(org=org).order_by("name").prefetch_related(Prefetch("windows", queryset=windows))


def windows_of_department(org: Org) -> QuerySet[Window]:
    """The windows a department staffs, in any hall."""
    return org.windows.select_related("hall", "hall__org").order_by("hall__org__path", "hall__name", "number")


def memberships_of_org(actor: Staff | None, org: Org) -> QuerySet[Membership]:
    """Who holds a role at the org; empty unless the actor may view staff there."""
    if not policies.can(actor, "staff.view", org):
        return Membership.objects.none()
    return Membership.objects.filter(org=org).select_related("staff").order_by("role", "staff__username")


def staff_directory_for_actor(actor: Staff | None, *, query: str = "") -> QuerySet[Staff]:
    """The staff list page: staff the actor may view, each with only the memberships the actor may see."""
    qs = staff_list_for_actor(actor)
    query = query.strip()
    if query:
        # The org-name match goes through a membership the actor may see, or the search would reveal others.
        in_visible_org = Q(memberships__org__name__icontains=query) & policies.org_q(
            actor, "staff.view", field="memberships__org"
        )
        qs = qs.filter(Q(username__icontains=query) | Q(full_name__icontains=query) | in_visible_org).distinct()
    visible_memberships = (
        Membership.objects.filter(policies.org_q(actor, "staff.view", field="org"))
        .select_related("org")
        .order_by("org__path", "role")
    )
    return qs.prefetch_related(Prefetch("memberships", queryset=visible_memberships, to_attr="visible_memberships"))


def memberships_of_staff(staff: Staff) -> QuerySet[Membership]:
    """A staff member's own memberships (for their own workspace)."""
    return Membership.objects.filter(staff=staff, org__is_active=True).select_related("org").order_by("org__path")
