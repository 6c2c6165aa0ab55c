"""API tokens for staff: issue with username and password under the web login's lockout, revoke on request."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from rest_framework.authtoken.models import Token

from zhengwu.core.audit import record_event
from zhengwu.orgs.models import Staff
from zhengwu.staff.services import LoginFailed, LoginLocked, staff_authenticate


def token_issue(*, username: str, password: str, request: Any) -> Token:
    """The staff member's API token (created on first use), after the same audited, lockout-counted check as the
    web sign-in (`staff_authenticate`)."""
    user = staff_authenticate(request=request, username=username, password=password, channel="api")
    with transaction.atomic():
        token, created = Token.objects.get_or_create(user=user)
        if created:
            record_event(actor=user, action="staff.token_issue", object_type="orgs.staff", object_id=user.pk, new={})
    return token


def token_revoke(*, actor: Staff) -> bool:
    """Delete the actor's token; every client using it must log in again. True when there was one."""
    with transaction.atomic():
        deleted, _rows = Token.objects.filter(user=actor).delete()
        if deleted:
            record_event(actor=actor, action="staff.token_revoke", object_type="orgs.staff", object_id=actor.pk)
    return bool(deleted)


__all__ = ["LoginFailed", "LoginLocked", "token_issue", "token_revoke"]
