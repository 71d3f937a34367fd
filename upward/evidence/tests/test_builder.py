"""The instrument builder: a programme's own instruments (Likert with reverse items, number,
choice, free text) built on a page or through the API, scored like the library's, usable in the
programme's campaigns only; bad definitions refused plainly with nothing stored."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from upward.evidence import catalogue, instruments, selectors, services
from upward.evidence.errors import EvidenceRuleBroken
from upward.evidence.models import CustomInstrument, Response

from .conftest import close, open_campaign

pytestmark = pytest.mark.django_db

AGREE = ["Disagree", "Unsure", "Agree", "Strongly agree"]
ITEMS = [
    {"key": "c1", "text": "I feel heard.", "kind": "likert", "labels": AGREE},
    {"key": "c2", "text": "I keep quiet.", "kind": "likert", "labels": AGREE, "reverse": True},
    {"key": "c3", "text": "I trust my team.", "kind": "likert", "labels": AGREE},
    {"key": "hours", "text": "Hours a month?", "kind": "number", "minimum": 0, "maximum": 20},
    {"key": "team", "text": "Your team?", "kind": "choice", "choices": ["Ops", "Sales"]},
    {"key": "more", "text": "Anything else?", "kind": "text"},
]


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def build(
    programme: Any, by: Any, items: list[dict[str, Any]] = ITEMS, key: str = "climate"
) -> Any:
    return catalogue.custom_instrument_create(
        programme=programme, by=by, key=key, title="Team climate", purpose="", items=items
    )


def test_scoring_is_the_mean_of_likert_items_with_reverse_ones_turned(
    programme_a: Any, coordinator: Any
) -> None:
    build(programme_a, coordinator)
    d = catalogue.definition_of("climate")
    answers = {"c1": 4, "c2": 1, "c3": 2, "hours": 3, "team": "Ops", "more": ""}
    # c2 answered 1 of 4 counts as 4: (4 + 4 + 2) / 3
    assert instruments.score(d, instruments.check_answers(d, answers)) == pytest.approx(10 / 3)
    assert instruments.score(d, {"c1": 1, "c2": 4, "c3": 1}) == 1.0
    assert d.scale == (1, 4) and [i.key for i in d.text_items] == ["more"]


def test_bad_definitions_are_refused_plainly_and_store_nothing(
    programme_a: Any, coordinator: Any, sponsor: Any
) -> None:
    likert_without_labels = [{"key": "a", "text": "Q", "kind": "likert", "labels": []}]
    duplicate = [ITEMS[0], {**ITEMS[2], "key": "c1"}]
    cases = [
        ([], "at least one item"),
        (likert_without_labels, "Likert scale without labels"),
        (duplicate, "share the key 'c1'"),
        ([{"key": "a", "text": "Q", "kind": "choice", "choices": ["One"]}], "two different"),
        ([{"key": "a", "text": "Q", "kind": "number", "minimum": 5, "maximum": 1}], "minimum"),
        ([{"key": "a", "text": "Q", "kind": "text", "reverse": True}], "reverse-scored"),
        ([{"key": "a", "text": "Q", "kind": "slider"}], "kind is likert"),
        ([{"key": "a b", "text": "Q", "kind": "text"}], "letters, digits"),
    ]
    for items, message in cases:
        with pytest.raises(EvidenceRuleBroken, match=message):
            build(programme_a, coordinator, items)
    with pytest.raises(EvidenceRuleBroken, match="library instrument"):
        build(programme_a, coordinator, key="psychological_safety")
    with pytest.raises(EvidenceRuleBroken, match="Only the programme's coordinators"):
        build(programme_a, sponsor)
    assert CustomInstrument.objects.count() == 0
    build(programme_a, coordinator)
    with pytest.raises(EvidenceRuleBroken, match="exists already"):
        build(programme_a, coordinator)
    assert CustomInstrument.objects.count() == 1


def test_a_campaign_uses_it_like_a_library_instrument(
    programme_a: Any, programme_b: Any, people: Any, coordinator: Any, coordinator_b: Any
) -> None:
    build(programme_a, coordinator)
    day = dt.date(2030, 1, 1)
    common = {"title": "Climate", "stage": "pulse", "opens_on": day, "closes_on": day}
    with pytest.raises(EvidenceRuleBroken, match="No instrument called 'climate' in this"):
        services.campaign_create(
            programme=programme_b, by=coordinator_b, instrument="climate", **common
        )
    campaign = open_campaign(programme_a, instrument="climate", title="Climate")
    for u in people.leaders[:6]:
        services.response_submit(
            campaign=campaign,
            by=u,
            answers={"c1": "4", "c2": "1", "c3": "4", "hours": "2", "team": "Ops"},
        )
    assert {r.score for r in Response.objects.all()} == {4.0}
    close(campaign)
    r = selectors.results(coordinator, campaign.pk)
    [everyone] = [row for row in r.rows if row.segment == ()]
    assert (everyone.result.respondents, everyone.result.mean) == (6, 4.0)  # type: ignore[union-attr]


def test_the_builder_page(programme_a: Any, coordinator: Any) -> None:
    c = client_for(coordinator)
    url = reverse("evidence:instruments", args=[programme_a.slug])
    assert c.get(url).status_code == 200
    form = {
        "key": "pulse_check",
        "title": "Pulse check",
        "purpose": "",
        "items-TOTAL_FORMS": "3",
        "items-INITIAL_FORMS": "0",
        "items-0-key": "p1",
        "items-0-text": "I enjoy my work.",
        "items-0-kind": "likert",
        "items-0-options": "",
        "items-1-key": "p2",
        "items-1-text": "I dread Mondays.",
        "items-1-kind": "likert",
        "items-1-reverse": "on",
        "items-1-options": "No; Sometimes; Yes",
        "items-2-kind": "likert",
    }
    refused = c.post(url, form)
    assert refused.status_code == 400
    assert "Item p1 is a Likert scale without labels" in refused.content.decode()
    assert CustomInstrument.objects.count() == 0
    form["items-0-options"] = "No; Sometimes; Yes"
    assert c.post(url, form).status_code == 302
    d = catalogue.definition_of("pulse_check")
    assert [(i.key, i.reverse, i.labels) for i in d.items] == [
        ("p1", False, ("No", "Sometimes", "Yes")),
        ("p2", True, ("No", "Sometimes", "Yes")),
    ]
    page = c.get(url).content.decode()
    assert "Pulse check" in page and "reverse-scored" in page
    campaigns = c.get(reverse("evidence:campaigns", args=[programme_a.slug])).content.decode()
    assert '<option value="pulse_check">Pulse check</option>' in campaigns


def test_the_api(programme_a: Any, coordinator: Any, leader: Any) -> None:
    c = client_for(coordinator)
    url = f"/api/v1/programmes/{programme_a.slug}/instruments"
    body = {"key": "climate", "title": "Team climate", "items": ITEMS}
    made = c.post(url, json.dumps(body), content_type="application/json")
    assert made.status_code == 201
    assert [i["reverse"] for i in made.json()["items"]][:3] == [False, True, False]
    assert "climate" in [i["key"] for i in c.get(url).json()]
    dup = c.post(
        url,
        json.dumps({**body, "key": "x", "items": [ITEMS[0], ITEMS[0]]}),
        content_type="application/json",
    )
    assert dup.status_code == 400 and "share the key" in dup.json()["detail"]
    assert client_for(leader).get(url).status_code == 404
    assert CustomInstrument.objects.count() == 1
