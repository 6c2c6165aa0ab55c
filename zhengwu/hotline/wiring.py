"""The hotline's place in the workspace: navigation entries and the home page's task source."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhengwu.core import clock
from zhengwu.hotline import policies as hp
from zhengwu.orgs import policies
from zhengwu.staff.nav import register_nav
from zhengwu.staff.tasks import TaskItem, register_source

TASKS_PER_SOURCE = 30


def hotline_tasks(user: Any) -> Iterator[TaskItem]:
    """Tickets waiting for this user: at their hotline (dispatch, callback) or at their unit (accept, reply)."""
    from zhengwu.hotline import selectors

    if not getattr(user, "is_authenticated", False):
        return
    now = clock.now()
    if policies.can_anywhere(user, hp.OPERATE):
        for t in selectors.dispatcher_queue(user)[:TASKS_PER_SOURCE]:
            yield TaskItem(
                title=_("12345工单 %(ref)s · %(status)s") % {"ref": t.ref, "status": t.get_status_display()},
                url=reverse("staff_hotline:ticket", kwargs={"pk": t.pk}),
                due_on=None,
                kind=_("12345工单"),
            )
    if policies.can_anywhere(user, hp.HANDLE):
        overdue = selectors.overdue_q(now)
        warning = selectors.warning_q(now)
        inbox = selectors.unit_inbox(user)
        late = set(inbox.filter(ticket__in=selectors.Ticket.objects.filter(overdue)).values_list("pk", flat=True))
        soon = set(inbox.filter(ticket__in=selectors.Ticket.objects.filter(warning)).values_list("pk", flat=True))
        for d in inbox[:TASKS_PER_SOURCE]:
            t = d.ticket
            yield TaskItem(
                title=_("12345工单 %(ref)s · %(unit)s") % {"ref": t.ref, "unit": d.unit.name},
                url=reverse("staff_hotline:ticket", kwargs={"pk": t.pk}),
                due_on=t.due_on,
                kind=_("12345工单"),
                state="overdue" if d.pk in late else "warning" if d.pk in soon else "on_time",
            )


def register() -> None:
    register_nav(
        key="hotline_call",
        label=gettext_lazy("12345 来电登记"),
        url_name="staff_hotline:call_new",
        permission=hp.OPERATE,
        order=40,
    )
    register_nav(
        key="hotline_queue",
        label=gettext_lazy("12345 派单队列"),
        url_name="staff_hotline:queue",
        permission=hp.OPERATE,
        order=41,
    )
    register_nav(
        key="hotline_inbox",
        label=gettext_lazy("12345 承办工单"),
        url_name="staff_hotline:inbox",
        permission=hp.HANDLE,
        order=42,
    )
    register_nav(
        key="hotline_supervision",
        label=gettext_lazy("12345 超时预警"),
        url_name="staff_hotline:supervision",
        permission=hp.SUPERVISE,
        order=43,
    )
    register_nav(
        key="hotline_settings",
        label=gettext_lazy("12345 热线设置"),
        url_name="staff_hotline:settings",
        permission=hp.CONFIGURE,
        order=44,
    )
    register_source(hotline_tasks)
