"""Write use-cases for the calendar: load a year's notice, add or remove a local day off — each checked and audited."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from zhengwu.core.audit import record_event
from zhengwu.core.errors import InvalidInput
from zhengwu.orgs import policies
from zhengwu.orgs.models import Division, Org
from zhengwu.workdays import index as ix
from zhengwu.workdays.models import CalendarDay, CalendarSource, CalendarVersion, CalendarYear, DayKind, LocalDayOff
from zhengwu.workdays.notice import Notice
from zhengwu.workdays.recompute import run_recompute_hooks
from zhengwu.workdays.seed import bump_version

if TYPE_CHECKING:
    from zhengwu.orgs.models import Staff


def _require_national(actor: Staff | None) -> None:
    """The national calendar is everyone's: changing it needs the permission at every root of the org tree."""
    if actor is None:
        return
    roots = list(Org.objects.filter(parent__isnull=True))
    if not roots:
        policies.require(actor, "workdays.manage", Org(path="/"))
    for root in roots:
        policies.require(actor, "workdays.manage", root)


def calendar_changed() -> None:
    """Every process rebuilds its index: bump the shared version (in the caller's transaction) and drop ours."""
    bump_version(CalendarVersion)
    ix.invalidate()


def _summary(year: CalendarYear | None) -> dict[str, object] | None:
    if year is None:
        return None
    days = list(year.days.order_by("date").values_list("date", "kind", "name"))
    return {
        "notice": year.notice,
        "source": year.source,
        "holidays": [f"{d.isoformat()} {n}" for d, k, n in days if k == DayKind.HOLIDAY],
        "makeup_workdays": [f"{d.isoformat()} {n}" for d, k, n in days if k == DayKind.MAKEUP_WORKDAY],
    }


def calendar_load(*, actor: Staff | None, notice: Notice, source: str = CalendarSource.NOTICE_FILE) -> CalendarYear:
    """Load (or replace) a year's notice; recompute stored due dates that counted across it; audit both."""
    _require_national(actor)
    with transaction.atomic():
        existing = CalendarYear.objects.select_for_update().filter(year=notice.year).first()
        old = _summary(existing)
        was_provisional = existing is None
        year, _created = CalendarYear.objects.update_or_create(
            year=notice.year,
            defaults={
                "notice": notice.notice,
                "document_no": notice.document_no,
                "published_on": notice.published_on,
                "source": source,
            },
        )
        dates = [d for d, _n in notice.holidays] + [d for d, _n in notice.makeup_workdays]
        CalendarDay.objects.filter(calendar_year=year).delete()
        # A day declared by this notice (30 Dec for a New Year holiday) replaces what another year said of it.
        CalendarDay.objects.filter(date__in=dates).delete()
        CalendarDay.objects.bulk_create(
            [CalendarDay(calendar_year=year, date=d, kind=DayKind.HOLIDAY, name=n) for d, n in notice.holidays]
            + [
                CalendarDay(calendar_year=year, date=d, kind=DayKind.MAKEUP_WORKDAY, name=n)
                for d, n in notice.makeup_workdays
            ]
        )
        calendar_changed()
        first_year = min([notice.year, *(d.year for d in dates)])
        affected = range(first_year, notice.year + 1)
        recomputed = run_recompute_hooks(years=affected, actor=actor)
        new = _summary(year)
        assert new is not None
        new["was_provisional"] = was_provisional
        new["recomputed_due_dates"] = recomputed
        record_event(
            actor=actor,
            action="workdays.calendar_load",
            obj=year,
            old=old,
            new=new,
            reason=notice.notice + (f"（{notice.document_no}）" if notice.document_no else ""),
        )
    return year


def _division_for(*, actor: Staff | None, org: Org, division_code: str) -> Division:
    policies.require(actor, "workdays.manage", org)
    division = Division.objects.filter(code=division_code).first()
    if division is None:
        raise InvalidInput(
            _("行政区划不存在：%(code)s") % {"code": division_code}, detail={"division_code": ["not_found"]}
        )
    if actor is not None and not actor.is_superuser:
        own = org.division
        if own is None or not division.prefix.startswith(own.prefix):
            raise InvalidInput(
                _("只能为本机关所在区划及其下级区划设置地方放假日。"), detail={"division_code": ["outside"]}
            )
    return division


def local_day_off_create(*, actor: Staff | None, org: Org, division_code: str, date: dt.date, name: str) -> LocalDayOff:
    """A day off for a division and every division under it (e.g. an autonomous region's festival)."""
    division = _division_for(actor=actor, org=org, division_code=division_code)
    if not name.strip():
        raise InvalidInput(_("请填写放假日名称。"), detail={"name": ["required"]})
    if not ix.FIRST_DAY <= date <= ix.LAST_DAY:
        raise InvalidInput(_("日期不在日历范围内。"), detail={"date": ["out_of_range"]})
    with transaction.atomic():
        if LocalDayOff.objects.filter(division_code=division.prefix, date=date).exists():
            raise InvalidInput(
                _("%(code)s 在 %(date)s 已有地方放假日。") % {"code": division.prefix, "date": date},
                detail={"date": ["duplicate"]},
            )
        day = LocalDayOff.objects.create(division_code=division.prefix, date=date, name=name.strip())
        calendar_changed()
        recomputed = run_recompute_hooks(years=range(date.year, date.year + 1), actor=actor)
        record_event(
            actor=actor,
            action="workdays.local_day_off_create",
            obj=day,
            org=org,
            new={
                "division_code": day.division_code,
                "date": date,
                "name": day.name,
                "recomputed_due_dates": recomputed,
            },
        )
    return day


def local_day_off_delete(*, actor: Staff | None, org: Org, local_day_off: LocalDayOff) -> None:
    policies.require(actor, "workdays.manage", org)
    if actor is not None and not actor.is_superuser:
        own = org.division
        if own is None or not local_day_off.division_code.startswith(own.prefix):
            raise InvalidInput(_("只能删除本机关所在区划及其下级区划的地方放假日。"), detail={"id": ["outside"]})
    with transaction.atomic():
        old = {"division_code": local_day_off.division_code, "date": local_day_off.date, "name": local_day_off.name}
        pk = local_day_off.pk
        year = local_day_off.date.year
        local_day_off.delete()
        calendar_changed()
        recomputed = run_recompute_hooks(years=range(year, year + 1), actor=actor)
        record_event(
            actor=actor,
            action="workdays.local_day_off_delete",
            object_type="workdays.localdayoff",
            object_id=pk,
            org=org,
            old=old,
            new={"recomputed_due_dates": recomputed},
        )
