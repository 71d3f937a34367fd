"""A newcomer's first visit, one journey per demo role: sign in with the printed account, see
something real to do on the first page, and reach the role's main task in a few clicks.

Every page visited is checked with axe-core, must log no error in the browser console (a
Content Security Policy violation is one) and must fit a 390 px wide phone screen, with every
menu entry on screen. Each role's first page is the README's picture of it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from upward.core.demo import demo_password, seed_demo
from upward.matches.models import Proposal

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def demo(tmp_path: Path, transactional_db: Any) -> Any:
    with override_settings(DATA_DIR=tmp_path):
        logins, secrets = seed_demo(size=1200)
        yield {login.role: login.email for login in logins}, secrets, demo_password()


class Newcomer:
    """A journey that also watches the console and the page's width on a phone."""

    def __init__(self, journey: Any) -> None:
        self.journey = journey
        self.errors: list[str] = []
        page = journey.page
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def check(self) -> None:
        """No console error; no sideways scroll and every menu entry on screen at 390 px."""
        page = self.journey.page
        path = self.journey.path()
        page.set_viewport_size(PHONE)
        try:
            self.journey.assert_fits_screen()
            for link in page.locator(".site-nav a, .site-user a").all():
                box = link.bounding_box()
                assert box is not None, f"a menu entry is hidden at 390 px on {path}"
                assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (
                    f"menu entry {link.inner_text()!r} is off screen at 390 px on {path}"
                )
        finally:
            page.set_viewport_size(DESKTOP)
        assert not self.errors, f"console errors on {path}: {self.errors}"

    def visit(self, path: str, **kwargs: Any) -> None:
        self.journey.visit(path, **kwargs)
        self.check()

    def follow(self, name: str, **kwargs: Any) -> None:
        self.journey.follow(name, **kwargs)
        self.check()

    def submit(self, name: str, **kwargs: Any) -> None:
        self.journey.submit(name, **kwargs)
        self.check()

    def text(self) -> str:
        return str(self.journey.text())


def _signed_in(journey: Any, demo: Any, role: str) -> Newcomer:
    emails, secrets, password = demo
    me = Newcomer(journey())
    me.journey.sign_in(emails[role], password, totp_secret=secrets.get(emails[role]))
    return me


def test_every_demo_role_has_something_to_do_from_its_first_page(journey: Any, demo: Any) -> None:
    # --- The coordinator chases the replies still missing. ----------------------------------
    me = _signed_in(journey, demo, "Coordinator")
    me.visit("/", doc="first-page-coordinator")
    assert "Reverse Mentoring 2027" in me.text() and "Reciprocal Mentoring 2027" in me.text()
    waiting = Proposal.objects.filter(status="pending").count()
    assert waiting >= 1
    me.follow(f"{waiting} proposed match{'es' if waiting > 1 else ''} waiting for a reply")
    assert f"Waiting for replies ({waiting})" in me.text()
    me.submit("Send a reminder")
    assert "Reminder sent to whoever has not answered yet." in me.text()
    assert Proposal.objects.filter(reminded_at__isnull=False).count() == 1
    me.follow("Matching")
    # Moving back to sourcing would contradict the proposals already sent: refused, with the way out.
    me.visit("/programmes/reverse-mentoring-2027/")
    me.journey.page.get_by_label("Move to phase").select_option("sourcing")
    me.submit("Change phase…")
    assert "Proposed matches have already been sent to participants." in me.text()
    assert "Stay in Matching" in me.text()

    # --- The org admin appoints a wellbeing lead. --------------------------------------------
    me = _signed_in(journey, demo, "Org admin")
    me.visit("/", doc="first-page-org-admin")
    me.follow("Appoint coordinators, sponsors and wellbeing leads")
    page = me.journey.page
    page.get_by_label("Their email address").fill("amara.osei@northwind.example")
    page.get_by_label("Role", exact=True).select_option("wellbeing_lead")
    me.submit("Appoint")
    assert "amara.osei@northwind.example is now wellbeing lead for Northwind Group" in me.text()
    # The directory's person pages: long values wrap, nothing is clipped at 1280 px.
    me.follow("Northwind Group", exact=True)
    me.journey.page.locator("table a").first.click()
    me.journey.page.wait_for_load_state()
    me.check()
    clipped = page.evaluate(
        "() => [...document.querySelectorAll('dl.facts dd')]"
        ".filter(d => d.scrollWidth > d.clientWidth + 1).map(d => d.innerText)"
    )
    assert clipped == [], f"clipped values on a person page: {clipped}"

    # --- The sponsor reads the programme's figures, never an individual's. -------------------
    me = _signed_in(journey, demo, "Sponsor")
    me.visit("/", doc="first-page-sponsor")
    text = me.text()
    assert "pairs confirmed" in text and "never any individual" in text

    # --- The wellbeing lead opens the concerns routed to them, the overdue one marked. --------
    me = _signed_in(journey, demo, "Wellbeing lead")
    me.visit("/", doc="first-page-wellbeing-lead")
    assert "Concerns routed to you appear in your concerns inbox" in me.text()
    me.follow("Concerns inbox")
    assert "overdue" in me.text()
    me.follow("My profile")

    # --- The leader sees their confirmed match, then the invitation to the other programme. --
    me = _signed_in(journey, demo, "Leader")
    me.visit("/", doc="first-page-leader")
    assert "Match confirmed" in me.text() and "You are invited" in me.text()
    me.follow("My match")
    me.follow("your mentor", exact=False)
    assert "Your confirmed match:" in me.text() and "Step back from this match" in me.text()
    me.visit("/")
    me.follow("Reciprocal Mentoring 2027")
    # The account pages speak like the rest of the site, and fit a phone too.
    me.visit("/me/")
    me.follow("Change password")
    assert "Change password" in me.text() and "Change Password" not in me.text()
    me.visit("/accounts/2fa/")
    assert "Two-factor authentication" in me.text()

    # --- The mentor sees the same match from the other side, and applies to the other one. --
    me = _signed_in(journey, demo, "Mentor")
    me.visit("/", doc="first-page-mentor")
    me.follow("My programmes")
    assert "is confirmed: you have both accepted." in me.text()
    me.follow("Apply")
