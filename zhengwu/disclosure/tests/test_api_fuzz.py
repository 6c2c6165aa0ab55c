"""Garbage into the disclosure endpoints — the public intake and each step: always a 4xx in the error contract (or a
success), never a 500."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import transaction
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from zhengwu.api.tests.conftest import token_client
from zhengwu.api.tests.test_fuzz import check, values
from zhengwu.disclosure.tests.factories import d, make_officer, make_request

pytestmark = pytest.mark.django_db

FIELDS = [
    "org", "applicant_kind", "applicant_name", "subject", "client_token", "contact_phone", "contact_email",
    "expected", "items", "deadline", "workdays", "approved_by", "reason", "method", "pages", "outcome",
    "legal_basis", "delivered_items", "to_org", "third_party", "from_on", "to_on",
]  # fmt: skip
ACTIONS = ["clarify", "consult", "extend", "fee-notice", "reply", "transfer", "acknowledge", "nope"]


@settings(max_examples=80)
@given(body=st.dictionaries(st.sampled_from(FIELDS), values, max_size=8), action=st.sampled_from(ACTIONS))
def test_garbage_never_500s(county, body, action):
    cache.clear()
    officer = make_officer(county["dept"])
    request = make_request(org=county["dept"], actor=officer, received_on=d("2025-03-03"))
    with transaction.atomic():
        check(
            APIClient().post("/api/v1/disclosure/public/requests/", body, format="json", HTTP_IDEMPOTENCY_KEY="k" * 20)
        )
        check(token_client(officer).post(f"/api/v1/disclosure/requests/{request.pk}/{action}/", body, format="json"))
        transaction.set_rollback(True)
