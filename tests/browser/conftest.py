"""Headless Chromium for end-to-end tests: required in CI, skipped elsewhere when missing."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# Playwright's sync API keeps an event loop in this thread; the ORM calls made by fixtures are
# still synchronous, so Django's async-safety guard is relaxed for these tests only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def chromium_path():
    """Return Chromium's path: CHROMIUM_PATH if set, else Debian's; None if it is not there."""
    explicit = os.environ.get("CHROMIUM_PATH")
    candidates = [explicit] if explicit else [shutil.which("chromium"), "/usr/bin/chromium"]
    return next((path for path in candidates if path and Path(path).exists()), None)


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if executable is None:
        message = (
            "Chromium was not found. Install it with `apt-get install -y chromium` (Debian) "
            "to run the browser tests."
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " In CI these tests must run.")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def site(transactional_db, live_server):
    """Serve the demo case on a live server and return its address."""
    from campaigns.demo import demo_load

    demo_load()
    return live_server.url


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def save_screenshots(browser, url, name):
    """Save full-page screenshots of a page at phone and desktop widths."""
    SCREENSHOTS.mkdir(exist_ok=True)
    for label, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        context = browser.new_context(viewport=viewport)
        shot = context.new_page()
        shot.goto(url)
        shot.screenshot(path=SCREENSHOTS / f"{name}-{label}.png", full_page=True)
        context.close()
