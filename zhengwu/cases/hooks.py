"""What the cases app plugs into the rest of the platform: the home task list, the side nav, the recompute of stored
due dates and working time when the calendar or an org's office hours change."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from zhengwu.orgs.models import Org, Staff
    from zhengwu.staff.tasks import TaskItem

TASKS_SHOWN = 20


def case_tasks(user: Any) -> Iterable[TaskItem]:
    """Open cases the user may act on, most urgent first; open rectifications and correction orders."""
    from django.urls import reverse

    from zhengwu.cases.selectors import CaseFilter, case_list_for_staff, orders_for_actor, rectifications_for_actor
    from zhengwu.orgs import policies
    from zhengwu.staff.tasks import TaskItem

    if not getattr(user, "is_authenticated", False):
        return []
    items: list[TaskItem] = []
    if policies.can_anywhere(user, "cases.accept") and not user.is_superuser:
        page = case_list_for_staff(user, CaseFilter(), size=TASKS_SHOWN)
        for case in page.cases:
            derived = getattr(case, "clock_state", "on_time")
            state = derived if derived in ("warning", "overdue") else "on_time"
            items.append(
                TaskItem(
                    title=f"{case.item_version.name} · {case.applicant_name_masked}",
                    url=reverse("staff_cases:case_detail", kwargs={"pk": case.pk}),
                    due_on=case.due_on,
                    kind=str(_("办件")),
                    state=state,
                )
            )
    if not user.is_superuser:
        for rect in rectifications_for_actor(user)[:TASKS_SHOWN]:
            items.append(
                TaskItem(
                    title=str(_("差评整改：%(ref)s")) % {"ref": rect.evaluation.case.ref},
                    url=reverse("staff_cases:rectification_detail", kwargs={"pk": rect.pk}),
                    due_on=rect.due_on,
                    kind=str(_("差评整改")),
                )
            )
        if policies.can_anywhere(user, "cases.respond"):
            for order in orders_for_actor(user)[:TASKS_SHOWN]:
                items.append(
                    TaskItem(
                        title=str(_("纠错单：%(ref)s")) % {"ref": order.case.ref},
                        url=reverse("staff_cases:case_detail", kwargs={"pk": order.case_id}),
                        due_on=order.due_on,
                        kind=str(_("纠错")),
                    )
                )
    return items


def recompute_due_dates(*, years: range, actor: Staff | None) -> int:
    """A year's notice replaced a provisional year: recompute the stored dates of open cases counted across it."""
    import datetime as dt

    from django.db.models import Q

    from zhengwu.cases.models import Case
    from zhengwu.cases.services.clock import stored_dates
    from zhengwu.cases.states import CLOCKED
    from zhengwu.core.audit import EventSpec, record_events

    first, last = dt.date(years.start, 1, 1), dt.date(years.stop - 1, 12, 31)
    qs = (
        Case.objects.filter(status__in=CLOCKED)
        .filter(Q(due_on__gte=first) & Q(accepted_at__date__lte=last))
        .select_related("org__division")
        .prefetch_related("pauses", "extensions")
    )
    changed, events = [], []
    for case in qs.iterator(chunk_size=2000):
        dates = stored_dates(case)
        if dates["due_on"] != case.due_on or dates["warn_on"] != case.warn_on:
            events.append(
                EventSpec(
                    action="case.recompute_due",
                    object_type="cases.case",
                    object_id=case.pk,
                    org=case.org,
                    old={"due_on": case.due_on},
                    new={"due_on": dates["due_on"]},
                    reason="节假日安排发布后重新计算",
                )
            )
            case.due_on, case.warn_on = dates["due_on"], dates["warn_on"]
            changed.append(case)
    Case.objects.bulk_update(changed, ["due_on", "warn_on"], batch_size=2000)
    record_events(actor=actor, events=events)
    return len(changed)


def recompute_working_time(*, years: range, actor: Staff | None) -> int:
    """A year's notice or a local day off changed the calendar of `years`: recompute the stored working time of the
    cases whose submission-to-conclusion span meets them, in one UPDATE. Returns how many cases changed (the
    calendar change's own audit event records it)."""
    import datetime as dt

    from django.db.models import Q

    from zhengwu.cases.models import Case
    from zhengwu.cases.work_facts import recompute
    from zhengwu.core.clock import SHANGHAI

    start = dt.datetime(years.start, 1, 1, tzinfo=SHANGHAI)
    end = dt.datetime(years.stop, 1, 1, tzinfo=SHANGHAI)
    spanning = Case.objects.filter(submitted_at__lt=end).filter(Q(accepted_at__gte=start) | Q(concluded_at__gte=start))
    return recompute(spanning)


def recompute_org_working_time(*, org: Org, actor: Staff | None) -> int:
    """An org's office hours or division (its local days off) changed: recompute its cases' stored working time in
    one UPDATE, audited as one event with the count."""
    from zhengwu.cases.models import Case
    from zhengwu.cases.work_facts import org_settings, recompute
    from zhengwu.core.audit import record_event
    from zhengwu.orgs.models import Org

    changed = recompute(Case.objects.filter(org=org), org_settings(Org.objects.filter(pk=org.pk)))
    if changed:
        record_event(
            actor=actor,
            action="case.recompute_working_time",
            obj=org,
            new={"cases": changed, "office_hours": org.office_hours},
            reason="办公时间或行政区划变更后重新计算办件用时",
        )
    return changed


def register_hooks() -> None:
    from zhengwu.orgs.hooks import register_working_time_change
    from zhengwu.staff.nav import register_nav
    from zhengwu.staff.tasks import _SOURCES, register_source
    from zhengwu.workdays import register_due_date_recompute

    if case_tasks not in _SOURCES:
        register_source(case_tasks)
    register_due_date_recompute(recompute_due_dates)
    register_due_date_recompute(recompute_working_time)
    register_working_time_change(recompute_org_working_time)
    _register_nav(register_nav)


def _register_nav(register_nav: Any) -> None:
    register_nav(key="cases", label=_("办件"), url_name="staff_cases:case_list", permission="cases.view", order=20)
    register_nav(
        key="cases_intake", label=_("窗口收件"), url_name="staff_cases:intake", permission="cases.intake", order=21
    )
    register_nav(
        key="cases_supervision",
        label=_("电子监察"),
        url_name="staff_cases:supervision",
        permission="cases.supervise",
        order=22,
    )
    register_nav(
        key="cases_rectifications",
        label=_("差评整改"),
        url_name="staff_cases:rectification_list",
        permission="cases.rectify",
        order=23,
    )
    register_nav(
        key="catalog", label=_("事项目录"), url_name="staff_cases:item_list", permission="catalog.view", order=25
    )
    register_nav(
        key="catalog_manage",
        label=_("事项管理"),
        url_name="staff_cases:item_manage_list",
        permission="catalog.manage",
        order=26,
    )
