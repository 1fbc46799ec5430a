"""Browser journeys: Playwright driving Debian's Chromium (headless) against pytest-django's live server,
with axe-core checking WCAG 2.1 A/AA on every page a journey visits (X-2)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
AXE_SOURCE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Browser:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: `make test` installs it (apt-get install chromium).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, live_server) -> Page:
    """A fresh browser page (own cookies) in Norwegian; fails the test on any CSP violation or page error."""
    context = browser.new_context(locale="nb-NO", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.on("pageerror", lambda exc: problems.append(f"JavaScript error: {exc}"))
    yield page
    context.close()
    assert not problems, "The browser reported problems:\n" + "\n".join(problems)


def axe_check(page: Page) -> None:
    """Assert that axe-core finds no WCAG 2.1 A/AA violation on the current page."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async (tags) => await window.axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    violations = result["violations"]
    report = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(n["html"][:200] for n in v["nodes"][:5])
        for v in violations
    )
    assert not violations, f"axe-core found WCAG 2.1 A/AA violations on {page.url}:\n{report}"


def login_in_browser(page: Page, live_server, email: str, password: str = "correct-horse-battery") -> None:
    """Log in through the real login form and land on the start page."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("form.form button[type=submit]").first.click()
    page.wait_for_load_state()
