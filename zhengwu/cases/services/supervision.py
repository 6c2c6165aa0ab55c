"""电子监察: correction orders (纠错) a supervisor issues on a case, and the department's response."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from zhengwu.cases.models import Case, CorrectionOrder
from zhengwu.cases.notifications import Message, notify_after_commit
from zhengwu.cases.states import ORDER_TRANSITIONS, OrderStatus
from zhengwu.core import clock
from zhengwu.core.audit import record_event
from zhengwu.core.errors import InvalidInput
from zhengwu.core.transitions import transition
from zhengwu.orgs import policies
from zhengwu.workdays import add_workdays

if TYPE_CHECKING:
    from zhengwu.orgs.models import Staff

DEFAULT_RESPONSE_WORKDAYS = 5


def correction_order_issue(
    *, actor: Staff | None, case: Case, instruction: str, response_workdays: int = DEFAULT_RESPONSE_WORKDAYS
) -> CorrectionOrder:
    policies.require(actor, "cases.supervise", case.org)
    instruction = instruction.strip()
    if not instruction:
        raise InvalidInput(_("请写明纠错要求。"), detail={"instruction": ["required"]})
    if type(response_workdays) is not int or not 1 <= response_workdays <= 30:
        raise InvalidInput(_("反馈期限应为 1 到 30 个工作日。"), detail={"response_workdays": ["range"]})
    with transaction.atomic():
        order = CorrectionOrder.objects.create(
            case=case,
            org=case.org,
            instruction=instruction,
            issued_at=clock.now(),
            issued_by=actor,
            due_on=add_workdays(clock.today(), response_workdays),
        )
        record_event(
            actor=actor,
            action="order.issue",
            obj=order,
            new={"case": case.ref, "due_on": order.due_on},
            reason=instruction,
        )
    notify_after_commit(
        Message(
            case.org_id,
            case.pk,
            "order.issued",
            "",
            _("办件 %(ref)s 收到纠错单，请于 %(due)s 前反馈：%(text)s")
            % {"ref": case.ref, "due": order.due_on.isoformat(), "text": instruction},
        )
    )
    return order


def correction_order_respond(
    *, actor: Staff | None, order: CorrectionOrder, response: str, expected: str | None = None
) -> CorrectionOrder:
    policies.require(actor, "cases.respond", order)
    response = response.strip()
    if not response:
        raise InvalidInput(_("请填写整改反馈。"), detail={"response": ["required"]})
    return transition(
        order,
        to=OrderStatus.RESPONDED,
        transitions=ORDER_TRANSITIONS,
        actor=actor,
        action="order.respond",
        expected=expected or order.status,
        reason=response,
        changes={"response": response, "responded_at": clock.now(), "responded_by": actor},
    )
