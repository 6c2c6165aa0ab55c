"""Fixtures for the workspace pages: a clean lockout cache and a logged-in client."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from zhengwu.orgs.models import Staff
from zhengwu.orgs.tests.factories import PASSWORD


@pytest.fixture(autouse=True)
def _clean_cache() -> None:
    # Lockout counters live in the cache; a test must not inherit another's failures.
    cache.clear()


def login(client: Client, staff: Staff) -> Client:
    response = client.post("/staff/login/", {"username": staff.username, "password": PASSWORD})
    assert response.status_code == 302, "login should succeed"
    return client


@pytest.fixture(scope="session")
def english() -> None:
    from zhengwu.staff.tests.i18n import compile_translations

    compile_translations()
