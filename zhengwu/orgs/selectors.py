"""Reads of the org tree, always scoped to what the actor may see."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from zhengwu.orgs import policies
from zhengwu.orgs.models import Org, Staff

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
