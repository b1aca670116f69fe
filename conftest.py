"""Project-wide pytest set-up: settings for tests and the headless browser for page tests."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

# Tests run with a fixed key and DEBUG off, like production.
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
# A replica could not see the rows a test writes inside its transaction: tests read the primary only
# (motcua/core/tests/test_replicas.py checks the routing itself).
os.environ.pop("DATABASE_REPLICA_URL", None)
# Playwright drives a real browser from a thread of its own while Django runs synchronously.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("MOTCUA_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parent / "docs" / "screenshots"
# Without these flags Chromium tries to reach Google's hosts, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # Stored passwords get Django's deliberately slow hash (about 0.4 s each here); the tests' throw-away
    # accounts, hundreds of them, would spend more than half the suite's time on it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """A headless Debian Chromium driven by Playwright (`make test` installs it when missing)."""
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server) -> Iterator[object]:
    """A fresh browser page (Vietnamese locale, office-PC window) pointed at the live test server."""
    context = browser.new_context(
        locale="vi-VN", viewport={"width": 1280, "height": 900}, base_url=live_server.url
    )
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


def save_screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under docs/screenshots/ for the README."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture(autouse=True)
def _cold_reference_caches() -> Iterator[None]:
    """Start each test with empty reference caches, so statement counts do not depend on test order."""
    from motcua.core.refcache import clear_all

    clear_all()
    yield
