"""The menu is on every page: whatever the person's roles and rows, it is answered in one
query (the role grants beside every other question), and it shows what they hold."""

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


def test_a_participant_s_menu_reads_one_query(
    programme_a: Any, leader: Any, mentor: Any, coordinator: Any
) -> None:
    labels, queries = menu_of(leader)
    assert "My pair" not in labels and "My surveys" not in labels and "My match" not in labels
    assert queries == 1
    make_pair(programme_a, leader, mentor)
    open_campaign(programme_a, audience=Campaign.Audience.WIDER)
    labels, queries = menu_of(leader)
    for label in ("My match", "My pair", "Meetings", "Support", "My surveys", "Cohort space"):
        assert label in labels
    assert "Programmes" not in labels and "Audit" not in labels
    assert queries == 1


def test_a_coordinator_s_menu_reads_one_query(coordinator: Any, sponsor: Any) -> None:
    labels, queries = menu_of(coordinator)
    for label in ("Programmes", "Concerns inbox", "Cohort space", "Ideas", "Audit"):
        assert label in labels
    assert "My pair" not in labels and "Recognition" not in labels
    assert queries == 1
    labels, queries = menu_of(sponsor)
    assert "Recognition" in labels and "Ideas" in labels and "Programmes" not in labels
    assert queries == 1


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
    participant sections read nothing more (session, user, grants, person, facts with the
    authenticator, the coordinated programmes and their organisations)."""
    client.force_login(coordinator)
    client.get("/")
    with django_assert_max_num_queries(7):
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


def test_the_grants_read_with_the_facts_are_the_user_s_own_and_a_change_is_seen(
    programme_a: Any, coordinator: Any, leader: Any
) -> None:
    """The role grants come back with the facts (one row per grant); after a change in the
    same request, forgetting them reads them afresh."""
    from upward.accounts import permissions
    from upward.accounts.models import RoleGrant

    fresh = get_user_model().objects.get(pk=coordinator.pk)
    with CaptureQueriesContext(connection) as ctx:
        roles = permissions.roles_of(fresh)
        facts = navigation.facts_of(fresh)
        assert permissions.is_privileged(fresh)
    assert len(ctx.captured_queries) == 1
    own = RoleGrant.objects.filter(user=coordinator).order_by("pk")
    assert roles == {g.role for g in own} and roles
    assert [(g.pk, g.role, g.programme_id) for g in fresh._upward_grants] == [
        (g.pk, g.role, g.programme_id) for g in own
    ]
    assert not facts["in_pair"]
    other = get_user_model().objects.get(pk=leader.pk)
    assert permissions.roles_of(other) == {g.role for g in RoleGrant.objects.filter(user=leader)}
    RoleGrant.objects.filter(user=coordinator).delete()
    assert permissions.is_privileged(fresh)  # the request's copy, until forgotten
    permissions.forget_cached_grants(fresh)
    with CaptureQueriesContext(connection) as ctx:
        assert not permissions.is_privileged(fresh)
    assert len(ctx.captured_queries) == 1


def test_a_token_s_narrower_grants_are_not_widened_by_the_facts(
    org_a: Any, coordinator: Any
) -> None:
    """An API token's acting user carries only the grants the token allows (integrations
    .tokens); reading the facts later leaves them as they are."""
    from upward.accounts import permissions

    fresh = get_user_model().objects.get(pk=coordinator.pk)
    fresh._upward_grants = []
    navigation.facts_of(fresh)
    assert fresh._upward_grants == [] and not permissions.roles_of(fresh)


def test_the_menu_s_addresses_follow_the_script_prefix(coordinator: Any) -> None:
    """The menu's addresses are worked out once per prefix, not once for all."""
    from django.test import RequestFactory
    from django.urls import get_script_prefix, reverse, set_script_prefix

    from upward.core.context_processors import navigation as menu

    request = RequestFactory().get("/programmes/")
    request.user = get_user_model().objects.get(pk=coordinator.pk)
    plain = {i["label"]: i for i in menu(request)["nav_items"]}
    assert plain["Programmes"]["url"] == reverse("programmes:index")
    assert plain["Programmes"]["active"]
    before = get_script_prefix()
    set_script_prefix("/upward/")
    try:
        request.user = get_user_model().objects.get(pk=coordinator.pk)
        prefixed = {i["label"]: i["url"] for i in menu(request)["nav_items"]}
    finally:
        set_script_prefix(before)
    assert prefixed["Programmes"] == "/upward" + plain["Programmes"]["url"]
