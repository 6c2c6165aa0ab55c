"""What the ticket endpoints use to keep an intake cheap under load: token authentication from the per-process
copy (`zhengwu.hotline.config_cache`), with the same `Token …` header and errors as DRF's TokenAuthentication.
(Their rate limit is `zhengwu.api.throttling.UserWindowThrottle`: the same `user` budget, one cache increment.)
"""

from __future__ import annotations

import copy
from typing import Any

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from zhengwu.hotline import config_cache


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
