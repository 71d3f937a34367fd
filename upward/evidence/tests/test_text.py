"""Free text: sentiment, themes, the safeguarding word list, and alerts routed to the wellbeing
lead without the writer; sentiment and themes shown only where comments are released."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from upward.evidence import selectors, services, text
from upward.evidence.models import SafeguardingAlert

from .conftest import close, open_campaign


def test_sentiment_uses_vader_compound_scores() -> None:
    assert text.sentiment("The programme was great and helpful") == pytest.approx(0.7845)
    assert text.sentiment("I felt ignored and unsafe") == pytest.approx(-0.3182)
    summary = text.sentiment_summary(
        ["The programme was great and helpful", "I felt ignored and unsafe", "We met on Tuesday"]
    )
    assert (summary.comments, summary.positive, summary.neutral, summary.negative) == (3, 1, 1, 1)
    assert summary.mean == pytest.approx((0.7845 - 0.3182 + 0.0) / 3, abs=1e-4)


def test_themes_are_phrases_shared_by_at_least_two_comments() -> None:
    comments = [
        "The meetings were really helpful and honest",
        "Helpful meetings, more time please",
        "More time for meetings would help",
        "My own unique remark",
        "Honest conversations were great",
    ]
    assert text.themes(comments) == [
        ("meetings", 3),
        ("honest", 2),
        ("time", 2),
        ("helpful", 2),
    ]
    assert text.themes(["only one"]) == []
    assert text.themes(["the and of", "a the is"]) == []


def test_safeguarding_terms_match_whole_words_in_any_case() -> None:
    assert text.worrying_terms(["I was BULLIED", "it felt unsafe; racist jokes"]) == [
        "bullied",
        "racist",
        "unsafe",
    ]
    assert text.worrying_terms(["The bullying policy is clear"]) == ["bullying"]
    assert text.worrying_terms(["a bullyish mood", "safe and sound"]) == []


@pytest.mark.django_db
def test_a_worrying_comment_alerts_the_wellbeing_lead_without_the_writer(
    programme_a: Any,
    people: Any,
    wellbeing_lead: Any,
    coordinator: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    campaign = open_campaign(programme_a, instrument="relationship_quality")
    writer = people.leaders[0]
    answers = {"rq1": 2, "rq2": 2, "rq3": 2, "rq4": 4, "rq5": 2}
    with django_capture_on_commit_callbacks(execute=True):
        services.response_submit(
            campaign=campaign,
            by=writer,
            answers={**answers, "rq_comment": "My partner harassed me after a meeting"},
        )
    services.response_submit(
        campaign=campaign, by=people.leaders[1], answers={**answers, "rq_comment": "Going well"}
    )
    alert = SafeguardingAlert.objects.get()
    assert alert.terms == ["harassed"]
    assert alert.comment["comment"] == "My partner harassed me after a meeting"
    assert {f.name for f in SafeguardingAlert._meta.get_fields()} == {
        "id",
        "campaign",
        "comment",
        "terms",
        "received_on",
    }
    [email] = mail.outbox
    assert email.to == [wellbeing_lead.email]
    assert "harassed" not in email.body and writer.email not in email.body
    lead = Client()
    lead.force_login(wellbeing_lead)
    page = lead.get(reverse("evidence:alerts", args=[programme_a.slug])).content.decode()
    assert "My partner harassed me after a meeting" in page
    assert writer.email not in page and writer.person.name not in page
    other = Client()
    other.force_login(coordinator)
    assert other.get(reverse("evidence:alerts", args=[programme_a.slug])).status_code == 404


@pytest.mark.django_db
def test_sentiment_and_themes_only_where_comments_are_released(
    programme_a: Any, people: Any, coordinator: Any
) -> None:
    campaign = open_campaign(programme_a, instrument="relationship_quality")
    answers = {"rq1": 4, "rq2": 4, "rq3": 4, "rq4": 2, "rq5": 4}
    everyone = people.leaders + people.spring_mentors + people.autumn_mentors
    for i, u in enumerate(everyone[:9]):
        comment = "Helpful honest meetings" if i % 2 else "Great honest conversations"
        services.response_submit(
            campaign=campaign, by=u, answers={**answers, "rq_comment": comment}
        )
    close(campaign)
    r = selectors.results(coordinator, campaign.pk)
    # 9 people: under the 10 comments need, so no comments, no tone, no themes.
    assert r.summaries == {}
    [hidden] = r.comments.values()
    assert not isinstance(hidden, list)
    campaign2 = open_campaign(programme_a, instrument="relationship_quality", title="Second")
    for i, u in enumerate(everyone[:12]):
        comment = "Helpful honest meetings" if i % 2 else "Great honest conversations"
        services.response_submit(
            campaign=campaign2, by=u, answers={**answers, "rq_comment": comment}
        )
    close(campaign2)
    r = selectors.results(coordinator, campaign2.pk)
    [(tone, themes)] = r.summaries.values()
    assert (tone.comments, tone.positive, tone.negative) == (12, 12, 0)
    assert themes[0] == ("honest", 12)
    body = Client()
    body.force_login(coordinator)
    data = body.get(f"/api/v1/campaigns/{campaign2.pk}/results").json()
    [c] = data["comments"]
    assert c["positive"] == 12 and c["themes"][0] == {"phrase": "honest", "comments": 12}
