"""Suite-wide test setup: browser and Redis tests run only where their service is enabled (CI enables both)."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "zhengwu", database=None, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
settings.load_profile("zhengwu")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip_browser = pytest.mark.skip(reason="browser tests need ZHENGWU_BROWSER_TESTS=1 and /usr/bin/chromium")
    skip_redis = pytest.mark.skip(reason="Redis tests need ZHENGWU_TEST_REDIS_URL")
    for item in items:
        if "browser" in item.keywords and os.environ.get("ZHENGWU_BROWSER_TESTS") != "1":
            item.add_marker(skip_browser)
        if "redis" in item.keywords and not os.environ.get("ZHENGWU_TEST_REDIS_URL"):
            item.add_marker(skip_redis)


@pytest.fixture(autouse=True)
def _no_hotline_copies() -> None:
    """The hotline intake's per-process copies (tokens, orgs, rules) are not rolled back with a test's rows: each
    test starts without them, as a process does after a change it has not seen yet."""
    from zhengwu.hotline import config_cache

    config_cache.reset()


@pytest.fixture(autouse=True)
def _calendar_after_flush(request: pytest.FixtureRequest) -> None:
    """Transactional tests start from a flushed database: put the holiday table (seeded by a data migration for
    every other test) back, so due dates never silently turn provisional."""
    if not {"transactional_db", "live_server"} & set(request.fixturenames) and not (
        (marker := request.node.get_closest_marker("django_db")) is not None and marker.kwargs.get("transaction")
    ):
        return
    request.getfixturevalue("transactional_db")
    from zhengwu.workdays.seed import calendar_seed

    calendar_seed()
