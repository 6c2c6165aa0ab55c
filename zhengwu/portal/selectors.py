"""Reads for the public portal: only what is public — org names, halls, windows, office hours; never staff."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from zhengwu.orgs.models import Hall, Org, OrgKind, Window


@dataclass(frozen=True)
class PortalSite:
    """The government the portal speaks for (when the deployment has exactly one root) and its service network."""

    government: Org | None
    centers: list[Org] = field(default_factory=list)
    department_count: int = 0
    convenience_center_count: int = 0
    service_station_count: int = 0
    window_count: int = 0

    @property
    def place_name(self) -> str:
        """青岚县 for 青岚县人民政府: the name a citizen knows the place by."""
        if self.government is None:
            return ""
        return self.government.short_name or self.government.name.removesuffix("人民政府")


def _public_orgs(root: Org | None) -> QuerySet[Org]:
    qs = Org.objects.filter(is_active=True)
    return qs.filter(path__startswith=root.path) if root is not None else qs


def portal_site() -> PortalSite:
    """What the home page shows; counts are one grouped query, halls and windows two prefetches."""
    roots = list(Org.objects.filter(parent__isnull=True, kind=OrgKind.GOVERNMENT, is_active=True).order_by("path")[:2])
    government = roots[0] if len(roots) == 1 else None
    orgs = _public_orgs(government)
    counts = orgs.aggregate(
        departments=Count("pk", filter=Q(kind=OrgKind.DEPARTMENT)),
        convenience=Count("pk", filter=Q(kind=OrgKind.CONVENIENCE_CENTER)),
        stations=Count("pk", filter=Q(kind=OrgKind.SERVICE_STATION)),
    )
    windows = Window.objects.filter(is_active=True).order_by("number")
    halls = Hall.objects.order_by("name").prefetch_related(Prefetch("windows", queryset=windows))
    centers = list(
        orgs.filter(kind=OrgKind.SERVICE_CENTER)
        .order_by("path")
        .prefetch_related(Prefetch("halls", queryset=halls))[:5]
    )
    window_count = Window.objects.filter(is_active=True, hall__org__in=[c.pk for c in centers]).count()
    return PortalSite(
        government=government,
        centers=centers,
        department_count=counts["departments"],
        convenience_center_count=counts["convenience"],
        service_station_count=counts["stations"],
        window_count=window_count,
    )
