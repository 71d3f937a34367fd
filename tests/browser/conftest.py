"""Browser journeys: a real headless Chromium (Debian's) driven by Playwright against a live server.

Each journey checks every page it visits with axe-core (no serious or critical violations) and
saves screenshots under ``test-artifacts/screenshots/`` (not committed).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("UPWARD_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("UPWARD_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium is required but {CHROMIUM} does not exist")
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the test's own database calls
    # are ordinary synchronous code and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


class Journey:
    """A person's browser session, with accessibility checks and screenshots along the way."""

    def __init__(self, page: Any, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.checked: set[str] = set()

    def goto(self, path: str) -> Any:
        response = self.page.goto(self.base_url + path)
        self.page.wait_for_load_state("networkidle")
        return response

    def path(self) -> str:
        return str(self.page.url).removeprefix(self.base_url).split("?")[0]

    def check_accessibility(self) -> None:
        """No serious or critical axe-core violation on the current page."""
        from axe_playwright_python.sync_playwright import Axe

        results = Axe().run(self.page)
        serious = [
            v for v in results.response["violations"] if v.get("impact") in {"serious", "critical"}
        ]
        details = "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(
                f"{n['target'][0] if n['target'] else '?'}: {n.get('failureSummary', '')[:200]}"
                for n in v["nodes"][:5]
            )
            for v in serious
        )
        assert not serious, f"Accessibility violations on {self.path()}:\n{details}"
        self.checked.add(self.path())

    def shot(self, name: str, *, full_page: bool = True) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{re.sub(r'[^a-z0-9-]+', '-', name.lower())}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path

    def visit(self, path: str, *, shot: str | None = None) -> Any:
        """Go to a page, check it is accessible and optionally take a screenshot."""
        response = self.goto(path)
        self.check_accessibility()
        if shot:
            self.shot(shot)
        return response

    def sign_in(self, email: str, password: str, *, totp_secret: str | None = None) -> None:
        from upward.core.demo import current_totp_code

        self.goto("/accounts/login/")
        self.page.get_by_label("Email").fill(email)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_load_state("networkidle")
        if totp_secret is not None:
            assert self.path() == "/accounts/2fa/authenticate/"
            self.check_accessibility()
            self.page.get_by_label("Authenticator code").fill(current_totp_code(totp_secret))
            self.page.get_by_role("button", name="Sign in").click()
            self.page.wait_for_load_state("networkidle")
        assert not self.path().startswith("/accounts/"), f"still at {self.path()}"

    def sign_out(self) -> None:
        self.page.get_by_role("button", name="Sign out").click()
        self.page.wait_for_load_state("networkidle")


@pytest.fixture
def journey(browser: Any, live_server: Any) -> Iterator[Any]:
    """Open a fresh browser context (its own cookies) at desktop size."""
    contexts: list[Any] = []

    def open_journey(*, width: int = 1280, height: int = 900, mobile: bool = False) -> Journey:
        context = browser.new_context(
            viewport={"width": width, "height": height},
            is_mobile=mobile,
            has_touch=mobile,
            device_scale_factor=2 if mobile else 1,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return Journey(context.new_page(), live_server.url)

    yield open_journey
    for context in contexts:
        context.close()
