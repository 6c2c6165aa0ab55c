"""Subtree reads on a province-sized org tree (~60,000 orgs): the queries every scoped page runs.

Builds a synthetic province (15 cities × 10 counties × (30 departments, a service center and 15 townships with a
convenience center and 22 village stations each)), then times the reads with many repetitions and prints
p50/p95 in milliseconds. Usage: ZHENGWU_DATABASE_URL=... uv run python bench/orgs/run.py [--keep]
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from zhengwu.orgs import policies  # noqa: E402
from zhengwu.orgs.models import Membership, Org, OrgKind, Role, Scope, Staff  # noqa: E402

PREFIX = "bench-"


def build() -> tuple[int, Org, Org, Org]:
    rows: list[Org] = []
    next_id = (Org.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1

    def add(code: str, name: str, kind: str, parent: Org | None) -> Org:
        nonlocal next_id
        org = Org(
            id=next_id,
            code=PREFIX + code,
            name=name,
            kind=kind,
            parent=parent,
            path=f"{parent.path if parent else '/'}{next_id}/",
            depth=(parent.depth + 1) if parent else 0,
        )
        next_id += 1
        rows.append(org)
        return org

    province = add("p", "省人民政府", OrgKind.GOVERNMENT, None)
    city = county = village = province
    for c in range(15):
        city = add(f"c{c}", f"市{c}", OrgKind.GOVERNMENT, province)
        for k in range(10):
            county = add(f"c{c}k{k}", f"县{c}-{k}", OrgKind.GOVERNMENT, city)
            for d in range(30):
                add(f"c{c}k{k}d{d}", f"部门{d}", OrgKind.DEPARTMENT, county)
            add(f"c{c}k{k}zx", "政务服务中心", OrgKind.SERVICE_CENTER, county)
            for t in range(15):
                town = add(f"c{c}k{k}t{t}", f"乡镇{t}", OrgKind.GOVERNMENT, county)
                center = add(f"c{c}k{k}t{t}zx", "便民服务中心", OrgKind.CONVENIENCE_CENTER, town)
                for v in range(22):
                    village = add(f"c{c}k{k}t{t}v{v}", f"村{v}", OrgKind.SERVICE_STATION, center)
    with transaction.atomic():
        Org.objects.bulk_create(rows, batch_size=5000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT setval(pg_get_serial_sequence('orgs_org','id'), (SELECT max(id) FROM orgs_org))")
            cur.execute("ANALYZE orgs_org")
    return len(rows), city, county, village


def timed(fn, n: int = 300) -> tuple[float, float]:
    for _ in range(10):
        fn()
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95)]


def main() -> None:
    call_command("migrate", verbosity=0)
    _drop()
    t0 = time.perf_counter()
    total, city, county, village = build()
    print(f"database: {connection.vendor}; built {total} orgs in {time.perf_counter() - t0:.1f} s")

    staff, _ = Staff.objects.get_or_create(username=PREFIX + "staff")
    Membership.objects.filter(staff=staff).delete()
    Membership.objects.create(staff=staff, org=county, role=Role.SUPERVISOR, scope=Scope.SUBTREE)
    other_county = (
        Org.objects.filter(code__startswith=PREFIX, kind=OrgKind.GOVERNMENT, depth=2).exclude(pk=county.pk).first()
    )
    Membership.objects.create(staff=staff, org=other_county, role=Role.APPROVER, scope=Scope.SELF)

    def scoped_page() -> list:
        fresh = Staff.objects.get(pk=staff.pk)  # a new request: grants read again
        qs = policies.scope(fresh, "orgs.view", Org.objects.all(), field="")
        return list(qs.order_by("path").values_list("code", "name")[:50])

    cases = {
        "count a county's subtree (~360 orgs)": lambda: Org.objects.filter(path__startswith=county.path).count(),
        "count a city's subtree (~3,600 orgs)": lambda: Org.objects.filter(path__startswith=city.path).count(),
        "first page (50) of a city's subtree by path": lambda: list(
            Org.objects.filter(path__startswith=city.path).order_by("path").values_list("code", "name")[:50]
        ),
        "staff's scoped org page (2 grants, policies.scope)": scoped_page,
        "ancestors of a village station": lambda: list(Org.objects.filter(pk__in=village.ancestor_ids())),
        "is station inside county (policy check, no query)": lambda: village.is_descendant_of(county),
    }
    print(f"{'query':<55} {'p50 ms':>8} {'p95 ms':>8}")
    for name, fn in cases.items():
        p50, p95 = timed(fn)
        print(f"{name:<55} {p50:>8.3f} {p95:>8.3f}")
    if "--keep" not in sys.argv:
        Membership.objects.filter(staff=staff).delete()
        staff.delete()
        _drop()


def _drop() -> None:
    # One DELETE: parent references are checked at commit (deferred), so order does not matter.
    with transaction.atomic():
        Org.objects.filter(code__startswith=PREFIX)._raw_delete(Org.objects.db)


if __name__ == "__main__":
    main()
