"""The reply time limit of a request, built from its recorded steps — the one place its due date comes from.

条例第三十三条: 20 workdays from receipt, extendable by at most 20 with the disclosure office head's approval;
第三十条: a clarified request counts again from the day the clarification arrives (Restart);
第三十二条: third-party consultation time does not count (Pause, at most the third party's 15 workdays);
国办函〔2020〕109号: from the fee notice to payment the clock is paused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from zhengwu.core import clock as core_clock
from zhengwu.core.errors import InvalidInput
from zhengwu.disclosure.models import DisclosureRequest
from zhengwu.disclosure.models.request import REPLY_LIMIT_WORKDAYS
from zhengwu.disclosure.states import Channel, RequestStatus
from zhengwu.workdays import Clock, Extension, Pause, Restart

if TYPE_CHECKING:
    from zhengwu.orgs.models import Staff


def receipt_date(
    *,
    channel: str,
    submitted_on: dt.date | None,
    signed_on: dt.date | None = None,
    confirmed_on: dt.date | None = None,
) -> dt.date:
    """条例第三十一条: the day a request counts as received, by channel.

    In person: the day it was handed in. Mail: the day the office signed for it; a letter needing no signature
    counts from the day the office confirmed it with the applicant. Online, fax and other channels: the day both
    sides confirmed it.
    """
    if channel == Channel.IN_PERSON:
        if submitted_on is None:
            raise InvalidInput(_("当面提交的申请须填写提交日期。"), detail={"submitted_on": ["required"]})
        return submitted_on
    if channel == Channel.MAIL:
        day = signed_on or confirmed_on
        if day is None:
            raise InvalidInput(
                _("信函申请须填写签收日期；无需签收的平常信函须填写与申请人确认的日期。"),
                detail={"signed_on": ["required"]},
            )
        return day
    if confirmed_on is None:
        raise InvalidInput(
            _("网络、传真等方式提交的申请以双方确认之日为收到申请之日，须填写确认日期。"),
            detail={"confirmed_on": ["required"]},
        )
    return confirmed_on


def build_clock(
    *,
    received_on: dt.date,
    clarified_on: Sequence[dt.date] = (),
    consultations: Sequence[tuple[dt.date, dt.date | None, dt.date]] = (),
    fee_pauses: Sequence[tuple[dt.date, dt.date | None]] = (),
    extensions: Sequence[tuple[int, dt.date, str]] = (),
    division_code: str = "",
    today: dt.date,
) -> Clock:
    """The rules of the reply limit over plain values (the workflow and the ledger import both come through here).

    consultations: (from, to or None while pending, the third party's deadline); fee_pauses: (issued, settled or
    None while unpaid); extensions: (workdays, granted_on, approved by).
    """
    pauses: list[Pause] = []
    for from_on, to_on, deadline in consultations:
        # Time beyond the third party's deadline counts again: the office must decide without the opinion.
        end = min(to_on or today, deadline)
        if end > from_on:
            pauses.append(Pause(from_on, end, _("征求第三方意见")))
    for issued_on, settled_on in fee_pauses:
        end = settled_on or today
        if end > issued_on:
            pauses.append(Pause(issued_on, end, _("等待缴纳信息处理费")))
    return Clock(
        start=received_on,
        limit=REPLY_LIMIT_WORKDAYS,
        pauses=tuple(pauses),
        restarts=tuple(Restart(day, _("收到补正后的申请")) for day in clarified_on),
        extensions=tuple(
            Extension(n, granted_on=granted, reason=_("%(who)s 批准延期") % {"who": who})
            for n, granted, who in extensions
        ),
        division_code=division_code,
    )


def request_clock(request: DisclosureRequest, *, today: dt.date | None = None) -> Clock | None:
    """The request's reply clock from its recorded steps (None before it counts as received)."""
    if request.received_on is None:
        return None
    today = today or core_clock.today()
    from zhengwu.workdays.selectors import division_code_of

    # A concluded request's open pause ends on its conclusion day, so its clock no longer moves.
    if request.status == RequestStatus.REPLIED and request.replied_on is not None:
        today = min(today, request.replied_on)
    return build_clock(
        received_on=request.received_on,
        clarified_on=[c.received_on for c in request.clarifications.all() if c.received_on is not None],
        consultations=[(c.from_on, c.to_on, c.deadline) for c in request.consultations.all()],
        fee_pauses=[(f.issued_on, f.paid_on or f.waived_on) for f in request.fee_notices.all()],
        extensions=[(e.workdays, e.granted_on, e.approved_by) for e in request.extensions.all()],
        division_code=division_code_of(request.org),
        today=today,
    )


def request_due_refresh(request: DisclosureRequest) -> dt.date | None:
    """Store the clock's due date on the row (for fast lists); called after every step, in its transaction."""
    request = DisclosureRequest.objects.select_related("org__division").get(pk=request.pk)
    clock = request_clock(request)
    due = clock.due_on if clock is not None else None
    if due != request.due_on:
        with transaction.atomic():
            DisclosureRequest.objects.filter(pk=request.pk).update(due_on=due)
        request.due_on = due
    return due


def request_due_dates_recompute(*, years: range, actor: Staff | None) -> int:
    """A holiday notice replaced a provisional year: recount the stored due date of every request (open, or
    replied in those years) whose count touches them, and audit each change. Registered with zhengwu.workdays."""
    from django.db.models import Q

    from zhengwu.core.audit import record_event

    first, last = years.start, years.stop - 1
    rows = (
        DisclosureRequest.objects.select_related("org__division")
        .prefetch_related("clarifications", "consultations", "extensions", "fee_notices")
        .filter(received_on__isnull=False, received_on__year__lte=last)
        .filter(Q(due_on__year__gte=first) | Q(received_on__year__gte=first) | Q(due_on__isnull=True))
    )
    changed = 0
    for request in rows.iterator(chunk_size=2000):
        clock = request_clock(request)
        if clock is None or clock.due_on == request.due_on:
            continue
        with transaction.atomic():
            DisclosureRequest.objects.filter(pk=request.pk).update(due_on=clock.due_on)
            record_event(
                actor=actor,
                action="disclosure.due_recompute",
                obj=request,
                old={"due_on": request.due_on},
                new={"due_on": clock.due_on},
                reason=str(years),
            )
        changed += 1
    return changed
