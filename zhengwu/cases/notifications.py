"""Notifications to applicants and departments through a pluggable sender; the default writes to the outbox.

A sender is any callable object with `send(message)`; `settings.CASES_NOTIFICATION_SENDER` names its class
(dotted path). Messages are handed over after the transaction commits (STYLE rule 7): nothing is sent for a
change that was rolled back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from zhengwu.core import clock

DEFAULT_SENDER = "zhengwu.cases.notifications.OutboxSender"


@dataclass(frozen=True)
class Message:
    org_id: int
    case_id: int | None
    kind: str  # case.accepted, case.correction, rectification.opened …
    recipient: str  # a phone number, or "" for the department itself
    body: str


class Sender(Protocol):
    def send(self, message: Message) -> None: ...


class OutboxSender:
    """Records the message in the outbox the staff pages show (no SMS gateway in the default install)."""

    def send(self, message: Message) -> None:
        from zhengwu.cases.models import OutboxMessage

        OutboxMessage.objects.create(
            org_id=message.org_id,
            case_id=message.case_id,
            kind=message.kind,
            recipient=message.recipient,
            body=message.body,
            created_at=clock.now(),
        )


def get_sender() -> Sender:
    sender: Sender = import_string(getattr(settings, "CASES_NOTIFICATION_SENDER", DEFAULT_SENDER))()
    return sender


def notify_after_commit(message: Message) -> None:
    transaction.on_commit(lambda: get_sender().send(message))
