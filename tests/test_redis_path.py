"""The scale-out path: with ZHENGWU_REDIS_URL, cache, sessions, login lockout and API rate limits live in Redis,
so several web processes share them. Tests marked `redis` run against ZHENGWU_TEST_REDIS_URL and only ever
touch keys under their own prefix."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import cache, caches
from rest_framework.test import APIClient

from zhengwu.orgs.models import Role, Staff
from zhengwu.orgs.tests.factories import PASSWORD, make_county, make_staff
from zhengwu.staff import lockout

ROOT = Path(__file__).resolve().parent.parent
PRINT_SETTINGS = (
    "import json; from django.conf import settings as s; "
    "print(json.dumps({'cache': s.CACHES['default']['BACKEND'], 'location': s.CACHES['default']['LOCATION'], "
    "'session': s.SESSION_ENGINE}))"
)


def settings_with(env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    """Import config.settings.base in a fresh interpreter with the given environment."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ZHENGWU_")}
    clean.update({"DJANGO_SETTINGS_MODULE": "config.settings.base", "ZHENGWU_VAR_DIR": str(tmp_path), **env})
    code = f"import django; django.setup(); {PRINT_SETTINGS}"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, check=True, timeout=60
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_settings_pick_redis_when_the_url_is_set(tmp_path: Path) -> None:
    chosen = settings_with({"ZHENGWU_REDIS_URL": "redis://10.0.0.5:6379/3"}, tmp_path)
    assert chosen == {
        "cache": "django_redis.cache.RedisCache",
        "location": "redis://10.0.0.5:6379/3",
        "session": "django.contrib.sessions.backends.cache",
    }


def test_settings_use_the_database_without_redis(tmp_path: Path) -> None:
    chosen = settings_with({}, tmp_path)
    assert chosen["cache"] == "django.core.cache.backends.db.DatabaseCache"
    assert chosen["session"] == "django.contrib.sessions.backends.db"


# --- Against a real Redis -----------------------------------------------------------------------------------


@pytest.fixture
def county_admin(db: None) -> Staff:
    return make_staff(org=make_county("甲县")["gov"], role=Role.ADMIN)


@pytest.fixture
def redis_prefix(settings) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Point the default cache and the sessions at Redis under a prefix of our own; delete only its keys after."""
    import redis

    url = os.environ["ZHENGWU_TEST_REDIS_URL"]
    prefix = f"zwtest-{uuid.uuid4().hex[:12]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    raw = redis.Redis.from_url(url)
    try:
        yield prefix
    finally:
        for key in raw.scan_iter(match=f"{prefix}:*", count=500):
            raw.delete(key)
        raw.close()


def raw_keys(prefix: str) -> list[str]:
    """What a different process sees: a separate, plain Redis connection."""
    import redis

    raw = redis.Redis.from_url(os.environ["ZHENGWU_TEST_REDIS_URL"])
    try:
        return sorted(k.decode() for k in raw.scan_iter(match=f"{prefix}:*", count=500))
    finally:
        raw.close()


def new_process_cache() -> None:
    """Drop this process's cache backend so the next access builds a new one, as another web worker would."""
    caches.close_all()
    del caches["default"]


@pytest.mark.redis
def test_the_cache_is_redis(redis_prefix: str) -> None:
    cache.set("probe", "值", timeout=60)
    assert f"{redis_prefix}:1:probe" in raw_keys(redis_prefix)
    new_process_cache()
    assert cache.get("probe") == "值"


@pytest.mark.redis
def test_a_session_made_in_one_process_is_seen_by_another(redis_prefix: str, county_admin: Staff) -> None:
    first = APIClient()
    assert first.login(username=county_admin.username, password=PASSWORD)
    session_key = first.cookies["sessionid"].value
    assert any(session_key in key for key in raw_keys(redis_prefix))  # stored in Redis, not the database

    new_process_cache()
    second = APIClient()
    second.cookies["sessionid"] = session_key
    response = second.get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["username"] == county_admin.username


@pytest.mark.redis
def test_login_lockout_counters_are_shared(redis_prefix: str, county_admin: Staff, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LOGIN_FAILURE_LIMIT = 3
    url = "/api/v1/auth/token/"
    statuses = [
        APIClient().post(url, {"username": county_admin.username, "password": "wrong"}, format="json").status_code
        for _ in range(3)
    ]
    assert statuses == [400, 400, 429]  # the failure that reaches the limit already answers "locked"

    new_process_cache()
    assert lockout.is_locked(county_admin.username, "203.0.113.9")  # another process, another address
    response = APIClient().post(url, {"username": county_admin.username, "password": PASSWORD}, format="json")
    assert response.status_code == 429
    assert response.json()["code"] == "login_locked"


@pytest.mark.redis
def test_api_throttle_counters_are_shared(redis_prefix: str, county_admin: Staff, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "100/min", "user": "3/min", "auth_token": "5/min"}
    )
    client = APIClient()
    client.force_authenticate(county_admin)
    assert [client.get("/api/v1/me/").status_code for _ in range(3)] == [200, 200, 200]
    assert f"{redis_prefix}:1:throttle_user_{county_admin.pk}" in raw_keys(redis_prefix)

    new_process_cache()
    other = APIClient()
    other.force_authenticate(county_admin)
    response = other.get("/api/v1/me/")
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited" and int(response["Retry-After"]) >= 1
