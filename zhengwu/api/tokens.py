"""API tokens for staff: issue with username and password under the web login's lockout, revoke on request."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from zhengwu.core.audit import record_event
from zhengwu.core.errors import ApplicationError
from zhengwu.orgs.models import Staff
from zhengwu.staff import lockout


class InvalidCredentials(ApplicationError):
    code = "invalid_credentials"
    http_status = 400


class LoginLocked(ApplicationError):
    """Too many failed logins for this username or address: the same lock the web login applies."""

    code = "login_locked"
    http_status = 429


def token_issue(*, username: str, password: str, address: str, request: Any = None) -> Token:
    """The staff member's API token (created on first use). Failures count toward the shared login lockout."""
    if lockout.is_locked(username, address):
        raise LoginLocked(_("登录失败次数过多，账号已暂时锁定，请稍后再试或联系管理员。"))
    user = authenticate(request, username=username, password=password)
    if not isinstance(user, Staff):
        lockout.register_failure(username, address)
        raise InvalidCredentials(_("用户名或密码不正确。"))
    lockout.clear(username)
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
