"""Matching in a real browser (Debian's Chromium, driven by Playwright, checked by axe-core):

- the coordinator starts a run from the matching page, reviews it, locks a pair with the
  keyboard alone and publishes;
- the leader of a pair answers on a phone-sized screen and declines; their partner then sees
  only that the match will not go ahead.

Skipped, with the reason, when Chromium is not installed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from personas import PASSWORD
from upward.matches.models import MatchingRun, PairLock, Proposal

from .conftest import Cast

pytestmark = pytest.mark.browser

CHROMIUM = Path(os.environ.get("UPWARD_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]
SCREENSHOTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "screenshots"


@pytest.fixture
def chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("UPWARD_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium is required but {CHROMIUM} does not exist")
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    import asyncio

    from playwright.sync_api import sync_playwright

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass
    else:  # the browser suite's own Playwright session runs in this worker
        pytest.skip("another Playwright session is open in this process; run this file alone")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


def _page(chromium: Any, *, phone: bool = False) -> Any:
    context = chromium.new_context(
        viewport={"width": 390, "height": 844} if phone else {"width": 1280, "height": 900},
        is_mobile=phone,
        has_touch=phone,
    )
    context.set_default_timeout(30_000)
    return context.new_page()


def _accessible(page: Any) -> None:
    from axe_playwright_python.sync_playwright import Axe

    violations = [
        v
        for v in Axe().run(page).response["violations"]
        if v.get("impact") in {"serious", "critical"}
    ]
    assert not violations, [(v["id"], v["nodes"][0]["target"]) for v in violations]
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{page.url} scrolls sideways: {width}"


def _sign_in(page: Any, base: str, email: str, totp_secret: str | None = None) -> None:
    from upward.core.demo import current_totp_code

    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")
    if totp_secret is not None:
        page.get_by_label("Authenticator code").fill(current_totp_code(totp_secret))
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state("networkidle")


def _shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_a_coordinator_matches_and_publishes_and_a_leader_declines_privately(
    chromium: Any, live_server: Any, cast: Cast
) -> None:
    base = live_server.url
    slug = cast.programme.slug
    page = _page(chromium)
    _sign_in(page, base, cast.coordinator.email, cast.coordinator.totp_secret)

    page.goto(f"{base}/programmes/{slug}/matching/")
    _accessible(page)
    page.get_by_role("button", name="Start matching").click()
    page.wait_for_load_state("networkidle")
    page.get_by_text("Ready to review").first.wait_for()
    run = MatchingRun.objects.get(programme=cast.programme)
    assert run.status == MatchingRun.Status.DONE
    _accessible(page)
    _shot(page, "matching-review")

    # Lock the first pair with the keyboard: Tab to its button, then Enter.
    lock = page.get_by_role("button", name=re.compile(r"^Lock ")).first
    for _ in range(300):
        page.keyboard.press("Tab")
        if lock.evaluate("el => el === document.activeElement"):
            break
    else:
        raise AssertionError("the Lock button never took the focus")
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    page.get_by_text("Locked: every later run keeps this pair.").wait_for()
    assert PairLock.objects.count() == 1

    page.get_by_role("link", name="Publish these pairs…").click()
    page.wait_for_load_state("networkidle")
    _accessible(page)
    page.get_by_role("button", name="Publish and send").click()
    page.wait_for_load_state("networkidle")
    assert "Published:" in page.locator("main").inner_text()
    proposal = Proposal.objects.select_related("leader__user", "mentor__user").first()
    assert proposal is not None and proposal.leader.user.email and proposal.mentor.user.email

    for application in (proposal.leader, proposal.mentor):
        user = application.user
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])

    leader = _page(chromium, phone=True)
    _sign_in(leader, base, proposal.leader.user.email)
    leader.goto(f"{base}/my-match/{proposal.pk}/")
    _accessible(leader)
    _shot(leader, "matching-proposal-phone")
    leader.get_by_role("link", name="Decline…").click()
    leader.wait_for_load_state("networkidle")
    _accessible(leader)
    leader.get_by_role("button", name="Decline this match").click()
    leader.wait_for_load_state("networkidle")
    assert "The other person is told only that" in leader.locator("main").inner_text()

    partner = _page(chromium)
    _sign_in(partner, base, proposal.mentor.user.email)
    partner.goto(f"{base}/my-match/{proposal.pk}/")
    _accessible(partner)
    text = partner.locator("main").inner_text()
    assert "This match will not go ahead" in text
    assert proposal.leader.person.name not in text
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DECLINED
