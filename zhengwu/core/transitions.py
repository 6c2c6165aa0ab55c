"""The one way a status changes (STYLE rule 3): lock, check the table, save the fields, audit — one transaction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models, transaction
from django.utils.translation import gettext as _

from zhengwu.core.audit import record_event
from zhengwu.core.errors import Conflict, TransitionNotAllowed

if TYPE_CHECKING:
    from zhengwu.orgs.models import Staff

M = TypeVar("M", bound=models.Model)


def transition(
    instance: M,
    *,
    to: Any,
    transitions: Mapping[Any, frozenset[Any] | set[Any] | tuple[Any, ...]],
    actor: Staff | None,
    action: str,
    reason: str = "",
    expected: Any = None,
    changes: Mapping[str, Any] | None = None,
    status_field: str = "status",
) -> M:
    """Move `instance` to status `to`, applying `changes` to other fields, and record the event.

    `expected` is the status the actor saw; when someone else acted first the row's status differs and the
    actor gets a Conflict instead of a silent double action.
    """
    changes = dict(changes or {})
    with transaction.atomic():
        locked = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
        current = getattr(locked, status_field)
        if expected is not None and current != expected:
            raise Conflict(
                _("该记录已被他人处理（当前状态：%(status)s），请刷新后再试。")
                % {"status": _label(locked, status_field)},
                detail={"status": str(current)},
            )
        if to not in transitions.get(current, ()):
            raise TransitionNotAllowed(
                _("当前状态“%(status)s”下不能执行该操作。") % {"status": _label(locked, status_field)},
                detail={"status": str(current), "to": str(to)},
            )
        old = {status_field: current, **{f: getattr(locked, f) for f in changes}}
        setattr(locked, status_field, to)
        for field, value in changes.items():
            setattr(locked, field, value)
        update_fields = [status_field, *changes]
        if any(f.name == "updated_at" for f in locked._meta.concrete_fields):
            update_fields.append("updated_at")
        locked.save(update_fields=update_fields)
        record_event(
            actor=actor,
            action=action,
            obj=locked,
            old=old,
            new={status_field: to, **changes},
            reason=reason,
        )
    for field in update_fields:
        setattr(instance, field, getattr(locked, field))
    return locked


def audited_update(instance: M, *, actor: Staff | None, action: str, changes: Mapping[str, Any], reason: str = "") -> M:
    """Change plain fields of a record (not its status) and audit old → new in one transaction."""
    with transaction.atomic():
        locked = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
        old = {f: getattr(locked, f) for f in changes}
        diff = {f: v for f, v in changes.items() if old[f] != v}
        if not diff:
            return locked
        for field, value in diff.items():
            setattr(locked, field, value)
        locked.full_clean()
        fields = list(diff)
        if any(f.name == "updated_at" for f in locked._meta.concrete_fields):
            fields.append("updated_at")
        locked.save(update_fields=fields)
        record_event(actor=actor, action=action, obj=locked, old={f: old[f] for f in diff}, new=diff, reason=reason)
    for field in diff:
        setattr(instance, field, getattr(locked, field))
    return locked


def _label(obj: models.Model, field: str) -> str:
    getter = getattr(obj, f"get_{field}_display", None)
    return str(getter()) if callable(getter) else str(getattr(obj, field))
