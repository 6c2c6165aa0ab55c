"""Compile the English catalogue for tests that read English (the .mo file is built, never committed)."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.utils.translation import reloader


def compile_translations() -> None:
    """msgfmt each .po under LOCALE_PATHS into its .mo when stale; written via rename so parallel runs never
    read a half-written file. Then drop Django's cached catalogues so the new ones are read."""
    for root in settings.LOCALE_PATHS:
        for po in Path(root).glob("*/LC_MESSAGES/*.po"):
            mo = po.with_suffix(".mo")
            if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
                continue
            fd, tmp = tempfile.mkstemp(dir=po.parent, suffix=".mo.tmp")
            os.close(fd)
            subprocess.run(["msgfmt", "--check-format", "-o", tmp, str(po)], check=True)
            os.replace(tmp, mo)
            reloader.translation_file_changed(sender=None, file_path=mo)
