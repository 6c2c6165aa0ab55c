"""A newcomer's first run: `zhengwu init` with nothing configured makes an embedded SQLite database in WAL mode and a
secret key under var/, both kept on the second run."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _zhengwu(var_dir: Path, *args: str, extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHENGWU_") and k != "DJANGO_SETTINGS_MODULE"}
    env.update({"ZHENGWU_VAR_DIR": str(var_dir), **(extra_env or {})})
    return subprocess.run(
        [sys.executable, "-m", "zhengwu.cli.main", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_init_creates_sqlite_in_wal_mode_and_a_private_secret_key(tmp_path):
    first = _zhengwu(tmp_path, "init")
    assert first.returncode == 0, first.stderr
    db = tmp_path / "zhengwu.sqlite3"
    assert db.exists()
    assert sqlite3.connect(db).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    key = tmp_path / "secret_key"
    assert len(key.read_text().strip()) >= 50
    assert stat.S_IMODE(key.stat().st_mode) == 0o600

    key_before = key.read_text()
    second = _zhengwu(tmp_path, "init")
    assert second.returncode == 0, second.stderr
    assert key.read_text() == key_before


def test_a_given_secret_key_is_used_and_nothing_is_written(tmp_path):
    r = _zhengwu(tmp_path, "org", "list", extra_env={"ZHENGWU_SECRET_KEY": "x" * 60})
    assert not (tmp_path / "secret_key").exists()
    # No database yet: a clear error with status 1, not a traceback.
    assert r.returncode == 1
    assert "Traceback" not in r.stderr


def test_unknown_verb_is_a_usage_error(tmp_path):
    r = _zhengwu(tmp_path, "frobnicate")
    assert r.returncode == 2
    assert "frobnicate" in r.stderr
