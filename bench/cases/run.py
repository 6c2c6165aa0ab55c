"""The service hall at scale: the staff case list and supervision counts for an org with 200,000 open cases, and
importing historical cases through the `cases` ledger.

Builds a department with 200,000 open cases (due dates spread over ±60 days, so every clock state occurs) and
100,000 concluded ones, times the reads with many repetitions (p50/p95 in ms), then imports a generated ledger of
`--import-rows` cases (default 100,000) and reports rows per second, then imports the same file again (nothing
changes). Usage:
ZHENGWU_DATABASE_URL=postgres://…/zw_bench uv run python bench/cases/run.py [--import-rows N] [--keep] [--no-reads]
[--profile FILE] [--phases] [--no-reimport]

`--keep` leaves the department and its cases for the next run (the ledger's cases are removed before each import,
so every run imports into a department without them); `--no-reads` skips the list and supervision timings;
`--profile FILE` writes a cProfile of the first import to FILE; `--phases` prints the seconds of each phase of the
first import (the commit, where PostgreSQL checks the deferred foreign keys, apart); `--no-reimport` skips importing
the same file again.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402

from zhengwu.cases.models import Case  # noqa: E402
from zhengwu.cases.selectors import CaseFilter, case_list_for_staff, supervision_counts  # noqa: E402
from zhengwu.cases.states import CaseStatus  # noqa: E402
from zhengwu.catalog.models import ServiceItem  # noqa: E402
from zhengwu.catalog.services import ItemContent, item_create  # noqa: E402
from zhengwu.core import clock  # noqa: E402
from zhengwu.core.ledger import ledger_import  # noqa: E402
from zhengwu.orgs import services as org_services  # noqa: E402
from zhengwu.orgs.models import Org, OrgKind, Role, Scope  # noqa: E402

PREFIX = "bench-cases-"
OPEN_CASES = 200_000
CLOSED_CASES = 100_000


def build() -> dict[str, object]:
    gov = org_services.org_create(actor=None, code=PREFIX + "gov", name="基准县人民政府", kind=OrgKind.GOVERNMENT)
    dept = org_services.org_create(
        actor=None, code=PREFIX + "dept", name="基准县市场监督管理局", kind=OrgKind.DEPARTMENT, parent=gov
    )
    center = org_services.org_create(
        actor=None, code=PREFIX + "zx", name="基准县政务服务中心", kind=OrgKind.SERVICE_CENTER, parent=gov
    )
    hall = org_services.hall_create(actor=None, org=center, name="大厅")
    window = org_services.window_create(actor=None, hall=hall, number="A01", name="综合", departments=[dept])
    item = item_create(
        actor=None,
        org=dept,
        code=PREFIX + "item",
        content=ItemContent(name="食品经营许可", category="licensing", statutory_limit_days=20, promised_limit_days=10),
    )
    staff = {
        "approver": org_services.staff_create(
            actor=None,
            org=dept,
            username=PREFIX + "approver",
            full_name="审批",
            password="x" * 12,
            role=Role.APPROVER,
            scope=Scope.SELF,
            check_password=False,
        ),
        "window": org_services.staff_create(
            actor=None,
            org=center,
            username=PREFIX + "window",
            full_name="窗口",
            password="x" * 12,
            role=Role.WINDOW_STAFF,
            scope=Scope.SELF,
            check_password=False,
        ),
        "supervisor": org_services.staff_create(
            actor=None,
            org=gov,
            username=PREFIX + "supervisor",
            full_name="监察",
            password="x" * 12,
            role=Role.SUPERVISOR,
            scope=Scope.SUBTREE,
            check_password=False,
        ),
    }
    rng = random.Random(7)
    now = clock.now()
    today = clock.today()
    version = item.current
    rows = []
    for n in range(OPEN_CASES + CLOSED_CASES):
        closed = n >= OPEN_CASES
        submitted = now - dt.timedelta(days=rng.randint(1, 90), minutes=rng.randint(0, 600))
        due = today + dt.timedelta(days=rng.randint(-60, 60))
        pending = not closed and rng.random() < 0.05
        rows.append(
            Case(
                org=dept,
                desk=dept,
                center=center,
                window=window if rng.random() < 0.6 else None,
                ref=f"B{n:08d}",
                query_code=f"{n:010d}",  # not a real code: unique and cheap
                item=item,
                item_version=version,
                status=CaseStatus.CONCLUDED if closed else CaseStatus.SUBMITTED if pending else CaseStatus.ACCEPTED,
                channel="window",
                applicant_name="申请人",
                submitted_at=submitted,
                accepted_at=None if pending else submitted,
                concluded_at=now if closed else None,
                decision="approved" if closed else "",
                promised_limit_days=None if pending else 10,
                statutory_limit_days=None if pending else 20,
                due_on=None if pending else due,
                warn_on=None if pending else due - dt.timedelta(days=3),
            )
        )
    with transaction.atomic():
        Case.objects.bulk_create(rows, batch_size=5000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE cases_case")  # what autovacuum does after a bulk load
    return {"gov": gov, "dept": dept, "item": item, **staff}


def timed(fn, n: int = 200) -> tuple[float, float]:
    for _ in range(10):
        fn()
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95)]


def ledger_file(rows: int, item_code: str) -> Path:
    path = Path(tempfile.gettempdir()) / f"zhengwu-bench-cases-{rows}.csv"
    rng = random.Random(11)
    start = dt.datetime(2024, 1, 2, 9, 0)
    with path.open("w", encoding="utf-8") as out:
        out.write("ref,item_code,channel,submitted_at,accepted_at,concluded_at,decision,visits,on_site,evaluation\n")
        for n in range(rows):
            sub = start + dt.timedelta(minutes=n % 500_000)
            acc = sub + dt.timedelta(minutes=rng.randint(5, 300))
            con = acc + dt.timedelta(days=rng.randint(0, 12))
            level = rng.choice(["very_satisfied", "satisfied", "", ""])
            out.write(
                f"H{n:09d},{item_code},window,{sub:%Y-%m-%d %H:%M},{acc:%Y-%m-%d %H:%M},{con:%Y-%m-%d %H:%M},"
                f"approved,1,0,{level}\n"
            )
    return path


def drop_imported() -> None:
    """Remove the cases an earlier run imported from the ledger (refs H…), so the import starts from none."""
    with transaction.atomic(), connection.cursor() as cur:
        imported = (
            "SELECT c.id FROM cases_case c JOIN orgs_org o ON o.id = c.org_id WHERE o.code LIKE %s AND c.ref LIKE 'H%%'"
        )
        cur.execute(
            f"DELETE FROM cases_rectification WHERE evaluation_id IN (SELECT id FROM cases_evaluation"
            f" WHERE case_id IN ({imported}))",
            [PREFIX + "%"],
        )
        for table in ("cases_evaluation", "cases_casestep", "cases_casepause"):
            cur.execute(f"DELETE FROM {table} WHERE case_id IN ({imported})", [PREFIX + "%"])
        cur.execute(f"DELETE FROM cases_case WHERE id IN ({imported})", [PREFIX + "%"])
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE cases_case")


def time_phases() -> dict[str, float]:
    """Seconds spent in each phase of the import (filled as it runs): reading and checking the file, the cases with
    their audit events (sync_by_ref), their evaluations, every bulk insert together (keys, rows, COPY text; on
    PostgreSQL the rows are written behind, zhengwu.core.write_behind), the time the import waited for PostgreSQL
    (queued writes, and rows it had not taken yet), and the commit."""
    import functools

    from zhengwu.cases import ledger as cases_ledger
    from zhengwu.core import ledger as core_ledger
    from zhengwu.core import write_behind

    spent: dict[str, float] = {}

    def wrap(module: object, name: str, label: str) -> None:
        original = getattr(module, name)

        @functools.wraps(original)
        def timed_call(*args: object, **kwargs: object) -> object:
            t0 = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.perf_counter() - t0

        setattr(module, name, timed_call)

    wrap(core_ledger, "read_ledger", "read and check the file")
    wrap(core_ledger, "sync_by_ref", "cases and their events (sync_by_ref)")
    wrap(cases_ledger, "_sync_details", "evaluations (details)")
    wrap(core_ledger, "bulk_insert", "every bulk insert (keys, rows, COPY text)")
    wrap(write_behind.WriteBehind, "_put", "  of which waiting for PostgreSQL to take rows")
    wrap(write_behind.WriteBehind, "settle", "waiting for queued writes (PostgreSQL)")
    return spent


def cpu_seconds() -> tuple[float, float]:
    """CPU seconds used so far by this process (all threads) and by its PostgreSQL backend (-1 when the server
    is not on this machine or not readable): unlike wall time, not stretched by other work on a shared machine."""
    server = -1.0
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_backend_pid()")
            pid = cur.fetchone()[0]
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            server = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            pass
    return time.process_time(), server


def cleanup() -> None:
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "DELETE FROM cases_evaluation WHERE case_id IN (SELECT c.id FROM cases_case c JOIN orgs_org o"
            " ON o.id = c.org_id WHERE o.code LIKE %s)",
            [PREFIX + "%"],
        )
        for table in ("cases_casestep", "cases_casepause"):
            cur.execute(
                f"DELETE FROM {table} WHERE case_id IN (SELECT c.id FROM cases_case c JOIN orgs_org o"
                " ON o.id = c.org_id WHERE o.code LIKE %s)",
                [PREFIX + "%"],
            )
        cur.execute(
            "DELETE FROM cases_case WHERE org_id IN (SELECT id FROM orgs_org WHERE code LIKE %s)", [PREFIX + "%"]
        )


def main() -> None:
    keep = "--keep" in sys.argv
    reads = "--no-reads" not in sys.argv
    profile = sys.argv[sys.argv.index("--profile") + 1] if "--profile" in sys.argv else None
    import_rows = 100_000
    if "--import-rows" in sys.argv:
        import_rows = int(sys.argv[sys.argv.index("--import-rows") + 1])
    if Org.objects.filter(code=PREFIX + "gov").exists():
        world = {
            "dept": Org.objects.get(code=PREFIX + "dept"),
            "gov": Org.objects.get(code=PREFIX + "gov"),
            "item": ServiceItem.objects.get(code=PREFIX + "item"),
        }
        from zhengwu.orgs.models import Staff

        for role in ("approver", "window", "supervisor"):
            world[role] = Staff.objects.get(username=PREFIX + role)
    else:
        t0 = time.perf_counter()
        world = build()
        print(f"built {OPEN_CASES:,} open + {CLOSED_CASES:,} concluded cases in {time.perf_counter() - t0:.1f} s")
    print(f"database: {connection.vendor}")
    approver, window, supervisor = world["approver"], world["window"], world["supervisor"]
    cases = [
        ("approver (department, self): first page", lambda: case_list_for_staff(approver, CaseFilter())),
        ("approver: page 40", lambda: case_list_for_staff(approver, CaseFilter(), page=40)),
        ("approver: overdue only", lambda: case_list_for_staff(approver, CaseFilter(state="overdue"))),
        ("approver: warning only", lambda: case_list_for_staff(approver, CaseFilter(state="warning"))),
        ("window staff (center, self): first page", lambda: case_list_for_staff(window, CaseFilter())),
        ("supervisor (county subtree): first page", lambda: case_list_for_staff(supervisor, CaseFilter())),
        ("supervision counts (county)", lambda: supervision_counts(supervisor)),
    ]
    for label, fn in cases if reads else []:
        p50, p95 = timed(fn, n=50 if "counts" in label else 200)
        print(f"{label:48s} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")
    if import_rows:
        drop_imported()
        path = ledger_file(import_rows, world["item"].code)
        print(f"load average before the import: {Path('/proc/loadavg').read_text().strip()}")
        profiler = None
        if profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        phases = time_phases() if "--phases" in sys.argv else None
        cpu = cpu_seconds()
        t0 = time.perf_counter()
        if phases is not None:
            with transaction.atomic():  # the import's own transaction is then a savepoint: commit timed apart
                result = ledger_import(actor=None, kind_name="cases", path=path, org=world["gov"])
                phases["import before commit"] = time.perf_counter() - t0
        else:
            result = ledger_import(actor=None, kind_name="cases", path=path, org=world["gov"])
        secs = time.perf_counter() - t0
        if phases is not None:
            phases["commit (deferred foreign-key checks)"] = secs - phases["import before commit"]
            for label, spent in phases.items():
                print(f"  {label:48s} {spent:7.1f} s")
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(profile)
        python_cpu, server_cpu = (b - a for a, b in zip(cpu, cpu_seconds(), strict=True))
        print(
            f"ledger import of {import_rows:,} cases: {secs:.1f} s ({import_rows / secs:,.0f} rows/s) {result.as_dict()}"
        )
        if server_cpu >= 0:
            print(f"  CPU: python {python_cpu:.1f} s, postgres backend {server_cpu:.1f} s (what load does not change)")
        if "--no-reimport" not in sys.argv:
            t0 = time.perf_counter()
            again = ledger_import(actor=None, kind_name="cases", path=path, org=world["gov"])
            print(f"re-import (unchanged): {time.perf_counter() - t0:.1f} s {again.as_dict()}")
    if not keep:
        cleanup()


if __name__ == "__main__":
    main()
