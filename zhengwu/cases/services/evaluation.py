"""好差评: the applicant rates a concluded case; a bad rating opens a rectification that ends in a callback and
its closure."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from zhengwu.cases.models import Case, Evaluation, Rectification
from zhengwu.cases.notifications import Message, notify_after_commit
from zhengwu.cases.states import (
    BAD_LEVELS,
    RECTIFICATION_TRANSITIONS,
    CaseStatus,
    EvaluationChannel,
    Level,
    RectificationStatus,
)
from zhengwu.cases.work_facts import evaluation_facts
from zhengwu.core import clock
from zhengwu.core.audit import record_event
from zhengwu.core.errors import Conflict, InvalidInput
from zhengwu.core.transitions import audited_update, transition
from zhengwu.orgs import policies
from zhengwu.workdays import add_workdays

if TYPE_CHECKING:
    from zhengwu.orgs.models import Staff

RECTIFICATION_WORKDAYS = 15


def rectification_workdays() -> int:
    """The rectification limit in workdays: `settings.CASES_RECTIFICATION_WORKDAYS`, default 15."""
    return int(getattr(settings, "CASES_RECTIFICATION_WORKDAYS", RECTIFICATION_WORKDAYS))


def evaluation_submit(*, case: Case, level: str, channel: str, comment: str = "") -> Evaluation:
    """The applicant's rating (by query code on the portal, or on the window's device), once per concluded case."""
    if level not in Level.values:
        raise InvalidInput(_("请选择评价等级。"), detail={"level": ["invalid"]})
    if channel not in {EvaluationChannel.PORTAL, EvaluationChannel.WINDOW_DEVICE}:
        raise InvalidInput(_("评价渠道不正确。"), detail={"channel": ["invalid"]})
    comment = comment.strip()[:1000]
    if level in BAD_LEVELS and not comment:
        raise InvalidInput(_("请告诉我们哪里做得不好，以便整改。"), detail={"comment": ["required"]})
    today = clock.today()
    try:
        with transaction.atomic():
            fresh = Case.objects.select_for_update().get(pk=case.pk)
            if fresh.status != CaseStatus.CONCLUDED:
                raise Conflict(_("办结后才能评价。"), detail={"status": fresh.status})
            if Evaluation.objects.filter(case=fresh).exists():
                raise Conflict(_("本件已评价过，感谢您的反馈。"), detail={"evaluation": ["already"]})
            evaluation = Evaluation.objects.create(
                case=fresh, level=level, channel=channel, comment=comment, submitted_at=clock.now()
            )
            # The case keeps the level for statistics (zhengwu.cases.work_facts); the event below records it.
            Case.objects.filter(pk=fresh.pk).update(**evaluation_facts(level, rectified=False))
            record_event(
                actor=None, action="case.evaluate", obj=fresh, new={"level": level, "channel": channel}, reason=comment
            )
            if level in BAD_LEVELS:
                rect = Rectification.objects.create(
                    evaluation=evaluation,
                    org=fresh.org,
                    opened_on=today,
                    due_on=add_workdays(today, rectification_workdays()),
                )
                record_event(
                    actor=None,
                    action="rectification.open",
                    obj=rect,
                    org=fresh.org,
                    new={"case": fresh.ref, "due_on": rect.due_on},
                )
    except IntegrityError as exc:  # a second rating in a race
        raise Conflict(_("本件已评价过，感谢您的反馈。"), detail={"evaluation": ["already"]}) from exc
    if level in BAD_LEVELS:
        notify_after_commit(
            Message(
                fresh.org_id,
                fresh.pk,
                "rectification.opened",
                "",
                _("办件 %(ref)s 收到差评（%(level)s），请于 %(due)s 前整改并回访。")
                % {"ref": fresh.ref, "level": Level(level).label, "due": evaluation.rectification.due_on.isoformat()},
            )
        )
    return evaluation


def rectification_record_callback(
    *, actor: Staff | None, rectification: Rectification, note: str, satisfied: bool | None
) -> Rectification:
    """回访: what the applicant said when called back after the rectification."""
    policies.require(actor, "cases.rectify", rectification)
    note = note.strip()
    if not note:
        raise InvalidInput(_("请填写回访记录。"), detail={"note": ["required"]})
    with transaction.atomic():
        fresh = Rectification.objects.select_for_update().get(pk=rectification.pk)
        if fresh.status != RectificationStatus.OPEN:
            raise Conflict(_("该整改已办结。"), detail={"status": fresh.status})
        return audited_update(
            fresh,
            actor=actor,
            action="rectification.callback",
            changes={"callback_at": clock.now(), "callback_note": note, "callback_satisfied": satisfied},
        )


def rectification_close(
    *, actor: Staff | None, rectification: Rectification, summary: str, expected: str | None = None
) -> Rectification:
    """Close the rectification with what was done; only after the applicant was called back."""
    policies.require(actor, "cases.rectify", rectification)
    summary = summary.strip()
    if not summary:
        raise InvalidInput(_("请填写整改情况。"), detail={"summary": ["required"]})
    with transaction.atomic():
        fresh = Rectification.objects.select_for_update().get(pk=rectification.pk)
        if fresh.callback_at is None:
            raise InvalidInput(_("请先回访申请人并记录回访情况。"), detail={"callback": ["required"]})
        closed = transition(
            fresh,
            to=RectificationStatus.CLOSED,
            transitions=RECTIFICATION_TRANSITIONS,
            actor=actor,
            action="rectification.close",
            expected=expected or rectification.status,
            reason=summary,
            changes={"closed_on": clock.today(), "summary": summary},
        )
        # The case keeps "rectified" for statistics (zhengwu.cases.work_facts); the event above records the closure.
        Case.objects.filter(evaluation__rectification=closed).update(rectified=True)
        return closed
