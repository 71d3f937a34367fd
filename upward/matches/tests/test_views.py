"""The matching pages: who may open them, what they show, and bad input that changes nothing."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse

from upward.matches import selectors, services
from upward.matches.models import MatchingRun, PairLock, Proposal, ProposedPair
from upward.privacy.tests.access_matrix import inline_code

from .conftest import Cast, client_for, finish


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_only_the_programmes_coordinators_see_its_matching(
    cast: Cast, coordinator_b: Any, outsider: Any, sponsor: Any, org_admin: Any
) -> None:
    run = finish(cast.programme, cast.coordinator)
    slug = cast.programme.slug
    pages = [
        reverse("matches:matching", args=[slug]),
        reverse("matches:run", args=[slug, run.number]),
        reverse("matches:weights", args=[slug, run.number]),
        reverse("matches:manual", args=[slug, run.number]),
        reverse("matches:publish", args=[slug, run.number]),
        reverse("matches:compare", args=[slug]),
        reverse("matches:change", args=[slug, run.number, cast.leaders[1].pk]),
    ]
    for user in (coordinator_b, outsider, sponsor, org_admin, cast.leader.user):
        client = client_for(user)
        for url in pages:
            assert client.get(url).status_code == 404, (user, url)
        locked = client.post(
            reverse("matches:lock", args=[slug, run.number]),
            {"leader": cast.leaders[1].pk, "version": 1},
        )
        assert locked.status_code == 404
    assert not PairLock.objects.exists()
    missing = client_for(cast.coordinator).get(reverse("matches:run", args=[slug, 99]))
    assert missing.status_code == 404


def test_the_review_page_shows_pairs_reasons_and_figures(cast: Cast) -> None:
    run = finish(cast.programme, cast.coordinator)
    response = client_for(cast.coordinator).get(
        reverse("matches:run", args=[cast.programme.slug, run.number])
    )
    html = response.content.decode()
    text = _text(html)
    assert response.status_code == 200 and inline_code(html) == []
    summary = selectors.run_summary(run)
    assert f"{summary.pairs} of 8 leaders matched" in text
    assert f"{summary.mean_score:.1f} mean score out of 100" in text
    assert f"{summary.min_score:.1f} lowest score" in text
    assert "pairs across departments" in text and "pairs across organisations" in text
    # Charts are tables with captions; the bars are decoration.
    assert html.count('<figure class="chart">') == 3
    assert "<figcaption>Mentor load: how many leaders each mentor has</figcaption>" in html
    assert 'aria-hidden="true" focusable="false"><rect width=' in html
    for pair in ProposedPair.objects.filter(run=run).select_related("leader__person"):
        assert pair.leader.person.name in html
        assert f"{pair.score:.1f}" in html
    assert "Every criterion" in html and "points" in html
    for unmatched in run.unmatched.all():
        assert unmatched.reason[:20].capitalize() in html or unmatched.reason[:20] in html
    assert "Never pairs people in the same reporting line" in text
    assert "Re-run keeping locks" in text and "Publish these pairs" in text


def test_the_pairs_can_be_searched_filtered_and_ordered(cast: Cast) -> None:
    run = finish(cast.programme, cast.coordinator)
    client = client_for(cast.coordinator)
    url = reverse("matches:run", args=[cast.programme.slug, run.number])
    pair = ProposedPair.objects.filter(run=run).select_related("leader__person").first()
    assert pair is not None
    name = pair.leader.person.name
    found = client.get(url, {"q": name.split()[-1]}).content.decode()
    assert name in found
    services.pair_lock(run=run, leader_id=pair.leader_id, by=cast.coordinator, version=1)
    locked = client.get(url, {"show": "locked"}).content.decode()
    others = ProposedPair.objects.filter(run=run).exclude(pk=pair.pk)
    assert name in locked
    assert all(p.leader.person.name not in locked for p in others.select_related("leader__person"))
    lowest = client.get(url, {"order": "score"}).content.decode()
    scores = [float(s) for s in re.findall(r'<strong class="score">([\d.]+)</strong>', lowest)]
    assert scores == sorted(scores)
    nonsense = client.get(url, {"order": "drop table", "show": "everything"})
    assert nonsense.status_code == 200  # unknown choices are ignored, the full list shows


def test_adjusting_weights_previews_them_in_a_new_run(cast: Cast, committed: Any) -> None:
    run = finish(cast.programme, cast.coordinator)
    client = client_for(cast.coordinator)
    url = reverse("matches:weights", args=[cast.programme.slug, run.number])
    form = client.get(url).content.decode()
    assert "Preview with these weights" in form and "Topics sought and offered" in form
    data = {k: 3 for k in ("topics", "objectives", "text", "seniority_gap", "difference")}
    data.update({"availability": 5, "culture_history": 0, "preferences": 0, "version": 1})
    bad = client.post(url, {**data, "topics": 9})
    assert bad.status_code == 400 and "Choose a weight from 0 to 5." in bad.content.decode()
    stale = client.post(url, {**data, "version": 7})
    assert stale.status_code == 400 and "Someone else changed" in stale.content.decode()
    assert MatchingRun.objects.count() == 1
    with committed():
        response = client.post(url, data)
    new = MatchingRun.objects.get(number=2)
    assert response["Location"] == reverse("matches:run", args=[cast.programme.slug, 2])
    assert new.parent == run and new.purpose == "weights"
    assert new.policy["settings"]["weights"]["availability"] == 5
    page = _text(client.get(response["Location"]).content.decode())
    assert "Compared with run 1" in page and "See every difference" in page


def test_the_publish_page_says_what_will_be_sent(cast: Cast) -> None:
    run = finish(cast.programme, cast.coordinator)
    client = client_for(cast.coordinator)
    url = reverse("matches:publish", args=[cast.programme.slug, run.number])
    text = _text(client.get(url).content.decode())
    pairs = run.pairs.count()
    assert f"{pairs} new proposals will be sent" in text
    assert "never includes the other person's identity answers" in text
    assert "nobody is told who declined" in text
    refused = client.post(url, {})
    assert refused.status_code == 302 and not Proposal.objects.exists()
    stale = client.post(url, {"version": 3})
    assert stale.status_code == 409 and not Proposal.objects.exists()


def test_a_participant_sees_their_match_on_the_home_page(cast: Cast) -> None:
    run = finish(cast.programme, cast.coordinator)
    services.run_publish(run=run, by=cast.coordinator, version=1, notify=False)
    proposal = Proposal.objects.select_related("leader__user", "mentor__person").first()
    assert proposal is not None
    client = client_for(proposal.leader.user)
    home = client.get(reverse("home")).content.decode()
    assert "Your match" in home and proposal.mentor.person.name in home
    assert "Waiting for your answer" in home
    assert reverse("matches:proposal", args=[proposal.pk]) in home
    nav = client.get(reverse("matches:mine")).content.decode()
    assert 'href="/my-match/"' in nav
    nobody = client_for(cast.coordinator).get(reverse("home")).content.decode()
    assert "Your match" not in nobody
    empty = client_for(cast.coordinator).get(reverse("matches:mine")).content.decode()
    assert "You have no proposed match yet" in empty


def test_declining_asks_first_and_a_get_changes_nothing(cast: Cast) -> None:
    run = finish(cast.programme, cast.coordinator)
    services.run_publish(run=run, by=cast.coordinator, version=1, notify=False)
    proposal = Proposal.objects.select_related("mentor__user").first()
    assert proposal is not None
    page = client_for(proposal.mentor.user).get(reverse("matches:decline", args=[proposal.pk]))
    text = _text(page.content.decode())
    assert "will be told only that the match will not go ahead" in text
    assert "You don't need to give a reason" in text
    assert "<textarea" not in page.content.decode()  # no reason is asked for
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PENDING
