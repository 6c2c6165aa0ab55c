"""The demo hotline: built through the services, with open work in the queues and a sound audit chain."""

from __future__ import annotations

import random

import pytest

from zhengwu.core.audit import verify_chain
from zhengwu.hotline.demo import build_hotline_demo
from zhengwu.hotline.models import KnowledgeArticle, Ticket
from zhengwu.hotline.states import OPEN, TicketStatus
from zhengwu.orgs.tests.factories import make_county

pytestmark = pytest.mark.django_db


def test_the_demo_hotline_has_history_and_open_work():
    county = make_county("青岚县")

    summary = build_hotline_demo(gov=county["gov"], rng=random.Random(7), tickets=60)

    assert summary["tickets"] == Ticket.objects.count() > 50
    assert KnowledgeArticle.objects.count() == 30
    statuses = set(Ticket.objects.values_list("status", flat=True))
    assert TicketStatus.CONCLUDED in statuses and statuses & OPEN
    assert Ticket.objects.filter(answered_directly=True).exists()
    assert verify_chain()[1] is None
