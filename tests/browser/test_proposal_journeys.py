"""Proposals: one leader accepts, a mentor declines privately, a rematch finds a new partner.

After the decline, the leader who was declined walks every page they can reach (and reads their
emails): nothing names the mentor who declined, nothing says who declined or why, and their
view of the ended proposal is word for word the decliner's own view. The coordinator starts the
rematch, locks the new pair and publishes it in a browser with JavaScript turned off.
"""

from __future__ import annotations

from typing import Any

from django.core import mail

from personas import PASSWORD
from upward.matches import services
from upward.matches.models import MatchingRun, PairExclusion, Proposal, ProposedPair
from upward.matches.tests.conftest import Cast, finish
from upward.programmes.models import Application

# Words that would give away who declined or why, on any page the declined leader can reach.
GIVEAWAYS = ("declined by", "mentor declined", "they declined", "your mentor said no", "reason:")


def can_sign_in(application: Application) -> Any:
    user = application.user
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


def test_accept_decline_privately_and_rematch(journey: Any, cast: Cast) -> None:
    programme = cast.programme
    run = finish(programme, cast.coordinator)
    services.run_publish(
        run=run, by=cast.coordinator, version=run.version, base_url="http://testserver/"
    )
    proposals = list(
        Proposal.objects.filter(run=run)
        .select_related("leader__person", "mentor__person", "leader__user", "mentor__user")
        .order_by("pk")
    )
    assert len(proposals) >= 3
    accepted, declined = proposals[0], proposals[1]
    declined_leader, decliner = declined.leader, declined.mentor
    secret = decliner.person.name

    # --- A leader accepts. -----------------------------------------------------------------------
    first = journey()
    first.sign_in(can_sign_in(accepted.leader).email, PASSWORD)
    first.visit("/my-match/", shot="my-match-leader")
    first.follow(f"{accepted.mentor.person.name}, your mentor")
    assert "Why you were matched" in first.text()
    first.submit("Accept this match")
    assert "You accepted." in first.message()
    accepted.refresh_from_db()
    assert accepted.leader_accepted_at is not None and accepted.status == Proposal.Status.PENDING

    # --- The other leader reads their proposal, before anything happens. -------------------------
    leader = journey()
    leader.sign_in(can_sign_in(declined_leader).email, PASSWORD)
    leader.visit(f"/my-match/{declined.pk}/", shot="proposal-leader", doc="proposal")
    assert f"Your proposed match: {secret}" in leader.text()

    sent_before_decline = len(mail.outbox)

    # --- Their mentor declines privately, on a phone: no reason is asked for. -------------------
    mentor = journey(width=390, height=844, mobile=True)
    mentor.sign_in(can_sign_in(decliner).email, PASSWORD)
    mentor.visit(f"/my-match/{declined.pk}/", shot="proposal-phone")
    mentor.assert_fits_screen()
    mentor.follow("Decline…")
    mentor.assert_fits_screen()
    assert "You don't need to give a reason" in mentor.text()
    assert mentor.page.locator("main textarea, main input[type=text]").count() == 0
    mentor.shot("decline-confirm")
    mentor.submit("Decline this match")
    assert "The other person is told only that the match will not go ahead" in mentor.message()
    declined.refresh_from_db()
    assert declined.status == Proposal.Status.DECLINED
    assert PairExclusion.objects.filter(
        programme=programme, leader=declined_leader, mentor=decliner
    ).exists()
    mentor.visit(f"/my-match/{declined.pk}/")
    decliners_view = mentor.text()

    # --- The coordinator, with JavaScript off, rematches, locks the new pair and publishes. -----
    coordinator = journey(javascript=False)
    coordinator.sign_in(cast.coordinator.email, PASSWORD, totp_secret=cast.coordinator.totp_secret)
    coordinator.visit(f"/programmes/{programme.slug}/matching/")
    assert "Will not go ahead\n1" in coordinator.text() or "Will not go ahead" in coordinator.text()
    assert secret not in coordinator.page.locator("main").inner_text().split("Runs")[0]
    coordinator.submit("Start a rematch")
    rematch = MatchingRun.objects.filter(programme=programme).order_by("-number").first()
    assert rematch is not None and rematch.purpose == MatchingRun.Purpose.REMATCH
    assert coordinator.path() == f"/programmes/{programme.slug}/matching/runs/{rematch.number}/"
    assert rematch.status == MatchingRun.Status.DONE, rematch.error
    new_pair = ProposedPair.objects.select_related("mentor__person").get(
        run=rematch, leader=declined_leader
    )
    assert new_pair.mentor_id != decliner.pk, "a declined pair was proposed again"
    partner = new_pair.mentor.person.name
    coordinator.submit(f"Lock {declined_leader.person.name} with {partner}")
    assert "Locked: every later run keeps this pair." in coordinator.message()
    coordinator.shot("rematch-review-no-js")
    coordinator.follow("Publish these pairs…")
    button = coordinator.page.get_by_role("button", name="Publish and send")
    assert button.count() == 1
    coordinator.submit("Publish and send")
    assert "Published:" in coordinator.message()
    fresh = Proposal.objects.get(run=rematch, leader=declined_leader)
    assert fresh.mentor_id == new_pair.mentor_id
    accepted.refresh_from_db()
    assert accepted.leader_accepted_at is not None, "the rematch touched an accepted proposal"

    # --- The declined leader sees the new partner, and no trace of who declined or why. ---------
    leader.visit("/my-match/")
    listing = leader.text()
    assert f"{partner}, your mentor" in listing
    assert "This match will not go ahead" in listing
    leader.visit(f"/my-match/{declined.pk}/")
    assert leader.text() == decliners_view, "the two sides of an ended proposal see different pages"
    pages = leader.reachable_pages("/")
    pages.update(leader.reachable_pages(f"/my-match/{declined.pk}/", limit=5))
    assert f"/my-match/{fresh.pk}/" in pages and "/privacy/my-data/" in pages
    for path, html in pages.items():
        assert secret not in html, f"{path} names the mentor who declined"
        assert decliner.user.email not in html, f"{path} shows the decliner's email"
        lowered = html.lower()
        for words in GIVEAWAYS:
            assert words not in lowered, f"{path} says {words!r}"
    leader.visit(f"/my-match/{fresh.pk}/", shot="proposal-after-rematch")
    # Since the decline, the emails to the leader name nobody but their new partner.
    since = [m for m in mail.outbox[sent_before_decline:] if declined_leader.user.email in m.to]
    assert len(since) == 2, [m.subject for m in since]  # the match is off; a new proposal
    for message in since:
        assert secret not in message.body and secret not in message.subject
        assert not any(words in message.body.lower() for words in GIVEAWAYS)
    assert partner in since[-1].body, "the leader was not told about the new partner"
