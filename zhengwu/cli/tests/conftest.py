"""Run the real `zhengwu` command in-process and capture what it prints and its exit status."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from zhengwu.cli.common import run
from zhengwu.cli.main import build


@dataclass
class Result:
    status: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture
def zhengwu(capsys: pytest.CaptureFixture[str]):
    def call(*args: str) -> Result:
        capsys.readouterr()
        status = run(build(), list(args))
        captured = capsys.readouterr()
        return Result(status, captured.out, captured.err)

    return call
