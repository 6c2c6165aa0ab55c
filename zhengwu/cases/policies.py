"""Who may do what to a case. A case belongs to its handling department (`org`); the window staff of the center
that takes it in (`center`) hold their permissions through the center."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext as _

from zhengwu.core.errors import PermissionDenied
from zhengwu.orgs import policies
from zhengwu.orgs.models import Role

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
    if policies.can(actor, permission, case.org):
        return True
    return case.center is not None and policies.can(actor, permission, case.center)


def require_case(actor: Staff | None, permission: str, case: Case) -> None:
    if not can_case(actor, permission, case):
        raise PermissionDenied(_("您没有权限执行该操作。"), detail={"permission": permission})


def case_q(actor: Staff | None, permission: str, prefix: str = "") -> Q:
    """Cases the actor holds `permission` for, through the handling org or the intake center."""
    return policies.org_q(actor, permission, field=f"{prefix}org") | policies.org_q(
        actor, permission, field=f"{prefix}center"
    )
