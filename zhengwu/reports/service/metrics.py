"""The metrics of spec/service-metrics.md for one org (or its subtree) and period, computed in the database.

The case figures, working-time averages included, are one aggregate query over the cases (grouped by department
or window for rankings; `zhengwu.reports.service.aggregate`); the catalog and network figures are small aggregates;
the hotline figures come from `zhengwu.hotline.metrics`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import CharField, Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from zhengwu.cases.models import Case
from zhengwu.cases.states import BAD_LEVELS, Decision
from zhengwu.catalog.models import Mode, ServiceItem, ServiceItemVersion
from zhengwu.core.clock import SHANGHAI
from zhengwu.core.errors import InvalidInput
from zhengwu.core.models import AuditEvent
from zhengwu.hotline.metrics import hotline_metrics
from zhengwu.orgs.models import Division, DivisionLevel, Org, OrgKind, Window
from zhengwu.orgs.models.division import CODE_DIGITS
from zhengwu.reports.service.aggregate import GOOD_LEVELS, case_sums

CASE_CODES = (
    "submitted",
    "accepted",
    "rejected",
    "concluded",
    "approved",
    "denied",
    "instant_concluded",
    "promised_concluded",
    "on_time_rate",
    "early_rate",
    "overdue_concluded",
    "overdue_open",
    "same_day_rate",
    "on_site_rate",
    "avg_accept_workdays",
    "avg_conclude_workdays",
    "promise_speedup",
    "handling_speedup",
    "online_applied_rate",
    "online_concluded_rate",
    "zero_visit_rate",
    "at_most_one_visit_rate",
    "evaluation_rate",
    "satisfaction_rate",
    "bad_reviews",
    "bad_review_rectified_rate",
    "warnings_open",
)
CATALOG_CODES = (
    "items",
    "items_by_category",
    "catalog_promise_compression",
    "online_item_rate",
    "fully_online_item_rate",
)
NETWORK_CODES = ("township_center_coverage", "village_station_coverage")
HOTLINE_CODES = (
    "tickets",
    "tickets_by_kind",
    "tickets_by_channel",
    "answered_directly",
    "dispatched",
    "ticket_concluded_rate",
    "ticket_on_time_rate",
    "ticket_satisfaction_rate",
    "returns",
    "yellow_cards",
    "red_cards",
)
ALL_CODES = CASE_CODES + CATALOG_CODES + NETWORK_CODES + HOTLINE_CODES

# The codes a ranking row carries (per department or window).
GROUP_CODES = (
    "accepted",
    "concluded",
    "on_time_rate",
    "early_rate",
    "overdue_concluded",
    "overdue_open",
    "same_day_rate",
    "avg_conclude_workdays",
    "zero_visit_rate",
    "evaluation_rate",
    "satisfaction_rate",
    "bad_reviews",
)


def rate(part: int | float | None, whole: int | float | None) -> float | None:
    """A fraction rounded to 6 places; None when the denominator is 0."""
    if not whole:
        return None
    return round(float(part or 0) / float(whole), 6)


def workdays(total: float, n: int) -> float | None:
    """A mean duration in workdays rounded to 4 places; None over no cases."""
    return round(total / n, 4) if n else None


@dataclass(frozen=True)
class Period:
    first: dt.date
    last: dt.date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise InvalidInput(_("结束日期早于开始日期。"), detail={"to": ["before_from"]})

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.first, dt.time(), tzinfo=SHANGHAI)

    @property
    def end(self) -> dt.datetime:
        """The first instant after the period (exclusive)."""
        return dt.datetime.combine(self.last + dt.timedelta(days=1), dt.time(), tzinfo=SHANGHAI)

    def within(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.start, f"{field}__lt": self.end})


def parse_date(value: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise InvalidInput(
            _("日期格式应为 YYYY-MM-DD：%(value)s") % {"value": value}, detail={name: ["invalid"]}
        ) from None


def cases_in_scope(org: Org, scope: str) -> QuerySet[Case]:
    if scope == "subtree":
        return Case.objects.filter(org__path__startswith=org.path)
    return Case.objects.filter(org=org)


# --- Cases: one aggregate -------------------------------------------------------------------------------------


def case_conditions(p: Period) -> dict[str, Q]:
    """The set of cases each count is over, by name, on the same stored columns the aggregate reads.

    The aggregate counts these and the dashboard's drill-down lists them, so a figure and its cases agree."""
    concluded = p.within("concluded_at")
    submitted = p.within("submitted_at")
    open_at_end = Q(accepted_at__lt=p.end) & (Q(concluded_at__isnull=True) | Q(concluded_at__gte=p.end))
    evaluated = concluded & ~Q(evaluation_level="")
    bad = concluded & Q(evaluation_level__in=list(BAD_LEVELS))
    return {
        "submitted": submitted,
        "accepted": p.within("accepted_at"),
        "rejected": p.within("rejected_at"),
        "concluded": concluded,
        "approved": concluded & Q(decision=Decision.APPROVED),
        "denied": concluded & Q(decision=Decision.DENIED),
        "instant_concluded": concluded & Q(mode=Mode.INSTANT),
        "promised_concluded": concluded & Q(mode=Mode.PROMISED),
        "on_time": concluded & Q(concluded_on__lte=F("due_on")),
        "early": concluded & Q(concluded_on__lt=F("due_on")),
        "overdue_concluded": concluded & Q(concluded_on__gt=F("due_on")),
        "overdue_open": open_at_end & Q(due_on__lt=p.last),
        "warnings_open": open_at_end & Q(due_on__gte=p.last, warn_on__lte=p.last),
        "same_day": concluded & Q(concluded_on=F("accepted_on")),
        "on_site": concluded & Q(on_site=True),
        "with_statutory": concluded & Q(statutory_limit_days__gt=0),
        "online_applied": submitted & Q(channel="online"),
        "online_concluded": concluded & Q(channel="online", visits=0),
        "zero_visit": concluded & Q(visits=0),
        "one_visit": concluded & Q(visits__lte=1),
        "evaluated": evaluated,
        "satisfied": evaluated & Q(evaluation_level__in=list(GOOD_LEVELS)),
        "bad_reviews": bad,
        "rectified": bad & Q(rectified=True),
    }


# For each code, the cases behind it (a rate: its numerator; a mean: the cases averaged).
DRILL = {
    "submitted": "submitted",
    "accepted": "accepted",
    "rejected": "rejected",
    "concluded": "concluded",
    "approved": "approved",
    "denied": "denied",
    "instant_concluded": "instant_concluded",
    "promised_concluded": "promised_concluded",
    "on_time_rate": "on_time",
    "early_rate": "early",
    "overdue_concluded": "overdue_concluded",
    "overdue_open": "overdue_open",
    "warnings_open": "warnings_open",
    "same_day_rate": "same_day",
    "on_site_rate": "on_site",
    "avg_accept_workdays": "accepted",
    "avg_conclude_workdays": "concluded",
    "promise_speedup": "with_statutory",
    "handling_speedup": "with_statutory",
    "online_applied_rate": "online_applied",
    "online_concluded_rate": "online_concluded",
    "zero_visit_rate": "zero_visit",
    "at_most_one_visit_rate": "one_visit",
    "evaluation_rate": "evaluated",
    "satisfaction_rate": "satisfied",
    "bad_reviews": "bad_reviews",
    "bad_review_rectified_rate": "rectified",
}


def drill_cases(*, org: Org, period: Period, scope: str, code: str) -> QuerySet[Case]:
    """The cases behind a case metric's figure."""
    if code not in DRILL:
        raise InvalidInput(_("没有这个办件指标：%(code)s") % {"code": code}, detail={"code": ["invalid"]})
    return cases_in_scope(org, scope).filter(_touched(period)).filter(case_conditions(period)[DRILL[code]])


def _finish(raw: dict[str, Any]) -> dict[str, Any]:
    """Raw counts and sums (of `aggregate.case_sums`) → the spec's codes."""
    n = raw["concluded"]
    accept_sum, accept_n = raw["_accept_sum"] or 0.0, raw["_accept_n"]
    conclude_sum, conclude_n = raw["_conclude_sum"], raw["_conclude_n"]
    handled_sum = raw["_handling_sum"] or 0.0
    statutory = raw["_statutory_sum"] or 0
    out = {
        "submitted": raw["submitted"],
        "accepted": raw["accepted"],
        "rejected": raw["rejected"],
        "concluded": n,
        "approved": raw["approved"],
        "denied": raw["denied"],
        "instant_concluded": raw["instant_concluded"],
        "promised_concluded": raw["promised_concluded"],
        "on_time_rate": rate(raw["_on_time"], n),
        "early_rate": rate(raw["_early"], n),
        "overdue_concluded": raw["overdue_concluded"],
        "overdue_open": raw["overdue_open"],
        "same_day_rate": rate(raw["_same_day"], n),
        "on_site_rate": rate(raw["_on_site"], n),
        "avg_accept_workdays": workdays(accept_sum, accept_n),
        "avg_conclude_workdays": workdays(conclude_sum, conclude_n),
        "promise_speedup": round(1 - (raw["_promised_sum"] or 0) / statutory, 6) if statutory else None,
        "handling_speedup": round(1 - handled_sum / statutory, 6) if statutory else None,
        "online_applied_rate": rate(raw["_online_applied"], raw["submitted"]),
        "online_concluded_rate": rate(raw["_online_concluded"], n),
        "zero_visit_rate": rate(raw["_zero_visit"], n),
        "at_most_one_visit_rate": rate(raw["_one_visit"], n),
        "evaluation_rate": rate(raw["_evaluated"], n),
        "satisfaction_rate": rate(raw["_satisfied"], raw["_evaluated"]),
        "bad_reviews": raw["bad_reviews"],
        "bad_review_rectified_rate": rate(raw["_rectified"], raw["bad_reviews"]),
        "warnings_open": raw["warnings_open"],
    }
    return out


def _touched(p: Period) -> Q:
    """Only the rows some figure counts: touched in the period, or open at its end."""
    return (
        p.within("submitted_at")
        | p.within("accepted_at")
        | p.within("rejected_at")
        | p.within("concluded_at")
        | (Q(accepted_at__lt=p.end) & (Q(concluded_at__isnull=True) | Q(concluded_at__gte=p.end)))
    )


def _sums(qs: QuerySet[Case], org: Org, scope: str, p: Period, group: str | None) -> list[dict[str, Any]]:
    return case_sums(qs.filter(_touched(p)), start=p.start, end=p.end, last=p.last, group=group)


def case_metrics(*, org: Org, period: Period, scope: str) -> dict[str, Any]:
    return _finish(_sums(cases_in_scope(org, scope), org, scope, period, None)[0])


def grouped_case_metrics(*, org: Org, period: Period, scope: str, by: str) -> list[dict[str, Any]]:
    """Per department (`by="org"`) or window (`by="window"`): {"key", "name", "metrics": {code: value}}.

    One grouped aggregate; only groups with some case in the period appear."""
    if by not in ("org", "window"):
        raise InvalidInput(_("分组应为 org 或 window。"), detail={"by": ["invalid"]})
    qs = cases_in_scope(org, scope)
    if by == "window":
        qs = qs.filter(window__isnull=False)
    rows = _sums(qs, org, scope, period, "org_id" if by == "org" else "window_id")
    ids = [row["_key"] for row in rows]
    if by == "org":
        names = {
            pk: (code, name) for pk, code, name in Org.objects.filter(pk__in=ids).values_list("id", "code", "name")
        }
    else:
        names = {
            pk: (str(pk), f"{number} {name}")
            for pk, number, name in Window.objects.filter(pk__in=ids).values_list("id", "number", "name")
        }
    out = []
    for row in rows:
        metrics = _finish(row)
        if not (metrics["accepted"] or metrics["concluded"] or metrics["submitted"]):
            continue
        key, name = names[row["_key"]]
        out.append({"key": key, "id": row["_key"], "name": name, "metrics": {c: metrics[c] for c in GROUP_CODES}})
    return sorted(out, key=lambda r: r["name"] if by == "window" else r["key"])


# --- Catalog and the three-level network, as of the period's end -------------------------------------------------


def active_at(model: type[Org] | type[ServiceItem], instant: dt.datetime, outer: str = "pk") -> Q:
    """Whether the row (`outer` names its pk) was active at `instant`, read from the audit trail.

    The row keeps only its current `is_active`; every change of it is audited with the old and new value. So it was
    active then when the first change after `instant` was a deactivation, or, if nothing changed since, when it is
    active now. (A change made outside the services and the admin, which both audit it, is not seen.)"""
    label = model._meta.label_lower
    changes = AuditEvent.objects.filter(
        object_type=label, object_id=Cast(OuterRef(outer), CharField()), at__gte=instant, new__has_key="is_active"
    )
    earlier = AuditEvent.objects.filter(
        object_type=label,
        object_id=OuterRef("object_id"),
        at__gte=instant,
        new__has_key="is_active",
        id__lt=OuterRef("id"),
    )
    # The admin records the form's values as text ("False").
    first_is_deactivation = changes.filter(Q(new__is_active=False) | Q(new__is_active="False")).filter(~Exists(earlier))
    return Q(Exists(first_is_deactivation)) | (~Q(Exists(changes)) & Q(is_active=True))


def catalog_metrics(*, org: Org, period: Period, scope: str) -> dict[str, Any]:
    """The catalog as it stood at the period's end: items made before it and active then, each with the version
    in force then (the last one made before the end; the first one for an item whose versions were recorded later)."""
    end = period.end
    items = ServiceItem.objects.filter(created_at__lt=end).filter(active_at(ServiceItem, end))
    items = items.filter(org__path__startswith=org.path) if scope == "subtree" else items.filter(org=org)
    later = ServiceItemVersion.objects.filter(item=OuterRef("item"), number__gt=OuterRef("number"), created_at__lt=end)
    any_before = ServiceItemVersion.objects.filter(item=OuterRef("item"), created_at__lt=end)
    earlier = ServiceItemVersion.objects.filter(item=OuterRef("item"), number__lt=OuterRef("number"))
    versions = ServiceItemVersion.objects.filter(item__in=items.values("pk")).filter(
        (Q(created_at__lt=end) & ~Q(Exists(later))) | (~Q(Exists(any_before)) & ~Q(Exists(earlier)))
    )
    with_statutory = Q(statutory_limit_days__gt=0)
    totals = versions.aggregate(
        n=Count("id"),
        online=Count("id", filter=Q(online=True)),
        fully_online=Count("id", filter=Q(fully_online=True)),
        promised=Sum("promised_limit_days", filter=with_statutory),
        statutory=Sum("statutory_limit_days", filter=with_statutory),
    )
    by_category = dict(versions.order_by().values_list("category").annotate(c=Count("id")))
    statutory = totals["statutory"] or 0
    return {
        "items": totals["n"],
        "items_by_category": {k: by_category[k] for k in sorted(by_category)},
        "catalog_promise_compression": round(1 - (totals["promised"] or 0) / statutory, 6) if statutory else None,
        "online_item_rate": rate(totals["online"], totals["n"]),
        "fully_online_item_rate": rate(totals["fully_online"], totals["n"]),
    }


def network_metrics(*, org: Org, period: Period, scope: str) -> dict[str, Any]:
    """Coverage of townships by convenience centers and of villages/communities by service stations.

    The divisions in scope are those below the org's own division (by code prefix) and those of the orgs in its
    subtree; a division is covered when an org of the matching kind has it that existed, and was active, at the
    period's end."""
    end = period.end
    existing = Q(created_at__lt=end) & active_at(Org, end)
    subtree = Org.objects.filter(existing, path__startswith=org.path)
    in_scope = Q(pk__in=subtree.filter(division__isnull=False).values("division_id"))
    if org.division is not None:
        prefix = org.division.code[: CODE_DIGITS[DivisionLevel(org.division.level)]]
        in_scope |= Q(code__startswith=prefix)
    out = {}
    for code, level, kind in (
        ("township_center_coverage", DivisionLevel.TOWNSHIP, OrgKind.CONVENIENCE_CENTER),
        ("village_station_coverage", DivisionLevel.VILLAGE, OrgKind.SERVICE_STATION),
    ):
        providers = Org.objects.filter(existing, kind=kind, division=OuterRef("pk"))
        # The Exists goes straight into the filter: a filter on an annotated Exists is lost in aggregate().
        counts = Division.objects.filter(in_scope, level=level).aggregate(
            n=Count("id"), covered=Count("id", filter=Exists(providers))
        )
        out[code] = rate(counts["covered"], counts["n"])
    return out


# --- The report ----------------------------------------------------------------------------------------------------


def compute_service_metrics(*, org: Org, date_from: dt.date, date_to: dt.date, scope: str) -> dict[str, Any]:
    """The report of spec/service-metrics.md: {"org", "from", "to", "scope", "metrics": {code: value}}."""
    if scope not in ("self", "subtree"):
        raise InvalidInput(_("范围应为 self 或 subtree。"), detail={"scope": ["invalid"]})
    period = Period(date_from, date_to)
    metrics: dict[str, Any] = {}
    metrics.update(case_metrics(org=org, period=period, scope=scope))
    metrics.update(catalog_metrics(org=org, period=period, scope=scope))
    metrics.update(network_metrics(org=org, period=period, scope=scope))
    hotline = hotline_metrics(org=org, first=date_from, last=date_to, subtree=scope == "subtree")
    metrics.update({code: hotline[code] for code in HOTLINE_CODES})
    return {
        "org": {"code": org.code, "name": org.name},
        "from": date_from.isoformat(),
        "to": date_to.isoformat(),
        "scope": scope,
        "metrics": {code: metrics[code] for code in ALL_CODES},
    }
