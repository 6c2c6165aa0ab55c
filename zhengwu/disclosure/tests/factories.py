"""Factories for disclosure tests, built through the services so steps, documents and audit events are real."""

from __future__ import annotations

import datetime as dt
from unittest import mock

from zhengwu.disclosure.models import DisclosureRequest
from zhengwu.disclosure.services.requests import request_register
from zhengwu.disclosure.states import ApplicantKind, Channel
from zhengwu.orgs.models import Org, Role, Staff
from zhengwu.orgs.tests.factories import make_staff


def frozen(day: dt.date) -> mock._patch:  # type: ignore[type-arg]
    """Freeze zhengwu.core.clock.today (and now, at 10:00 Asia/Shanghai) on `day`."""
    from zhengwu.core.clock import SHANGHAI

    instant = dt.datetime.combine(day, dt.time(10, 0), tzinfo=SHANGHAI)
    patcher = mock.patch.multiple("zhengwu.core.clock", today=lambda: day, now=lambda: instant)
    return patcher


def make_officer(org: Org, username: str | None = None) -> Staff:
    return make_staff(org=org, role=Role.DISCLOSURE_OFFICER, username=username)


def make_request(
    *,
    org: Org,
    actor: Staff | None = None,
    received_on: dt.date,
    applicant_name: str = "张三",
    subject: str = "2024年县城区道路改造工程的招标文件",
    channel: str = Channel.IN_PERSON,
    ref: str = "",
) -> DisclosureRequest:
    with frozen(received_on):
        return request_register(
            actor=actor,
            org=org,
            channel=channel,
            applicant_kind=ApplicantKind.NATURAL_PERSON,
            applicant_name=applicant_name,
            subject=subject,
            submitted_on=received_on,
            confirmed_on=received_on,
            signed_on=received_on,
            id_number="11010519491231002X",
            contact_phone="13812345678",
            ref=ref,
        )


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
