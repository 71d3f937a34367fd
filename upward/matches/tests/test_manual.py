"""Manual matching: ranked allowed mentors with explanations, and people in a reporting line
never proposed, not by a run, not by hand, not through the API."""

from __future__ import annotations

import json

from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from upward.directory.selectors import in_reporting_line
from upward.matches import selectors, services
from upward.matches.change import plan_change
from upward.matches.errors import MatchRuleBroken
from upward.matches.models import MatchingRun, ProposedPair
from upward.programmes import selectors as programme_selectors
from upward.programmes.models import Question, Side

from .conftest import Cast, client_for, finish


def _no_pair_in_a_reporting_line(run: MatchingRun) -> None:
    for pair in ProposedPair.objects.filter(run=run).select_related(
        "leader__person", "mentor__person"
    ):
        assert not in_reporting_line(pair.leader.person, pair.mentor.person), pair


def test_people_in_a_reporting_line_are_never_proposed_even_by_hand(cast: Cast) -> None:
    run = finish(cast.programme, cast.coordinator)
    _no_pair_in_a_reporting_line(run)

    # The ranked list for the leader never offers anyone in their line.
    leader, ranked = selectors.ranked_mentors(run, leader_id=cast.leader.pk, limit=100)
    assert leader == cast.leader
    offered = {row.mentor.pk for row in ranked}
    assert cast.mentor.pk not in offered
    for row in ranked:
        assert not in_reporting_line(cast.leader.person, row.mentor.person)

    # A preview names the rule; saving is refused on the page, in the API and in the service.
    client = client_for(cast.coordinator)
    slug = cast.programme.slug
    change = reverse("matches:change", args=[slug, run.number, cast.leader.pk])
    preview = client.get(change, {"mentor": cast.mentor.pk}).content.decode()
    assert "breaks a rule that is never broken, so it cannot be saved" in preview
    assert "Save this change" not in preview
    plan = plan_change(run, leader_id=cast.leader.pk, mentor_id=cast.mentor.pk)
    displace = plan.options[0].leader_id if plan.options else ""
    refused = client.post(
        change, {"version": run.version, "mentor": cast.mentor.pk, "displace": displace}
    )
    assert refused.status_code == 400
    assert "Nothing was changed." in refused.content.decode()
    api = client.post(
        f"/api/v1/programmes/{slug}/matching/runs/{run.number}/changes",
        data=json.dumps(
            {
                "version": run.version,
                "leader_application_id": cast.leader.pk,
                "mentor_application_id": cast.mentor.pk,
                "displace_leader_id": displace or None,
            }
        ),
        content_type="application/json",
    )
    assert api.status_code == 400
    preview_api = client.get(
        f"/api/v1/programmes/{slug}/matching/runs/{run.number}/changes/preview",
        {"leader_application_id": cast.leader.pk, "mentor_application_id": cast.mentor.pk},
    ).json()
    assert preview_api["allowed"] is False
    assert any("report" in b for b in preview_api["breaches"])
    _no_pair_in_a_reporting_line(run)
    run.refresh_from_db()
    assert run.version == 1


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(choices=st.lists(st.tuples(st.integers(0, 7), st.integers(0, 9)), min_size=1, max_size=4))
def test_no_sequence_of_changes_ever_pairs_a_reporting_line(
    cast: Cast, choices: list[tuple[int, int]]
) -> None:
    run = MatchingRun.objects.filter(programme=cast.programme).first() or finish(
        cast.programme, cast.coordinator
    )
    for li, mj in choices:
        leader, mentor = cast.leaders[li], cast.mentors[mj]
        run.refresh_from_db()
        try:
            plan = plan_change(run, leader_id=leader.pk, mentor_id=mentor.pk)
            displace = plan.options[0].leader_id if plan.options else None
            services.pair_change(
                run=run,
                leader_id=leader.pk,
                mentor_id=mentor.pk,
                displace_id=displace,
                by=cast.coordinator,
                version=run.version,
            )
        except MatchRuleBroken:
            continue
        assert not in_reporting_line(leader.person, mentor.person)
    _no_pair_in_a_reporting_line(run)


def test_the_manual_page_lists_allowed_mentors_best_first_with_reasons(cast: Cast) -> None:
    run = finish(cast.programme, cast.coordinator)
    client = client_for(cast.coordinator)
    url = reverse("matches:manual", args=[cast.programme.slug, run.number])
    picker = client.get(url).content.decode()
    assert "Pick a leader" in picker
    for application in cast.leaders:
        assert application.person.name in picker
    other = cast.leaders[3]
    page = client.get(url, {"leader": other.pk}).content.decode()
    _leader, ranked = selectors.ranked_mentors(run, leader_id=other.pk, limit=25)
    assert f"Mentors for {other.person.name}" in page
    start = page.index(f"Mentors for {other.person.name}")
    positions = [page.index(row.mentor.person.name, start) for row in ranked]
    assert positions == sorted(positions)
    assert [row.score for row in ranked] == sorted((row.score for row in ranked), reverse=True)
    assert "Every criterion" in page and "Preview pairing" in page
    bad = client.get(url, {"leader": 999999})
    assert bad.status_code == 400 and "Choose a leader in this run." in bad.content.decode()

    api = client.get(
        f"/api/v1/programmes/{cast.programme.slug}/matching/runs/{run.number}"
        f"/leaders/{other.pk}/mentors",
        {"limit": 5},
    ).json()
    assert [m["mentor"]["application_id"] for m in api] == [r.mentor.pk for r in ranked[:5]]
    assert all(m["criteria"] and m["why"] for m in api)


def test_assigning_an_unmatched_leader_by_hand(cast: Cast) -> None:
    capacity = next(
        q
        for q in programme_selectors.form_questions(cast.programme, Side.MENTOR)
        if q.use == Question.Use.CAPACITY
    )
    for mentor in cast.mentors:  # every mentor offers two places: some stay free
        mentor.answers = {**mentor.answers, str(capacity.pk): "2"}
        mentor.save(update_fields=["answers"])
    run = finish(cast.programme, cast.coordinator)
    leader_id = next(iter(ProposedPair.objects.filter(run=run).values_list("leader_id", flat=True)))
    services.pair_exclude(run=run, leader_id=leader_id, by=cast.coordinator, version=run.version)
    run.refresh_from_db()
    unmatched = run.unmatched.get(application_id=leader_id)
    _leader, ranked = selectors.ranked_mentors(run, leader_id=unmatched.application_id, limit=20)
    choice = next(row for row in ranked if not row.full)
    client = client_for(cast.coordinator)
    url = reverse(
        "matches:change", args=[cast.programme.slug, run.number, unmatched.application_id]
    )
    preview = client.get(url, {"mentor": choice.mentor.pk}).content.decode()
    assert "has a free place, so nobody else moves" in preview and "Save this change" in preview
    response = client.post(url, {"version": run.version, "mentor": choice.mentor.pk})
    assert response.status_code == 302
    pair = ProposedPair.objects.get(run=run, leader_id=unmatched.application_id)
    assert pair.mentor_id == choice.mentor.pk and pair.source == "manual"
    assert not run.unmatched.filter(application_id=unmatched.application_id).exists()
