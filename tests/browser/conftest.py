"""Browser journeys: a real headless Chromium (Debian's) driven by Playwright against a live server.

Each journey checks every page it visits with axe-core (no serious or critical violations) and
saves screenshots under ``test-artifacts/screenshots/`` (not committed). The pages checked are
listed in ``test-artifacts/accessibility-pages*.txt`` at the end of the run.

With ``UPWARD_DOC_IMAGES=1`` the screenshots a journey marks for the documentation are also
written to ``docs/images/`` (the README shows them); without it those files are left alone.

Adding a journey: a module ``test_<story>_journeys.py`` here, one long test per story, opening
one ``journey(...)`` per person. ``Journey`` has the moves most journeys need (``visit``,
``follow``, ``submit``, ``tab_to`` for keyboard-only passes, ``reachable_pages``, ``download``).
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

# Fixtures shared with the apps' own tests: a programme ready for applications, invitations and
# applying through the service (programmes); a programme with accepted leaders and mentors
# ready for matching (matches).
from upward.matches.tests.conftest import cast  # noqa: F401
from upward.programmes.tests.conftest import apply_as, invite, ready_programme  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("UPWARD_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
DOC_IMAGES = ROOT / "docs" / "images"
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
# Every page checked with axe-core in this run, as a path pattern (numbers replaced).
PAGES_CHECKED: set[str] = set()
# Authenticator codes already used: a code is accepted once, so a second sign-in with the same
# secret waits for the next one, as a person would.
_CODES_USED: set[tuple[str, int]] = set()

# The kinds of elements on a page (tag, classes, role, type, open or not), without their text.
SHAPE_JS = """() => {
  const kinds = new Set();
  for (const el of document.body.querySelectorAll('*')) {
    kinds.add([el.tagName, el.className, el.getAttribute('role') || '', el.getAttribute('type') || '',
               el.hasAttribute('open') ? 'open' : '', el.hasAttribute('disabled') ? 'off' : ''].join('|'));
  }
  return Array.from(kinds).sort().join('\\n');
}"""
_SHAPES_CHECKED: set[tuple[str, str]] = set()

FOCUS_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  return {
    tag: el.tagName.toLowerCase(),
    label: (el.getAttribute('aria-label') || el.getAttribute('name') || el.id
            || (el.innerText || el.value || '')).toString().trim().slice(0, 60),
    visible: el.matches(':focus-visible') && (outlined || style.boxShadow !== 'none'),
  };
}"""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def pytest_sessionfinish(session: pytest.Session) -> None:
    if not PAGES_CHECKED:
        return
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = f"accessibility-pages{'-' + worker if worker else ''}.txt"
    (ARTIFACTS / name).write_text("\n".join(sorted(PAGES_CHECKED)) + "\n")


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


def authenticator_code(secret: str) -> str:
    """The code an authenticator shows for this secret, never one already used in this run."""
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    period = app_settings.TOTP_PERIOD
    counter = int(time.time()) // period
    # A code typed in the last seconds of its window may reach the server after the window
    # has ended (allauth allows no tolerance): on a busy machine, wait for the next one.
    if (secret, counter) in _CODES_USED or (counter + 1) * period - time.time() < 4:
        time.sleep((counter + 1) * period - time.time() + 0.2)
        counter = int(time.time()) // period
    _CODES_USED.add((secret, counter))
    return str(format_hotp_value(hotp_value(secret, counter)))


def page_pattern(path: str) -> str:
    return re.sub(r"/\d+(?=/|$)", "/<n>", path)


class Journey:
    """A person's browser session, with accessibility checks and screenshots along the way."""

    def __init__(self, page: Any, base_url: str, *, checker: Any = None) -> None:
        self.page = page
        self.base_url = base_url
        self.checked: set[str] = set()
        # With JavaScript off, axe-core cannot run in the page itself: each page is copied, as
        # the browser shows it, into this page of a context with JavaScript on, and checked there.
        self.checker = checker

    # --- getting around ---------------------------------------------------------------------

    def goto(self, path: str) -> Any:
        return self.page.goto(self.base_url + path)

    def path(self) -> str:
        return str(self.page.url).removeprefix(self.base_url).split("?")[0].split("#")[0]

    def text(self) -> str:
        """What the page's main region says (visible text)."""
        return str(self.page.locator("main").inner_text())

    def visit(self, path: str, *, shot: str | None = None, doc: str | None = None) -> Any:
        """Go to a page, check it is accessible and optionally take a screenshot."""
        response = self.goto(path)
        assert response is not None and response.ok, (
            f"{path} answered {response and response.status}"
        )
        self.check_accessibility()
        if shot or doc:
            self.shot(shot or doc or "", doc=doc)
        return response

    def _after_navigation(self, action: Any, check: bool) -> None:
        with self.page.expect_navigation():
            action()
        if check:
            self.check_accessibility()

    def follow(
        self, name: str, *, exact: bool = False, check: bool = True, within: Any = None
    ) -> None:
        """Follow a link by its accessible name, then check the page it leads to."""
        scope = within if within is not None else self.page
        link = scope.get_by_role("link", name=name, exact=exact).first
        self._after_navigation(link.click, check)

    def submit(
        self, name: str, *, exact: bool = False, check: bool = True, within: Any = None
    ) -> None:
        """Press a button that sends a form, then check the page that comes back."""
        scope = within if within is not None else self.page
        button = scope.get_by_role("button", name=name, exact=exact).first
        self._after_navigation(button.click, check)

    def message(self) -> str:
        """The flash messages at the top of the page."""
        messages = self.page.locator("main .messages")
        return str(messages.inner_text()) if messages.count() else ""

    # --- checks -----------------------------------------------------------------------------

    def check_accessibility(self, *, again: bool = False) -> None:
        """No serious or critical axe-core violation on the current page.

        A page already checked in this run with the same kinds of elements (tags, classes,
        roles, input types) is not checked again, unless ``again``: the readiness board after
        its third item is done is the same page as after its second.
        """
        from axe_playwright_python.sync_playwright import Axe

        pattern = page_pattern(self.path())
        target = self.page
        if self.checker is not None:
            target = self.checker
            target.goto(self.base_url + "/healthz")
            target.set_content(self.page.content())
        shape = (pattern, target.evaluate(SHAPE_JS))
        if shape in _SHAPES_CHECKED and not again:
            self.checked.add(self.path())
            return
        results = Axe().run(target)
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
        _SHAPES_CHECKED.add(shape)
        PAGES_CHECKED.add(pattern)

    def assert_fits_screen(self) -> None:
        """Nothing on the page is wider than the screen: no sideways scrolling."""
        widths = self.page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth]"
        )
        assert widths[0] <= widths[1], f"{self.path()} scrolls sideways: {widths}"

    def focused(self) -> dict[str, Any] | None:
        result: dict[str, Any] | None = self.page.evaluate(FOCUS_JS)
        return result

    def tab_to(self, target: Any, *, backwards: bool = False, limit: int = 200) -> int:
        """Press Tab (or Shift+Tab) until ``target`` (a locator) has the focus, checking that
        every element passed on the way shows where the focus is. Returns the presses used."""
        key = "Shift+Tab" if backwards else "Tab"
        for presses in range(1, limit + 1):
            self.page.keyboard.press(key)
            focus = self.focused()
            if focus is not None:
                assert focus["visible"], f"focus not visible on {focus} at {self.path()}"
            if target.evaluate("el => el === document.activeElement"):
                return presses
        raise AssertionError(f"{target} never took the focus after {limit} presses of {key}")

    # --- evidence ---------------------------------------------------------------------------

    def shot(self, name: str, *, full_page: bool = True, doc: str | None = None) -> Path:
        """Save a screenshot under test-artifacts/; ``doc`` also writes docs/images/<doc>.png
        (the visible part of the page only) when UPWARD_DOC_IMAGES is set."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{re.sub(r'[^a-z0-9-]+', '-', name.lower())}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        if doc and os.environ.get("UPWARD_DOC_IMAGES"):
            DOC_IMAGES.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(DOC_IMAGES / f"{doc}.png"), scale="css")
        return path

    def download(self, button: str, into: Path) -> Path:
        """Press a button that downloads a file; returns where it was saved."""
        with self.page.expect_download() as info:
            self.page.get_by_role("button", name=button).click()
        download = info.value
        target = into / download.suggested_filename
        download.save_as(str(target))
        return target

    def reachable_pages(self, start: str = "/", *, limit: int = 60) -> dict[str, str]:
        """Every page of the site reachable by following links from ``start`` (same site, no
        sign-out, administration or API), checked with axe-core: {path: page HTML}."""
        skip = ("/accounts/logout", "/admin/", "/api/", "/static/", "/media/")
        seen: dict[str, str] = {}
        queue = [start]
        while queue and len(seen) < limit:
            path = queue.pop(0)
            if path in seen:
                continue
            response = self.goto(path)
            assert response is not None and response.ok, f"{path} answered {response.status}"
            self.check_accessibility()
            seen[path] = str(self.page.content())
            for href in self.page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
                parts = urlsplit(href)
                if f"{parts.scheme}://{parts.netloc}" != self.base_url:
                    continue
                target = parts.path + (f"?{parts.query}" if parts.query else "")
                if target not in seen and target not in queue and not target.startswith(skip):
                    queue.append(target)
        return seen

    # --- signing in and out -------------------------------------------------------------------

    def sign_in(self, email: str, password: str, *, totp_secret: str | None = None) -> None:
        self.goto("/accounts/login/")
        self.page.get_by_label("Email").fill(email)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_load_state("networkidle")
        if totp_secret is not None:
            assert self.path() == "/accounts/2fa/authenticate/"
            self.check_accessibility()
            self.page.get_by_label("Authenticator code").fill(authenticator_code(totp_secret))
            self.page.get_by_role("button", name="Sign in").click()
            self.page.wait_for_load_state("networkidle")
        assert not self.path().startswith("/accounts/"), f"still at {self.path()}"

    def sign_out(self) -> None:
        self.page.get_by_role("button", name="Sign out").click()
        self.page.wait_for_load_state("networkidle")


@pytest.fixture
def journey(browser: Any, live_server: Any) -> Iterator[Any]:
    """Open a fresh browser context (its own cookies): desktop size unless told otherwise;
    ``javascript=False`` for a browser with scripts turned off."""
    contexts: list[Any] = []

    def new_context(width: int, height: int, mobile: bool, javascript: bool) -> Any:
        context = browser.new_context(
            viewport={"width": width, "height": height},
            is_mobile=mobile,
            has_touch=mobile,
            device_scale_factor=2 if mobile else 1,
            java_script_enabled=javascript,
            accept_downloads=True,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    def open_journey(
        *, width: int = 1280, height: int = 900, mobile: bool = False, javascript: bool = True
    ) -> Journey:
        page = new_context(width, height, mobile, javascript).new_page()
        checker = None
        if not javascript:
            checker = new_context(width, height, mobile, True).new_page()
        return Journey(page, live_server.url, checker=checker)

    yield open_journey
    for context in contexts:
        context.close()
