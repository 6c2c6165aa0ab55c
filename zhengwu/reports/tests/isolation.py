"""The reports app's part of the isolation matrix (tests/test_isolation_matrix.py)."""

from __future__ import annotations

from zhengwu.core.tests.isolation import B_MARK, IsolationSpec, World
from zhengwu.reports import services

YEAR = 2025


def _seed_annual(w: World) -> None:
    # B's report: its org names carry "乙县" wherever the report is shown.
    w.objects["b_annual_version"] = services.annual_report_draft(actor=None, org=w.b["gov"], year=YEAR, scope="subtree")


ANNUAL = IsolationSpec(
    seed=_seed_annual,
    public={
        "portal_annual_report:list",
        "portal_annual_report:detail",
        "portal_annual_report:download",
    },
    lists={
        "staff_annual_report:index": lambda w: {},
        "staff_annual_report:deadlines": lambda w: {},
    },
    records={
        "staff_annual_report:report": lambda w: {"code": w.b["gov"].code, "year": YEAR, "scope": "subtree"},
        "staff_annual_report:version": lambda w: {"pk": w.objects["b_annual_version"].pk},
        "staff_annual_report:download": lambda w: {"pk": w.objects["b_annual_version"].pk, "fmt": "pdf"},
    },
    writes=[
        (
            "v1:annual-report",
            lambda w: {},
            "get",
            lambda w: {"org": w.b["gov"].code, "year": YEAR, "scope": "subtree"},
        ),
    ],
    form_writes=[
        (
            "staff_annual_report:draft",
            lambda w: {"code": w.b["gov"].code, "year": YEAR, "scope": "subtree"},
            lambda w: {},
        ),
        (
            "staff_annual_report:version",
            lambda w: {"pk": w.objects["b_annual_version"].pk},
            lambda w: {"overview": "改写", "problems": "", "other": ""},
        ),
        ("staff_annual_report:publish", lambda w: {"pk": w.objects["b_annual_version"].pk}, lambda w: {}),
        (
            "staff_annual_report:open",
            lambda w: {},
            lambda w: {"org": w.b["gov"].code, "year": YEAR, "scope": "subtree"},
        ),
    ],
    cli_reads={},
    cli_writes={
        "report annual": lambda w: ["--org", w.b["gov"].code, "--year", str(YEAR), "--scope", "subtree"],
    },
    app_labels={"reports"},
)

# --- Service statistics (issue 7): dashboard, drill-down, rankings, bulletin, exports, API, CLI ---------------


def _seed_service(w: World) -> None:
    from zhengwu.catalog.tests.factories import make_item
    from zhengwu.core import clock
    from zhengwu.orgs import services as org_services
    from zhengwu.reports.service.testing import make_case

    now = clock.now()
    for key, county, mark in (("service_a", w.a, "甲县"), ("service_b", w.b, B_MARK)):
        hall = org_services.hall_create(actor=None, org=county["center"], name=f"{mark}统计大厅")
        window = org_services.window_create(
            actor=None, hall=hall, number="S01", name=f"{mark}统计窗口", departments=[county["dept"]]
        )
        item = make_item(org=county["dept"], name=f"{mark}统计测试事项")
        w.objects[key] = make_case(
            org=county["dept"], item=item, window=window, submitted=now, accepted=now, concluded=now
        )


def _service_query(w: World) -> dict[str, str]:
    from zhengwu.core import clock

    today = clock.today().isoformat()
    return {"org": w.b["gov"].code, "from": today, "to": today, "scope": "subtree"}


def _service_args(w: World) -> list[str]:
    q = _service_query(w)
    return ["--org", q["org"], "--from", q["from"], "--to", q["to"], "--scope", "subtree"]


_SERVICE_PAGES = (
    "staff_service_report:dashboard",
    "staff_service_report:cases",
    "staff_service_report:rankings",
    "staff_service_report:bulletin",
    "staff_service_report:export",
    "v1:service-report",
    "v1:service-report-ranking",
)

SERVICE = IsolationSpec(
    seed=_seed_service,
    # With no org given each shows the user's own org: nothing of B.
    lists={name: (lambda w: {}) for name in _SERVICE_PAGES},
    # Aimed at B's org by the query string (GET with data): 404, nothing changed.
    writes=[(name, lambda w: {}, "get", _service_query) for name in _SERVICE_PAGES],
    cli_writes={
        # Reads, but aimed at B: refused with exit 2 like a write, and nothing is written.
        "report service": _service_args,
        "report service-bulletin": lambda w: ["--org", w.b["gov"].code, "--month", "2025-09", "-o", "/dev/null"],
    },
)


def _both(w: World) -> None:
    for spec in (ANNUAL, SERVICE):
        if spec.seed is not None:
            spec.seed(w)


SPEC = IsolationSpec(
    seed=_both,
    public=ANNUAL.public | SERVICE.public,
    lists={**ANNUAL.lists, **SERVICE.lists},
    records={**ANNUAL.records, **SERVICE.records},
    operator_only={**ANNUAL.operator_only, **SERVICE.operator_only},
    writes=[*ANNUAL.writes, *SERVICE.writes],
    form_writes=[*ANNUAL.form_writes, *SERVICE.form_writes],
    cli_writes={**ANNUAL.cli_writes, **SERVICE.cli_writes},
    cli_reads={**ANNUAL.cli_reads, **SERVICE.cli_reads},
    cli_operator_only={**ANNUAL.cli_operator_only, **SERVICE.cli_operator_only},
    app_labels=ANNUAL.app_labels | SERVICE.app_labels,
)
