"""The reports app's part of the isolation matrix (tests/test_isolation_matrix.py)."""

from __future__ import annotations

from zhengwu.core.tests.isolation import IsolationSpec, World
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

SPEC = ANNUAL
