"""Each person's choice per category is respected: an email at once, a place in the daily
digest, or nothing; the must-send emails go whatever the choice."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import override_settings

from upward.notifications import catalogue, services
from upward.notifications.models import Notice
from upward.notifications.selectors import choices_of

from .samples import SAMPLES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site")]
SITE = "https://upward.example"
CHOOSABLE = [k for k in catalogue.CATEGORIES if catalogue.choosable(k)]


@pytest.fixture
def site() -> Any:
    with override_settings(UPWARD_SITE_URL=SITE):
        yield


def _first_event(category: str) -> str:
    return next(e.key for e in catalogue.events_of(category) if not e.must_send)


def _notify(user: Any, event: str) -> str:
    context, _ = SAMPLES[event]
    return services.notify(to=user, event=event, subject=f"About {event}", context=context)


@pytest.mark.parametrize("category", CHOOSABLE)
def test_each_category_each_digest_none(category: str, leader: Any) -> None:
    event = _first_event(category)
    _, key_words = SAMPLES[event]

    services.preferences_set(user=leader, choices={category: "each"})
    assert _notify(leader, event) == "sent"
    (email,) = mail.outbox
    assert email.to == [leader.email] and key_words in email.body
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html" and "<!DOCTYPE html>" in html
    assert email.extra_headers["List-Unsubscribe"].startswith(f"<{SITE}/notifications/unsub")
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"{SITE}/notifications/" in email.body  # where to change the choice

    mail.outbox.clear()
    services.preferences_set(user=leader, choices={category: "digest"})
    assert _notify(leader, event) == "queued"
    assert mail.outbox == []
    queued = Notice.objects.get(user=leader, digest=True, sent_at__isnull=True)
    assert queued.event == event and key_words in queued.body

    services.preferences_set(user=leader, choices={category: "none"})
    assert _notify(leader, event) == "off"
    assert mail.outbox == [] and Notice.objects.filter(user=leader).count() == 1


def test_a_choice_for_one_category_leaves_the_others(leader: Any) -> None:
    services.preferences_set(user=leader, choices={"reminders": "none"})
    assert _notify(leader, "nudge") == "off"
    assert _notify(leader, "survey_reminder") == "sent"
    assert _notify(leader, "proposal") == "sent"
    assert [m.subject for m in mail.outbox] == ["About survey_reminder", "About proposal"]


def test_the_defaults(leader: Any) -> None:
    chosen = choices_of(leader)
    assert chosen["cohort_posts"] == "digest"
    assert {v for k, v in chosen.items() if k != "cohort_posts"} == {"each"}


@pytest.mark.parametrize("event", [k for k, e in catalogue.EVENTS.items() if e.must_send])
def test_must_send_goes_whatever_the_choice(event: str, leader: Any) -> None:
    services.preferences_set(user=leader, choices=dict.fromkeys(CHOOSABLE, "none"))
    assert _notify(leader, event) == "sent"
    (email,) = mail.outbox
    # No unsubscribe link: there is nothing to unsubscribe from.
    assert "List-Unsubscribe" not in email.extra_headers
    assert "/notifications/unsubscribe/" not in email.body
    assert not Notice.objects.exists()


def test_must_send_categories_cannot_be_turned_off(leader: Any) -> None:
    for category in ("account", "concerns"):
        with pytest.raises(services.NotificationRuleBroken, match="always sent"):
            services.preferences_set(user=leader, choices={category: "none"})
    with pytest.raises(services.NotificationRuleBroken, match="daily digest"):
        services.preferences_set(user=leader, choices={"reminders": "weekly"})
    with pytest.raises(services.NotificationRuleBroken, match="no kind of email"):
        services.preferences_set(user=leader, choices={"reminders": "none", "spam": "none"})
    # Nothing changed, not even the valid part of a refused change.
    assert choices_of(leader)["reminders"] == "each"


def test_an_address_without_an_account_gets_the_email_without_a_link() -> None:
    context, key_words = SAMPLES["invitation"]
    outcome = services.notify(
        to="new.person@upward.test", event="invitation", subject="Invited", context=context
    )
    assert outcome == "sent"
    (email,) = mail.outbox
    assert key_words in email.body and "List-Unsubscribe" not in email.extra_headers


def test_an_address_of_an_account_follows_its_choice(leader: Any) -> None:
    services.preferences_set(user=leader, choices={"invitations": "none"})
    context, _ = SAMPLES["invitation"]
    upper = leader.email.upper()
    assert services.notify(to=upper, event="invitation", subject="S", context=context) == "off"
    assert mail.outbox == []


def test_no_address_sends_nothing(leader: Any) -> None:
    leader.email = ""
    leader.save(update_fields=["email"])
    leader.person.email = ""
    leader.person.save(update_fields=["email"])
    assert _notify(leader, "nudge") == "no address" and mail.outbox == []


def test_an_unknown_event_is_a_programming_error(leader: Any) -> None:
    with pytest.raises(ValueError, match="No such email"):
        services.notify(to=leader, event="newsletter", subject="S", context={})
