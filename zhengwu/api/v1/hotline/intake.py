"""What the ticket endpoints use to keep an intake cheap under load: token authentication from the per-process
copy (`zhengwu.hotline.config_cache`) and a fixed-window rate limit that costs one cache increment.

Both keep the API's contracts: the same `Token …` header and errors as DRF's TokenAuthentication, the same `user`
budget (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["user"], ZHENGWU_API_USER_RATE) and a 429 with Retry-After.
DRF's own UserRateThrottle keeps a list of every call's timestamp in the window and rewrites it on each call,
which costs more the higher the budget an integration is given.
"""

from __future__ import annotations

import copy
from typing import Any

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from zhengwu.hotline import config_cache
from zhengwu.hotline.open311 import throttle


class CachedTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, the token → active staff member (with grants) kept per process."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        def load() -> tuple[Any, Any] | None:
            try:
                user, token = super(CachedTokenAuthentication, self).authenticate_credentials(key)
            except exceptions.AuthenticationFailed:  # not kept: DRF raises its own error below
                return None
            from zhengwu.orgs import policies

            policies.grants(user)  # read once here, kept with the user
            return user, token

        found = config_cache.cached(("token", key), load)
        if found is None:
            return super().authenticate_credentials(key)  # raises AuthenticationFailed
        user, token = found
        return copy.copy(user), token  # a request's own attributes stay with that request


class UserWindowThrottle(BaseThrottle):
    """The `user` rate per authenticated user (per client address when anonymous), counted in fixed windows."""

    def __init__(self) -> None:
        self.wait_seconds = 0

    def allow_request(self, request: Request, view: Any) -> bool:
        user = request.user
        if user is not None and user.is_authenticated:
            scope, ident = "user", f"u{user.pk}"
        else:
            scope, ident = "anon", throttle.client_ident(request)
        allowed, self.wait_seconds = throttle.allow(scope=scope, ident=f"api:{ident}")
        return allowed

    def wait(self) -> float | None:
        return float(self.wait_seconds)
