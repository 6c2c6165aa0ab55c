"""Who may read the service statistics: supervisors, leaders and admins, for the orgs they cover."""

from __future__ import annotations

from django.utils.translation import gettext as _

from zhengwu.core.errors import InvalidInput, NotFound
from zhengwu.orgs import policies
from zhengwu.orgs.models import Org, Role, Scope, Staff

VIEW = "reports.service.view"

# Window staff see their own counters' figures on the case pages; the statistics of a whole org are for
# those who supervise or lead it.
policies.register(VIEW, {Role.ADMIN, Role.SUPERVISOR, Role.LEADER})

SCOPES = ("self", "subtree")


def org_for_report(actor: Staff | None, code: str, scope: str) -> Org:
    """The org `code` if the actor may read its statistics in `scope`; NotFound otherwise (as if it did not exist).

    `subtree` needs a grant covering the org's whole subtree (a membership of scope subtree at it or above)."""
    if scope not in SCOPES:
        raise InvalidInput(_("范围应为 self 或 subtree。"), detail={"scope": ["invalid"]})
    org = Org.objects.filter(code=code, is_active=True).select_related("division").first()
    if org is None or not policies.can(actor, VIEW, org):
        raise NotFound(_("机构不存在或您无权查看其统计。"), detail={"org": ["not_found"]})
    if scope == "subtree" and actor is not None and not actor.is_superuser:
        roles = policies.roles_for(VIEW)
        if not any(
            g.role in roles and g.scope == Scope.SUBTREE and org.path.startswith(g.path) for g in policies.grants(actor)
        ):
            raise NotFound(_("机构不存在或您无权查看其统计。"), detail={"org": ["not_found"]})
    return org


def orgs_for_actor(actor: Staff | None, limit: int = 200) -> list[Org]:
    """The orgs whose statistics the actor may read, tree order (for pickers and the default org)."""
    qs = Org.objects.filter(policies.org_q(actor, VIEW, field=""), is_active=True).order_by("path")
    return list(qs[:limit])
