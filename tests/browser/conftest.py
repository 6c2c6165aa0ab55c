"""Playwright against pytest-django's live server, in Debian's Chromium (never a downloaded browser)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from such a thread unless told.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
from zhengwu.staff.tests.conftest import english  # noqa: E402, F401 — the session fixture compiling .mo

SHOTS = Path(os.environ.get("ZHENGWU_SHOTS_DIR", "/tmp/shots"))


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _context(browser, **kwargs):  # type: ignore[no-untyped-def]
    # The UI speaks Chinese whatever the browser asks for; English only once the user picks it.
    return browser.new_context(locale="zh-CN", **kwargs)


@pytest.fixture
def desktop(browser):  # type: ignore[no-untyped-def]
    context = _context(browser, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def phone(browser):  # type: ignore[no-untyped-def]
    context = _context(browser, viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def shot():  # type: ignore[no-untyped-def]
    """Save a full-page screenshot for people to look at (CI keeps /tmp/shots as an artifact)."""

    def take(page, name: str) -> None:  # type: ignore[no-untyped-def]
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    return take


@pytest.fixture
def signed_in(browser, live_server):  # type: ignore[no-untyped-def]
    """`signed_in(username)`: a desktop page of that staff member, signed in through the real login form."""
    from zhengwu.orgs.tests.factories import PASSWORD

    contexts = []

    def open_page(username: str):  # type: ignore[no-untyped-def]
        context = _context(browser, viewport={"width": 1366, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(f"{live_server.url}/staff/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{live_server.url}/staff/")
        return page

    yield open_page
    for context in contexts:
        context.close()
