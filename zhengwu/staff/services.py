"""Sign-in and sign-out of staff: lockout after repeated failures, and an audit event for each attempt."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from zhengwu.core.audit import record_event
from zhengwu.core.errors import ApplicationError
from zhengwu.core.http import client_address
from zhengwu.orgs.models import Org, Staff
from zhengwu.staff import lockout

logger = logging.getLogger(__name__)
OBJECT_TYPE = "orgs.staff"


class LoginFailed(ApplicationError):
    code = "invalid_credentials"
    http_status = 400


class LoginLocked(ApplicationError):
    code = "login_locked"
    http_status = 429


def _home_org(staff: Staff) -> Org | None:
    """The org the account's events are filed under, so its own county's auditors see them."""
    membership = staff.memberships.select_related("org").order_by("org__path", "pk").first()
    return membership.org if membership is not None else None


def _locked_message() -> str:
    minutes = max(1, settings.LOGIN_LOCKOUT_SECONDS // 60)
    return _("登录失败次数过多，账号已暂时锁定。请 %(minutes)d 分钟后再试，或联系本单位系统管理员。") % {
        "minutes": minutes
    }


def staff_login(*, request: HttpRequest, username: str, password: str) -> Staff:
    """Sign-in from the web page: `staff_authenticate` with the request's client address."""
    return staff_authenticate(request=request, username=username, password=password, channel="web")


def staff_authenticate(*, request: Any, username: str, password: str, channel: str) -> Staff:
    """Check the credentials, counting failures toward the lockout shared by the web and the API; return the staff
    member on success. Every outcome for an existing account is audited (`channel`: web | api).

    Failures for a username with no account are only logged: they have no object to file them under, and
    writing them to the chained trail would let anyone fill it.
    """
    address = client_address(request)
    if lockout.is_locked(username, address):
        logger.warning("login refused while locked: username=%r address=%s", username, address)
        raise LoginLocked(_locked_message())
    user = authenticate(request, username=username, password=password)
    if not isinstance(user, Staff) or not user.is_active:
        failures = lockout.register_failure(username, address)
        account = Staff.objects.filter(username=username).first()
        if account is None:
            logger.warning("login failed for unknown username=%r address=%s", username, address)
        else:
            org = _home_org(account)
            with transaction.atomic():
                record_event(
                    actor=None,
                    action="staff.login_failed",
                    object_type=OBJECT_TYPE,
                    object_id=account.pk,
                    org=org,
                    new={"address": address, "failures": failures, "channel": channel},
                    reason=_("用户名或密码不正确"),
                )
                if failures == settings.LOGIN_FAILURE_LIMIT:
                    record_event(
                        actor=None,
                        action="staff.locked",
                        object_type=OBJECT_TYPE,
                        object_id=account.pk,
                        org=org,
                        new={"address": address, "seconds": settings.LOGIN_LOCKOUT_SECONDS},
                        reason=_("连续 %(n)d 次登录失败") % {"n": failures},
                    )
        if lockout.is_locked(username, address):
            raise LoginLocked(_locked_message())
        raise LoginFailed(_("用户名或密码不正确。"))
    lockout.clear(username)
    record_event(
        actor=user,
        action="staff.login",
        object_type=OBJECT_TYPE,
        object_id=user.pk,
        org=_home_org(user),
        new={"address": address, "channel": channel},
    )
    return user


def staff_logout_recorded(*, request: HttpRequest, staff: Staff) -> None:
    """The audit half of signing out; the view ends the session."""
    record_event(
        actor=staff,
        action="staff.logout",
        object_type=OBJECT_TYPE,
        object_id=staff.pk,
        org=_home_org(staff),
        new={"address": client_address(request)},
    )
