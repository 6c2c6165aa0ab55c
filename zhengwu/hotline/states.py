"""Ticket states and the one table of allowed moves between them (STYLE rule 3)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TicketStatus(models.TextChoices):
    NEW = "new", _("待处理")
    DISPATCHED = "dispatched", _("已派单")
    HANDLING = "handling", _("办理中")
    RETURNED = "returned", _("已退单")
    REPLIED = "replied", _("已答复")
    CALLED_BACK = "called_back", _("已回访")
    CONCLUDED = "concluded", _("已办结")
    CONVERTED = "converted", _("已转其他渠道")


S = TicketStatus

TRANSITIONS: dict[TicketStatus, frozenset[TicketStatus]] = {
    S.NEW: frozenset({S.DISPATCHED, S.CONCLUDED, S.CONVERTED}),
    S.RETURNED: frozenset({S.DISPATCHED, S.CONCLUDED, S.CONVERTED}),
    # DISPATCHED → DISPATCHED: a unit with its own hotline (a district) passes the ticket further down (转派).
    S.DISPATCHED: frozenset({S.HANDLING, S.RETURNED, S.DISPATCHED}),
    S.HANDLING: frozenset({S.REPLIED, S.RETURNED, S.DISPATCHED}),
    S.REPLIED: frozenset({S.CALLED_BACK}),
    S.CALLED_BACK: frozenset({S.CONCLUDED, S.HANDLING}),
    S.CONCLUDED: frozenset({S.HANDLING}),
    S.CONVERTED: frozenset(),
}

OPEN = frozenset({S.NEW, S.DISPATCHED, S.HANDLING, S.RETURNED, S.REPLIED, S.CALLED_BACK})
FINAL = frozenset({S.CONCLUDED, S.CONVERTED})
# The handling unit's clock runs in these states: overdue and warning lists look only at them.
AT_UNIT = frozenset({S.DISPATCHED, S.HANDLING})
# The dispatcher has to act on these.
AT_DISPATCHER = frozenset({S.NEW, S.RETURNED})


def _moves(*sources: TicketStatus, to: TicketStatus) -> dict[TicketStatus, frozenset[TicketStatus]]:
    """The part of TRANSITIONS one action may use: the same target is reached by several actions, and each
    action only from its own states (accepting must not reopen a called-back ticket)."""
    assert all(to in TRANSITIONS[s] for s in sources)
    return {s: frozenset({to}) for s in sources}


DISPATCH = _moves(S.NEW, S.RETURNED, to=S.DISPATCHED)
FORWARD = _moves(S.DISPATCHED, S.HANDLING, to=S.DISPATCHED)
ANSWER_DIRECTLY = _moves(S.NEW, S.RETURNED, to=S.CONCLUDED)
CONVERT = _moves(S.NEW, S.RETURNED, to=S.CONVERTED)
ACCEPT = _moves(S.DISPATCHED, to=S.HANDLING)
RETURN = _moves(S.DISPATCHED, S.HANDLING, to=S.RETURNED)
REPLY = _moves(S.HANDLING, to=S.REPLIED)
CALLBACK = _moves(S.REPLIED, to=S.CALLED_BACK)
REOPEN = _moves(S.CALLED_BACK, S.CONCLUDED, to=S.HANDLING)
CONCLUDE = _moves(S.CALLED_BACK, to=S.CONCLUDED)
