"""The menu is on every page: whatever the person's roles and rows, it is answered in two
queries (the role grants and one for every other question), and it shows what they hold."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from upward.core import navigation
from upward.evidence.models import Campaign
from upward.evidence.tests.conftest import open_campaign
from upward.preparation.tests.factory import make_pair

pytestmark = pytest.mark.django_db


def menu_of(user: Any) -> tuple[list[str], int]:
    """The menu's labels for a fresh copy of the user (as a request has), and its queries."""
    fresh = get_user_model().objects.get(pk=user.pk)
    with CaptureQueriesContext(connection) as ctx:
        labels = [e.label for e in navigation.entries_for(fresh)]
        again = [e.label for e in navigation.entries_for(fresh)]
    assert again == labels
    return labels, len(ctx.captured_queries)


def test_a_participant_s_menu_reads_two_queries(
    programme_a: Any, leader: Any, mentor: Any, coordinator: Any
) -> None:
    labels, queries = menu_of(leader)
    assert "My pair" not in labels and "My surveys" not in labels and "My match" not in labels
    assert queries == 2
    make_pair(programme_a, leader, mentor)
    open_campaign(programme_a, audience=Campaign.Audience.WIDER)
    labels, queries = menu_of(leader)
    for label in ("My match", "My pair", "Meetings", "Support", "My surveys", "Cohort space"):
        assert label in labels
    assert "Programmes" not in labels and "Audit" not in labels
    assert queries == 2


def test_a_coordinator_s_menu_reads_two_queries(coordinator: Any, sponsor: Any) -> None:
    labels, queries = menu_of(coordinator)
    for label in ("Programmes", "Concerns inbox", "Cohort space", "Ideas", "Audit"):
        assert label in labels
    assert "My pair" not in labels and "Recognition" not in labels
    assert queries == 2
    labels, queries = menu_of(sponsor)
    assert "Recognition" in labels and "Ideas" in labels and "Programmes" not in labels
    assert queries == 2


def test_facts_are_false_for_someone_not_signed_in() -> None:
    from django.contrib.auth.models import AnonymousUser

    with CaptureQueriesContext(connection) as ctx:
        facts = navigation.facts_of(AnonymousUser())
    assert facts and not any(facts.values())
    assert not ctx.captured_queries
    with pytest.raises(KeyError):
        navigation.fact(AnonymousUser(), "no such fact")


def test_the_home_page_reads_no_participant_rows_for_someone_with_none(
    client: Any, coordinator: Any, django_assert_max_num_queries: Any
) -> None:
    """The menu's facts say a coordinator has no pair and no proposal: the home page's
    participant sections read nothing more (session, user, grants, authenticator, person,
    facts, the coordinated programmes and their organisations)."""
    client.force_login(coordinator)
    client.get("/")
    with django_assert_max_num_queries(8):
        assert client.get("/").status_code == 200


def test_the_statement_is_shared_the_answers_are_not(
    programme_a: Any, leader: Any, mentor: Any, coordinator: Any, outsider: Any
) -> None:
    """The compiled questions are kept for the day; each person's answers are their own."""
    make_pair(programme_a, leader, mentor)
    fresh = get_user_model().objects.get
    answers = {u.email: navigation.facts_of(fresh(pk=u.pk)) for u in (leader, outsider)}
    assert answers[leader.email]["in_pair"] and answers[leader.email]["has_proposal"]
    assert not answers[outsider.email]["in_pair"] and answers[outsider.email]["has_person"]
    assert not navigation.facts_of(fresh(pk=coordinator.pk))["has_person"]
    assert len(navigation._STATEMENTS) == 1


def test_a_fact_may_read_only_the_user_s_id(monkeypatch: pytest.MonkeyPatch, leader: Any) -> None:
    from django.db.models import Exists

    from upward.programmes.models import Application

    def by_email(user: Any) -> Exists:
        return Exists(Application.objects.filter(user__email=user.email))

    monkeypatch.setattr(navigation, "_FACTS", {**navigation._FACTS, "by_email": by_email})
    monkeypatch.setattr(navigation, "_STATEMENTS", {})
    with pytest.raises(AttributeError):
        navigation.facts_of(get_user_model().objects.get(pk=leader.pk))
