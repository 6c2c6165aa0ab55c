"""The workdays app in the isolation matrix: the calendar is public to read; loading the national notice is not
something one county's staff may do for everyone."""

from __future__ import annotations

import tempfile
from pathlib import Path

from zhengwu.core.tests.isolation import IsolationSpec, World
from zhengwu.workdays.tests.conftest import NOTICE_2027


def _notice_file(w: World) -> str:
    path = Path(tempfile.gettempdir()) / "zhengwu-isolation-notice-2027.yaml"
    path.write_text(NOTICE_2027, encoding="utf-8")
    return str(path)


SPEC = IsolationSpec(
    cli_reads={
        "calendar due": lambda w: ["2026-09-30", "5", "--explain"],
        "calendar between": lambda w: ["2026-09-30", "2026-10-12"],
        "calendar show": lambda w: ["2026"],
    },
    cli_writes={"calendar load": lambda w: [_notice_file(w)]},
    app_labels={"workdays"},
)
