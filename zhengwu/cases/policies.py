"""Who may do what to a case. A case belongs to its handling department (`org`); the window staff of the center
that takes it in (`center`) hold their permissions through the center."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext as _

from zhengwu.core.errors import PermissionDenied
from zhengwu.orgs import policies
from zhengwu.orgs.models import Org, OrgKind, Role, Scope

if TYPE_CHECKING:
    from zhengwu.cases.models import Case
    from zhengwu.orgs.models import Staff

HANDLERS = {Role.WINDOW_STAFF, Role.APPROVER}

policies.register("cases.view", {Role.ADMIN, Role.WINDOW_STAFF, Role.APPROVER, Role.SUPERVISOR, Role.LEADER})
policies.register("cases.intake", {Role.WINDOW_STAFF})
policies.register("cases.accept", HANDLERS)
policies.register("cases.handle", HANDLERS)  # corrections, special procedures, extensions, steps, visits
policies.register("cases.conclude", HANDLERS)
policies.register("cases.supervise", {Role.SUPERVISOR, Role.LEADER})
policies.register("cases.rectify", {Role.APPROVER, Role.SUPERVISOR})
policies.register("cases.respond", HANDLERS)  # answer a correction order
policies.register("cases.import", {Role.ADMIN})


def can_case(actor: Staff | None, permission: str, case: Case) -> bool:
    """Through the handling org, the department whose desk the case is on, or the intake center."""
    if policies.can(actor, permission, case.org):
        return True
    if case.desk_id is not None and case.desk_id != case.org_id and policies.can(actor, permission, case.desk):
        return True
    return case.center is not None and policies.can(actor, permission, case.center)


def require_case(actor: Staff | None, permission: str, case: Case) -> None:
    if not can_case(actor, permission, case):
        raise PermissionDenied(_("您没有权限执行该操作。"), detail={"permission": permission})


CENTER_KINDS = (OrgKind.SERVICE_CENTER, OrgKind.CONVENIENCE_CENTER, OrgKind.SERVICE_STATION)


def _center_grant_orgs(actor: Staff) -> set[int]:
    """Which of the actor's grant orgs are centers (read once per actor object, like the grants)."""
    cached: set[int] | None = getattr(actor, "_zw_case_centers", None)
    if cached is None:
        ids = {g.org_id for g in policies.grants(actor)}
        cached = set(Org.objects.filter(pk__in=ids, kind__in=CENTER_KINDS).values_list("pk", flat=True))
        actor._zw_case_centers = cached  # type: ignore[attr-defined]
    return cached


def case_q(actor: Staff | None, permission: str, prefix: str = "", *, desk_only: bool = False) -> Q:
    """Cases the actor holds `permission` for: a post at a center reaches the cases its windows take in
    (`center`); any other post the cases its org handles (`org`) or has on its desk (`desk`, a step passed to it).
    With `desk_only` (the staff lists), only what is on the post's desk: one plain condition per post
    (`desk_id = …` or `desk_id IN (subtree ids)`), so a list page is an index range scan in list order."""
    if actor is None or (actor.is_active and actor.is_superuser):
        return Q()
    if not actor.is_active:
        return Q(pk__in=[])
    roles = policies.roles_for(permission)
    centers = _center_grant_orgs(actor)
    q = Q(pk__in=[])
    for g in policies.grants(actor):
        if g.role not in roles:
            continue
        if g.org_id in centers:
            fields = ["center_id"]
        elif desk_only:
            fields = ["desk_id"]
        else:
            fields = ["org_id", "desk_id"]
        for field in fields:
            if g.scope == Scope.SUBTREE:
                q |= Q(**{f"{prefix}{field}__in": Org.objects.filter(path__startswith=g.path).values("id")})
            else:
                q |= Q(**{f"{prefix}{field}": g.org_id})
    return q
