"""Campaigns: who is asked, one response each, answers stored without the person, reminders,
and results through the anonymity engine at each role's level, with nothing leaking."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from upward.evidence import selectors, services
from upward.evidence.errors import AnswersInvalid, EvidenceRuleBroken
from upward.evidence.models import Campaign, Participation, Response

from .conftest import close, open_campaign, ps_answers

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_audience_follows_side_cohort_and_organisation(programme_a: Any, people: Any) -> None:
    everyone = open_campaign(programme_a)
    assert len(selectors.audience_of(everyone)) == 18
    mentors = open_campaign(programme_a, side="mentor")
    assert set(selectors.audience_of(mentors)) == {
        u.pk for u in people.spring_mentors + people.autumn_mentors
    }
    autumn = open_campaign(programme_a, cohort=people.autumn)
    assert selectors.audience_of(autumn)[people.autumn_mentors[0].pk] == {
        "side": "mentor",
        "organisation": "Northwind Group",
        "cohort": "Autumn",
    }
    assert len(selectors.audience_of(autumn)) == 6


def test_a_response_is_stored_without_the_person_and_only_once(
    programme_a: Any, people: Any
) -> None:
    campaign = open_campaign(programme_a)
    user = people.leaders[0]
    services.response_submit(campaign=campaign, by=user, answers=ps_answers(6))
    response = Response.objects.get(campaign=campaign)
    assert response.score == 6.0
    assert (response.side, response.organisation, response.cohort) == (
        "leader",
        "Northwind Group",
        "Spring",
    )
    # Nothing on the response points at the person; only Participation says who answered.
    names = {f.name for f in Response._meta.get_fields()}
    assert names == {
        "id",
        "campaign",
        "side",
        "organisation",
        "cohort",
        "answers",
        "score",
        "pair_token",
    }
    assert response.pair_token == ""  # only before and after surveys are paired
    assert list(Participation.objects.values_list("user_id", flat=True)) == [user.pk]
    with pytest.raises(EvidenceRuleBroken, match="already answered"):
        services.response_submit(campaign=campaign, by=user, answers=ps_answers(2))
    assert Response.objects.count() == 1 and Participation.objects.count() == 1


def test_bad_answers_and_outsiders_change_nothing(
    programme_a: Any, people: Any, outsider: Any
) -> None:
    campaign = open_campaign(programme_a)
    with pytest.raises(AnswersInvalid) as e:
        services.response_submit(campaign=campaign, by=people.leaders[0], answers={"ps1": 9})
    assert e.value.errors["ps1"] == "Choose a point from 1 to 7."
    assert e.value.errors["ps2"] == "Please answer this question."
    with pytest.raises(EvidenceRuleBroken, match="not for you"):
        services.response_submit(campaign=campaign, by=outsider, answers=ps_answers(5))
    close(campaign)
    with pytest.raises(EvidenceRuleBroken, match="not open"):
        services.response_submit(campaign=campaign, by=people.leaders[0], answers=ps_answers(5))
    assert Response.objects.count() == 0 and Participation.objects.count() == 0


def test_campaign_create_checks_its_input(programme_a: Any, coordinator: Any, leader: Any) -> None:
    today = dt.date(2030, 1, 1)
    ok = {
        "programme": programme_a,
        "title": "Baseline",
        "instrument": "readiness_baseline",
        "stage": "baseline",
        "opens_on": today,
        "closes_on": today + dt.timedelta(days=14),
    }
    c = services.campaign_create(by=coordinator, audience="wider", **ok)
    assert (c.audience, c.instrument, c.version) == ("wider", "readiness_baseline", 1)
    bad = [
        ({"by": leader}, "Only the programme's coordinators"),
        ({"by": coordinator, "instrument": "nope"}, "No instrument"),
        ({"by": coordinator, "closes_on": today - dt.timedelta(days=1)}, "close on or after"),
        ({"by": coordinator, "closes_on": today + dt.timedelta(days=200)}, "at most 120"),
        ({"by": coordinator, "title": "  "}, "title"),
        (
            {"by": coordinator, "instrument": "inclusive_leadership", "side": "mentor"},
            "not meant for mentors",
        ),
    ]
    for change, message in bad:
        with pytest.raises(EvidenceRuleBroken, match=message):
            services.campaign_create(**{**ok, **change})
    assert Campaign.objects.count() == 1


def test_reminders_go_to_those_who_have_not_answered_once_per_period(
    programme_a: Any, people: Any
) -> None:
    campaign = open_campaign(programme_a, side="mentor")
    services.response_submit(campaign=campaign, by=people.autumn_mentors[0], answers=ps_answers(4))
    today = timezone.localdate()
    assert services.campaign_reminders_send(campaign=campaign, today=today) == 8
    assert len(mail.outbox) == 8
    assert people.autumn_mentors[0].email not in {m.to[0] for m in mail.outbox}
    assert services.campaign_reminders_send(campaign=campaign, today=today) == 0
    later = today + dt.timedelta(days=3)
    assert services.campaign_reminders_send(campaign=campaign, today=later) == 0  # closes in 5


def _answer_all(campaign: Campaign, people: Any) -> None:
    for u in people.leaders:
        services.response_submit(campaign=campaign, by=u, answers=ps_answers(6))
    for u in people.spring_mentors:
        services.response_submit(campaign=campaign, by=u, answers=ps_answers(1))
    for u in people.autumn_mentors:
        services.response_submit(campaign=campaign, by=u, answers=ps_answers(3))


def _shown(rows: list[dict[str, Any]]) -> dict[str, tuple[int, float]]:
    return {
        " & ".join(f"{f['dimension']}={f['value']}" for f in r["segment"]) or "all": (
            r["respondents"],
            r["mean"],
        )
        for r in rows
        if r["shown"]
    }


def test_results_by_role_through_the_engine(
    programme_a: Any, people: Any, coordinator: Any, sponsor: Any, org_admin: Any, org_admin_b: Any
) -> None:
    campaign = open_campaign(programme_a)
    _answer_all(campaign, people)
    url = f"/api/v1/campaigns/{campaign.pk}/results"
    # While open: no figures at all.
    body = client_for(coordinator).get(url).json()
    assert (body["closed"], body["rows"], body["responded"], body["invited"]) == (
        False,
        [],
        18,
        18,
    )
    close(campaign)
    body = client_for(coordinator).get(url).json()
    shown = _shown(body["rows"])
    # 18 people: 9 leaders at 6, 3 spring mentors at 1, 6 autumn mentors at 3.
    assert shown["all"] == (18, round((54 + 3 + 18) / 18, 4))
    assert shown["side=leader"] == (9, 6.0)
    assert shown["side=mentor"] == (9, round(21 / 9, 4))
    # The 3 spring mentors are never shown, nor anything that would give them away by subtraction:
    # cohort=Spring (12) minus side=leader (9) would, so one of the two stays hidden.
    assert "cohort=Spring & side=mentor" not in shown
    assert not ("cohort=Spring" in shown and "side=leader" in shown and "cohort=Autumn" in shown)
    for respondents, _ in shown.values():
        assert respondents >= 5
    sponsor_body = client_for(sponsor).get(url).json()
    assert sponsor_body["level"] == "programme"
    assert _shown(sponsor_body["rows"]) == {"all": shown["all"]}
    admin_body = client_for(org_admin).get(url).json()
    assert admin_body["level"] == "organisation"
    assert all(
        any(f == {"dimension": "organisation", "value": "Northwind Group"} for f in r["segment"])
        for r in admin_body["rows"]
    )
    assert client_for(org_admin_b).get(url).status_code == 404
    assert client_for(people.leaders[0]).get(url).status_code == 404
    # No answer of any one person appears in any answer.
    assert "ps1" not in json.dumps(body)


def test_results_page_shows_hidden_groups_and_no_small_group(
    programme_a: Any, people: Any, coordinator: Any
) -> None:
    campaign = open_campaign(programme_a, instrument="relationship_quality")
    for i, u in enumerate(people.leaders + people.spring_mentors + people.autumn_mentors):
        answers = {"rq1": 5, "rq2": 4, "rq3": 3, "rq4": 2, "rq5": 5, "rq_comment": f"note {i}"}
        services.response_submit(campaign=campaign, by=u, answers=answers)
    close(campaign)
    page = client_for(coordinator).get(reverse("evidence:results", args=[campaign.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Hidden: too few respondents" in html
    assert "4.20" in html  # (5+4+3+4+5)/5 for everyone
    # 18 comments for the whole campaign (>= 10), shuffled, every one there once.
    assert sum(html.count(f"<li>note {i}</li>") for i in range(18)) == 18
    assert 'style="' not in html


def test_respond_page_and_api(programme_a: Any, people: Any, outsider: Any) -> None:
    campaign = open_campaign(programme_a, instrument="relationship_quality")
    leader = client_for(people.leaders[0])
    page = leader.get(reverse("evidence:respond", args=[campaign.pk]))
    assert page.status_code == 200 and "My mentoring partner and I trust each other." in (
        page.content.decode()
    )
    bad = leader.post(reverse("evidence:respond", args=[campaign.pk]), {"rq1": "5"})
    assert bad.status_code == 400 and "Please answer this question." in bad.content.decode()
    good = leader.post(
        reverse("evidence:respond", args=[campaign.pk]),
        {"rq1": "5", "rq2": "4", "rq3": "3", "rq4": "2", "rq5": "5"},
    )
    assert good.status_code == 302 and Response.objects.get().score == 4.2
    api = client_for(people.leaders[1])
    url = f"/api/v1/surveys/{campaign.pk}/responses"
    r = api.post(url, {"answers": {"rq1": 9}}, content_type="application/json")
    assert r.status_code == 422 and r.json()["errors"]["rq1"] == "Choose a point from 1 to 5."
    r = api.post(
        url,
        {"answers": {"rq1": 1, "rq2": 1, "rq3": 1, "rq4": 5, "rq5": 1}},
        content_type="application/json",
    )
    assert r.status_code == 201
    r = api.post(
        url,
        {"answers": {"rq1": 1, "rq2": 1, "rq3": 1, "rq4": 5, "rq5": 1}},
        content_type="application/json",
    )
    assert r.status_code == 400 and "already answered" in r.json()["detail"]
    assert sorted(Response.objects.values_list("score", flat=True)) == [1.0, 4.2]
    assert (
        client_for(outsider).post(url, {"answers": {}}, content_type="application/json").status_code
        == 404
    )
    listed = client_for(people.leaders[2]).get("/api/v1/surveys").json()
    assert [s["id"] for s in listed] == [campaign.pk]
    assert client_for(people.leaders[0]).get("/api/v1/surveys").json() == []


def test_coordinator_sends_reminders_from_the_page(
    programme_a: Any, people: Any, coordinator: Any, coordinator_b: Any
) -> None:
    campaign = open_campaign(programme_a, side="mentor")
    url = reverse("evidence:reminders", args=[programme_a.slug, campaign.pk])
    c = client_for(coordinator)
    page = c.post(url, follow=True)
    assert "Reminders sent to 9 people" in page.content.decode()
    page = c.post(url, follow=True)
    assert "No reminders sent" in page.content.decode()
    assert len(mail.outbox) == 9
    assert client_for(coordinator_b).post(url).status_code == 404
    assert c.get(url).status_code == 405
    close(campaign)
    page = c.post(url, follow=True)
    assert "only while a survey is open" in page.content.decode()
    assert len(mail.outbox) == 9
