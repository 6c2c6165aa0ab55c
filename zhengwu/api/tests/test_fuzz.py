"""Garbage into every write endpoint — wrong types, huge strings, odd unicode, nulls, arrays: always a 4xx
in the error contract (or a success), never a 500."""

from __future__ import annotations

import json

import pytest
from django.db import transaction
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from zhengwu.api.tests.conftest import token_client
from zhengwu.orgs.models import Org, Staff

WRITE_ENDPOINTS = [("post", "/api/v1/orgs/"), ("post", "/api/v1/auth/token/"), ("post", "/api/v1/audit/verify/")]
FIELDS = ["code", "name", "kind", "parent", "division", "short_name", "office_hours", "username", "password"]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=300, max_size=5000),
    st.sampled_from(["\x00", "A" * 41, "😀" * 50, "../../etc", "' OR 1=1 --", "department", "government"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)
bodies = st.one_of(
    st.dictionaries(st.sampled_from(FIELDS), values, max_size=len(FIELDS)),
    st.lists(values, max_size=3),
    values,
)


def check(response: object) -> None:
    status = response.status_code  # type: ignore[attr-defined]
    assert status < 500, response.content[:300]  # type: ignore[attr-defined]
    if status >= 400:
        body = response.json()  # type: ignore[attr-defined]
        assert set(body) == {"code", "message", "detail"}


@pytest.fixture
def admin_client(county: dict[str, Org], county_admin: Staff) -> APIClient:
    return token_client(county_admin)


@settings(max_examples=150)
@given(body=bodies)
def test_json_garbage_never_500s(admin_client: APIClient, body: object) -> None:
    for method, url in WRITE_ENDPOINTS:
        # Each example in its own savepoint: a created org must not leak into the next example.
        with transaction.atomic():
            check(getattr(admin_client, method)(url, data=json.dumps(body), content_type="application/json"))
            transaction.set_rollback(True)


@settings(max_examples=60)
@given(
    raw=st.binary(max_size=400),
    content_type=st.sampled_from(
        ["application/json", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "text/plain"]
    ),
)
def test_raw_bytes_never_500(admin_client: APIClient, raw: bytes, content_type: str) -> None:
    for method, url in WRITE_ENDPOINTS:
        with transaction.atomic():
            check(getattr(admin_client, method)(url, data=raw, content_type=content_type))
            transaction.set_rollback(True)


@settings(max_examples=60)
@given(value=st.text(max_size=80))
def test_query_and_lookup_garbage_never_500s(admin_client: APIClient, value: str) -> None:
    from urllib.parse import quote

    q = quote(value, safe="")
    for url in (
        f"/api/v1/orgs/?under={q}",
        f"/api/v1/orgs/?page={q}&page_size={q}",
        f"/api/v1/audit/events/?object_type={q}&object_id={q}&action={q}",
        f"/api/v1/staff/{q}/",
        f"/api/v1/orgs/{q}/children/",
        f"/api/v1/audit/events/{q}/",
    ):
        check(admin_client.get(url))
