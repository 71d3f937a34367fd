"""Stories: published only while both consent to the exact text; an edit or a withdrawal
unpublishes at once; an anonymised story may not name the two people or their department."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from upward.core.versioning import VersionConflict
from upward.recognition import selectors, services
from upward.recognition.errors import RecognitionRuleBroken

TEXT = "We started with hiring, and ended with a new way of running team meetings."


@pytest.fixture
def story(pair: Any, mentor: Any) -> Any:
    return services.story_draft(
        pair=pair, by=mentor, title="Listening first", body=TEXT, anonymised=False
    )


def test_published_only_when_both_consent_to_the_same_text(
    pair: Any, story: Any, leader: Any, mentor: Any
) -> None:
    services.story_consent(story=story, by=mentor, version=story.version)
    assert not story.published and selectors.published_stories(pair.programme) == []
    services.story_consent(story=story, by=leader, version=story.version)
    assert selectors.published_stories(pair.programme) == [f"Listening first\n\n{TEXT}"]


def test_an_edit_clears_both_consents(pair: Any, story: Any, leader: Any, mentor: Any) -> None:
    services.story_consent(story=story, by=mentor, version=story.version)
    services.story_consent(story=story, by=leader, version=story.version)
    services.story_edit(
        story=story,
        by=leader,
        version=story.version,
        title="Listening first",
        body=TEXT + " Mostly.",
        anonymised=False,
    )
    story.refresh_from_db()
    assert not story.consent_of("leader") and not story.consent_of("mentor")
    assert selectors.published_stories(pair.programme) == []


def test_a_consent_given_to_an_older_text_does_not_count(
    pair: Any, story: Any, leader: Any, mentor: Any
) -> None:
    read_version = story.version
    services.story_consent(story=story, by=mentor, version=story.version)
    # The leader read the text before the mentor's consent bumped the version: refused.
    with pytest.raises(VersionConflict):
        services.story_consent(story=story, by=leader, version=read_version)
    # A consent hash that no longer matches the text is not a consent.
    type(story).objects.filter(pk=story.pk).update(leader_consent_hash="0" * 64)
    story.refresh_from_db()
    assert not story.published


def test_withdrawing_unpublishes_at_once(pair: Any, story: Any, leader: Any, mentor: Any) -> None:
    services.story_consent(story=story, by=mentor, version=story.version)
    services.story_consent(story=story, by=leader, version=story.version)
    services.story_withdraw(story=story, by=mentor)
    assert selectors.published_stories(pair.programme) == []


def test_an_anonymised_story_may_not_name_them(pair: Any, leader: Any, mentor: Any) -> None:
    first = str(leader.person.name).split()[0]
    story = services.story_draft(
        pair=pair, by=leader, title="A year", body=f"{first} learnt a lot.", anonymised=True
    )
    with pytest.raises(RecognitionRuleBroken, match=first):
        services.story_consent(story=story, by=leader, version=story.version)
    story.refresh_from_db()
    assert not story.consent_of("leader")


def test_only_the_pair_writes_and_bad_input_changes_nothing(
    pair: Any, story: Any, coordinator: Any, sponsor: Any, mentor: Any
) -> None:
    for who in (coordinator, sponsor):
        with pytest.raises(RecognitionRuleBroken):
            services.story_draft(pair=pair, by=who, title="T", body="B", anonymised=False)
    for title, body in (("", "B"), ("T", ""), ("T" * 201, "B"), ("T", "B" * 10_001)):
        with pytest.raises(RecognitionRuleBroken):
            services.story_draft(pair=pair, by=mentor, title=title, body=body, anonymised=False)
    assert type(story).objects.count() == 1


def test_pages_and_api_follow_the_same_rules(
    client: Client, pair: Any, story: Any, leader: Any, mentor: Any, outsider: Any, sponsor: Any
) -> None:
    client.force_login(outsider)
    assert client.get(f"/stories/{story.pk}/").status_code == 404
    assert client.post(f"/api/v1/stories/{story.pk}/withdraw").status_code == 404
    client.force_login(mentor)
    assert (
        client.post(f"/stories/{story.pk}/consent/", {"version": story.version}).status_code == 302
    )
    client.force_login(leader)
    r = client.post(
        f"/api/v1/stories/{story.pk}/consent",
        {"version": story.version + 1},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["published"] is True
    client.force_login(sponsor)
    assert (
        "Listening first"
        in client.get(f"/programmes/{pair.programme.slug}/stories/").content.decode()
    )
    assert (
        client.get(f"/api/v1/programmes/{pair.programme.slug}/stories").json()[0]["title"]
        == "Listening first"
    )
    client.force_login(leader)
    r = client.post(f"/api/v1/stories/{story.pk}/withdraw")
    assert r.json()["published"] is False
    client.force_login(sponsor)
    assert client.get(f"/api/v1/programmes/{pair.programme.slug}/stories").json() == []


def test_my_programmes_leads_to_the_programmes_stories_once_it_runs(
    client: Client, pair: Any, leader: Any
) -> None:
    programme = pair.programme
    link = f"/programmes/{programme.slug}/stories/"
    client.force_login(leader)
    programme.phase = "matching"
    programme.save(update_fields=["phase"])
    assert link not in client.get("/programmes/mine/").content.decode()
    programme.phase = "running"
    programme.save(update_fields=["phase"])
    assert link in client.get("/programmes/mine/").content.decode()
