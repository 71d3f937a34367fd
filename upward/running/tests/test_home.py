"""The participant's home follows the phase with one obvious next step, and the "programmes for
me" query no longer joins a programme's invitations with its applications."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from upward.pairs.models import Pair
from upward.programmes.selectors import participant_programmes
from upward.running import services
from upward.running.home import home_of
from upward.running.seed import seed_running_pairs

pytestmark = pytest.mark.django_db


def test_the_next_step_follows_the_pair(pair: Pair, leader: Any, mentor: Any) -> None:
    home = home_of(mentor)
    assert home.next_step is not None
    assert home.next_step.words == "Propose times for your next meeting"
    meeting = services.meeting_propose(
        pair=pair, by=leader, times=[dt.datetime(2030, 3, 20, 14, 0, tzinfo=dt.UTC)]
    )
    step = home_of(mentor).next_step
    assert step is not None and step.words == "Pick a time for your next meeting"
    services.meeting_pick(meeting=meeting, by=mentor, option_id=meeting.options.get().pk, version=1)
    home = home_of(mentor)
    assert home.next_meeting_text == "Wed 20 March 2030, 10:00 (EDT)"
    assert [t.words for t in home.tasks] == ["Set your first goal"]
    Pair.objects.filter(pk=pair.pk).update(state=Pair.State.PREPARING)
    words = [t.words for t in home_of(leader).tasks]
    assert words[0] == "Read and sign your mentoring agreement"


def test_programmes_for_me_and_the_home_are_bounded(
    client: Any, pair: Pair, leader: Any, org_a: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(leader)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("home")).status_code == 200
    with CaptureQueriesContext(connection) as selector:
        views = participant_programmes(leader)
    assert [v.programme.pk for v in views] == [pair.programme_id]
    joined = [
        q["sql"]
        for q in selector.captured_queries
        if 'JOIN "programmes_invitation"' in q["sql"] or 'JOIN "programmes_application"' in q["sql"]
    ]
    assert joined == []
    assert len(selector.captured_queries) == 4

    seed_running_pairs(pair.programme, org_a, 40)  # 80 more applications in the programme
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(reverse("home")).content.decode()
    assert "Your mentoring" in page
    with django_assert_max_num_queries(4):
        assert len(participant_programmes(leader)) == 1


def test_the_home_reads_names_not_answers(pair: Pair, leader: Any) -> None:
    """The mentoring section reads the pair's two names, not the programme's many columns nor
    the applications' encrypted answers."""
    [(shown, role)] = home_of(leader).pairs
    assert role == "leader (mentee)"
    assert shown.leader.person.name == pair.leader.person.name
    assert shown.leader.get_deferred_fields() >= {"answers", "status"}
    assert "programme" not in shown._state.fields_cache


def test_the_home_counts_the_user_s_own_goals_in_the_pairs_query(
    client: Any, pair: Pair, leader: Any, mentor: Any, django_assert_max_num_queries: Any
) -> None:
    """The count and mean progress of the user's own goals come with the pairs (no query of
    their own); a meeting the other person proposed asks the user to pick a time."""
    from upward.running.models import Goal

    Pair.objects.filter(pk=pair.pk).update(state=Pair.State.ACTIVE)
    for progress in (30, 61):
        Goal.objects.create(pair=pair, owner=leader, statement="Learn", progress=progress)
    Goal.objects.create(pair=pair, owner=mentor, statement="Teach", progress=100)
    home = home_of(leader)
    assert (home.goal_count, home.goal_progress) == (2, 46)
    assert (home_of(mentor).goal_count, home_of(mentor).goal_progress) == (1, 100)
    services.meeting_propose(
        pair=pair, by=leader, times=[dt.datetime(2030, 3, 20, 14, 0, tzinfo=dt.UTC)]
    )
    assert "Pick a time for your next meeting" in [t.words for t in home_of(mentor).tasks]
    assert "Pick a time for your next meeting" not in [t.words for t in home_of(leader).tasks]
    client.force_login(leader)
    client.get(reverse("home"))
    # Session, user, facts with grants, person, application ids, pairs with goals, check-ins,
    # meeting to pick, next meeting, the programmes (three), proposals.
    with django_assert_max_num_queries(13):
        assert client.get(reverse("home")).status_code == 200
