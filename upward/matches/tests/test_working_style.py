"""Working style in matching: pairs are explained in words on the proposal and run pages, and
neither the partner nor the coordinator ever sees anyone's scores (pages, API, emails)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core import mail
from django.urls import reverse

from upward.consent.models import Consent
from upward.consent.services import consent_withdraw
from upward.matches.models import MatchingRun, Proposal
from upward.programmes import services as programme_services
from upward.programmes import working_style as ws
from upward.programmes.models import Application

from .conftest import Cast, client_for
from .test_publish import _everything_the_partner_can_load, _published

# Leaders: very structured (dependable 7, disorganised 1), critical (agreeableness 1).
LEADER = [4, 7, 7, 4, 4, 4, 1, 1, 4, 4]
# Mentors: flexible (dependable 1, disorganised 7), critical too.
MENTOR = [4, 7, 1, 4, 4, 4, 1, 7, 4, 4]
STRUCTURE = (
    "one of you would like structure and plans, the other would like to keep things flexible"
)
DIRECT = "you both prefer direct feedback"
# What only the person's own page shows: scores and the questionnaire's trait names.
SCORE_MARKS = ("out of 7", "Conscientiousness</dt>", "Emotional stability", "Extraverted")


def _with_styles(cast: Cast) -> None:
    programme = cast.programme
    programme_services.programme_working_style_set(
        programme=programme,
        by=cast.coordinator,
        version=programme.version,
        weight=5,
        complementary_traits=["conscientiousness"],
    )
    programme.refresh_from_db()
    for application in cast.leaders:
        ws.working_style_save(application=application, answers=LEADER, channel="web")
    for application in cast.mentors:
        ws.working_style_save(application=application, answers=MENTOR, channel="web")


def _emails_to(user: Any) -> str:
    return "\n".join(m.subject + "\n" + m.body for m in mail.outbox if user.email in m.to)


def _coordinator_sees(cast: Cast, run: MatchingRun, proposal: Proposal) -> str:
    client = client_for(cast.coordinator)
    slug = cast.programme.slug
    urls = [
        reverse("matches:matching", args=[slug]),
        reverse("matches:run", args=[slug, run.number]),
        reverse("matches:proposals", args=[slug]),
        reverse("programmes:application", args=[slug, proposal.leader.pk]),
        reverse("programmes:application", args=[slug, proposal.mentor.pk]),
        f"/api/v1/programmes/{slug}/matching/runs/{run.number}/results",
        f"/api/v1/programmes/{slug}/applications/{proposal.mentor.pk}",
    ]
    out = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        out.append(response.content.decode())
    return "\n".join(out) + _emails_to(cast.coordinator)


def test_pairs_are_explained_in_words_and_nobody_else_sees_a_score(
    cast: Cast, committed: Callable[[], Any]
) -> None:
    _with_styles(cast)
    run, [proposal, *_] = _published(cast, committed)
    line = f"How your working styles fit: {DIRECT}; {STRUCTURE}."
    assert line in proposal.introduction_for_leader
    assert line in proposal.introduction_for_mentor

    # The partner: the words on the proposal page, the API and the email; never a score.
    for reader in (proposal.leader, proposal.mentor):
        seen = _everything_the_partner_can_load(client_for(reader.user), proposal)
        seen += _emails_to(reader.user)
        assert DIRECT in seen and STRUCTURE in seen
        for mark in SCORE_MARKS:
            assert mark not in seen, mark

    # The coordinator: the words on the run page, never a score.
    seen = _coordinator_sees(cast, run, proposal)
    assert DIRECT in seen and STRUCTURE in seen
    for mark in SCORE_MARKS:
        assert mark not in seen, mark
    assert 'working_style": {' not in seen

    # The person themself: their own scores on their application page.
    own = client_for(proposal.mentor.user).get(
        reverse("programmes:my_application", args=[cast.programme.slug])
    )
    assert "1 out of 7" in own.content.decode()


def test_without_consent_a_persons_answers_play_no_part(
    cast: Cast, committed: Callable[[], Any]
) -> None:
    _with_styles(cast)
    for consent in Consent.objects.filter(purpose=ws.PURPOSE):
        consent_withdraw(consent=consent, channel="web")
    run, proposals = _published(cast, committed)
    for proposal in proposals:
        assert not any("working styles" in line for line in proposal.introduction_for_leader)
    detail = client_for(cast.coordinator).get(
        reverse("matches:run", args=[cast.programme.slug, run.number])
    )
    assert DIRECT not in detail.content.decode()
    assert Application.objects.filter(working_style__isnull=False).count() == 0
