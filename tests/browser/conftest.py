"""Browser tests: Playwright (Python) driving Debian's chromium against pytest-django's live server.

Run last (they use ``transactional_db``, which flushes the database); each test builds the data it
needs with ``tests.factories``. ``page`` is a fresh browser context at phone width (360 px) with
Vietnamese as the browser language; ``login_as(page, user)`` logs in through the real form.
"""

from __future__ import annotations

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM is used synchronously here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("XHHT_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PASSWORD = "mat-khau-thu-nghiem"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Debian chromium not found at {CHROMIUM}: run scripts/ensure-browser.sh")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server, transactional_db):
    context = browser.new_context(
        viewport={"width": 360, "height": 800},
        locale="vi-VN",
        base_url=live_server.url,
        accept_downloads=True,
    )
    context.set_default_timeout(15_000)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def login_as():
    def _login(page, user, password: str = PASSWORD):
        page.goto("/tai-khoan/dang-nhap/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        page.click("main button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert "/dang-nhap/" not in page.url, page.content()[:2000]

    return _login
