"""Who may do what, by org subtree — the one place every permission is decided (STYLE rule 8).

A permission is a name (``"orgs.manage"``) granted to roles. A staff member holds it for an org when one of
their memberships has such a role at that org (scope ``self``) or at an ancestor (scope ``subtree``).
Domain apps register their own permissions here at import time (see ``register``); services call
``require``; selectors scope their querysets with ``scope``/``org_q``. Actor ``None`` is the platform
operator running the CLI without ``--as`` (someone who already holds the database credentials).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from zhengwu.core.errors import PermissionDenied
from zhengwu.orgs.models import Membership, Org, Role, Scope

if TYPE_CHECKING:
    from zhengwu.orgs.models import Staff

ALL_ROLES = frozenset(Role)
_PERMISSIONS: dict[str, frozenset[Role]] = {}


def register(permission: str, roles: Iterable[Role]) -> None:
    """Declare a permission and the roles that hold it. Registering the same name twice must agree."""
    roles = frozenset(roles)
    if permission in _PERMISSIONS and _PERMISSIONS[permission] != roles:
        raise ValueError(f"permission {permission} registered twice with different roles")
    _PERMISSIONS[permission] = roles


def roles_for(permission: str) -> frozenset[Role]:
    try:
        return _PERMISSIONS[permission]
    except KeyError:
        raise KeyError(f"unknown permission {permission!r}: register it in the app's policies module") from None


def permissions() -> dict[str, frozenset[Role]]:
    return dict(_PERMISSIONS)


# --- The foundation's own permissions ------------------------------------------------------------------
register("orgs.view", ALL_ROLES)
register("orgs.manage", {Role.ADMIN})
register("staff.view", {Role.ADMIN, Role.SUPERVISOR, Role.LEADER})
register("staff.manage", {Role.ADMIN})
register("audit.view", {Role.ADMIN, Role.SUPERVISOR})
register("audit.verify", {Role.ADMIN})


@dataclass(frozen=True)
class Grant:
    org_id: int
    path: str
    role: Role
    scope: Scope

    def covers(self, org: Org) -> bool:
        if self.scope == Scope.SUBTREE:
            return org.path.startswith(self.path)
        return org.pk == self.org_id


def grants(actor: Staff) -> list[Grant]:
    """The actor's memberships, read once per actor object (one request, one CLI run)."""
    cached: list[Grant] | None = getattr(actor, "_zw_grants", None)
    if cached is None:
        rows = Membership.objects.filter(staff=actor, org__is_active=True).values_list(
            "org_id", "org__path", "role", "scope"
        )
        cached = [Grant(org_id, path, Role(role), Scope(scope)) for org_id, path, role, scope in rows]
        actor._zw_grants = cached  # type: ignore[attr-defined]
    return cached


def _is_operator(actor: Staff | None) -> bool:
    return actor is None or (actor.is_active and actor.is_superuser)


def target_org(target: Any) -> Org:
    """The org a record belongs to: the org itself, `policy_org()`, or its `org` field."""
    if isinstance(target, Org):
        return target
    getter = getattr(target, "policy_org", None)
    if callable(getter):
        return getter()
    org = getattr(target, "org", None)
    if isinstance(org, Org):
        return org
    raise TypeError(f"cannot tell which org {target!r} belongs to")


def can(actor: Staff | None, permission: str, target: Any) -> bool:
    roles = roles_for(permission)
    if _is_operator(actor):
        return True
    assert actor is not None
    if not actor.is_active:
        return False
    org = target_org(target)
    return any(g.role in roles and g.covers(org) for g in grants(actor))


def require(actor: Staff | None, permission: str, target: Any) -> None:
    """Raise PermissionDenied unless the actor holds `permission` for the target's org."""
    if not can(actor, permission, target):
        raise PermissionDenied(_("您没有权限执行该操作。"), detail={"permission": permission})


def can_anywhere(actor: Staff | None, permission: str) -> bool:
    """Whether the actor holds the permission for at least one org (to show a menu entry)."""
    roles = roles_for(permission)
    if _is_operator(actor):
        return True
    assert actor is not None
    return actor.is_active and any(g.role in roles for g in grants(actor))


def org_q(actor: Staff | None, permission: str, field: str = "org") -> Q:
    """A filter keeping rows whose org (reached by `field`; "" for Org itself) the actor holds the permission for."""
    roles = roles_for(permission)
    if _is_operator(actor):
        return Q()
    assert actor is not None
    if not actor.is_active:
        return Q(pk__in=[])
    prefix = f"{field}__" if field else ""
    pk_field = f"{field}_id" if field else "pk"
    q = Q(pk__in=[])
    for g in grants(actor):
        if g.role not in roles:
            continue
        if g.scope == Scope.SUBTREE:
            q |= Q(**{f"{prefix}path__startswith": g.path})
        else:
            q |= Q(**{pk_field: g.org_id})
    return q


QS = TypeVar("QS", bound=QuerySet[Any])


def scope(actor: Staff | None, permission: str, queryset: QS, field: str = "org") -> QS:
    """The part of `queryset` the actor may see under `permission`."""
    if field == "" and not issubclass(queryset.model, Org):
        raise TypeError("field='' is only for Org querysets")
    return queryset.filter(org_q(actor, permission, field))


def model_org_field(model: type[models.Model]) -> str:
    return "" if issubclass(model, Org) else "org"
