"""The unsubscribe link in an email stops its category at once, with no sign-in, by the page or
by the mail program's one-click POST (RFC 8058); a forged, altered or expired link changes
nothing and says so."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.core import mail, signing
from django.test import Client, override_settings
from freezegun import freeze_time

from upward.notifications import services
from upward.notifications.selectors import choices_of
from upward.notifications.tokens import unsubscribe_token

from .samples import SAMPLES

pytestmark = pytest.mark.django_db
SITE = "https://upward.example"


def _nudge(user: Any) -> str:
    context, _ = SAMPLES["nudge"]
    return services.notify(to=user, event="nudge", subject="Nudge", context=context)


def _link_of(email: Any) -> str:
    header = email.extra_headers["List-Unsubscribe"]
    url = header.strip("<>")
    assert url in email.body  # the same link is in the words
    return url.removeprefix(SITE)


@override_settings(UPWARD_SITE_URL=SITE)
def test_the_link_asks_then_stops_at_once_without_signing_in(leader: Any) -> None:
    _nudge(leader)
    path = _link_of(mail.outbox[0])
    anonymous = Client(enforce_csrf_checks=True)
    page = anonymous.get(path)
    assert page.status_code == 200
    assert 'emails about "Reminders and nudges"' in unescape(page.content.decode())
    assert choices_of(leader)["reminders"] == "each"  # opening the page changes nothing

    done = anonymous.post(path)
    assert done.status_code == 200 and "no longer get" in done.content.decode()
    assert choices_of(leader)["reminders"] == "none"
    mail.outbox.clear()
    assert _nudge(leader) == "off" and mail.outbox == []
    # The other categories are untouched.
    assert choices_of(leader)["matching"] == "each"


@override_settings(UPWARD_SITE_URL=SITE)
def test_the_one_click_post_of_a_mail_program(leader: Any) -> None:
    _nudge(leader)
    path = _link_of(mail.outbox[0])
    response = Client(enforce_csrf_checks=True).post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert choices_of(leader)["reminders"] == "none"


def _forgeries(leader: Any, mentor: Any) -> list[str]:
    real = unsubscribe_token(user_id=leader.pk, category="reminders")
    value, stamp, signature = real.split(":")
    other = unsubscribe_token(user_id=mentor.pk, category="reminders")
    return [
        "not-a-token",
        value + ":" + stamp + ":" + signature[:-2] + ("AA" if signature[-2:] != "AA" else "BB"),
        # Someone else's payload with this signature.
        other.split(":")[0] + ":" + stamp + ":" + signature,
        # A signature from another purpose of the same secret key.
        signing.dumps([leader.pk, "reminders"]),
        "x" * 400,
    ]


def test_a_forged_or_altered_link_changes_nothing(leader: Any, mentor: Any) -> None:
    for token in _forgeries(leader, mentor):
        for method in ("get", "post"):
            response = getattr(Client(), method)(f"/notifications/unsubscribe/{token}/")
            assert response.status_code in (400, 404), token
            if response.status_code == 400:
                assert "This link is not valid" in response.content.decode()
    assert choices_of(leader)["reminders"] == "each"
    assert choices_of(mentor)["reminders"] == "each"


def test_an_expired_link_changes_nothing(leader: Any) -> None:
    with freeze_time("2026-01-01"):
        token = unsubscribe_token(user_id=leader.pk, category="reminders")
    with freeze_time("2027-01-05"):
        response = Client().post(f"/notifications/unsubscribe/{token}/")
    assert response.status_code == 400 and "not valid" in response.content.decode()
    assert choices_of(leader)["reminders"] == "each"


def test_a_link_of_an_erased_account_changes_nothing(leader: Any) -> None:
    token = unsubscribe_token(user_id=10**6, category="reminders")
    response = Client().post(f"/notifications/unsubscribe/{token}/")
    assert response.status_code == 400


def test_the_link_under_a_digest_stops_the_digest(leader: Any) -> None:
    services.preferences_set(user=leader, choices={"reminders": "digest"})
    token = unsubscribe_token(user_id=leader.pk, category="digest")
    page = Client().get(f"/notifications/unsubscribe/{token}/")
    assert "your daily digest" in page.content.decode()
    Client().post(f"/notifications/unsubscribe/{token}/")
    chosen = choices_of(leader)
    assert chosen["reminders"] == "none" and chosen["cohort_posts"] == "none"
    assert chosen["matching"] == "each"  # not in the digest, so not stopped


def test_every_link_is_personal(leader: Any, mentor: Any) -> None:
    assert unsubscribe_token(user_id=leader.pk, category="reminders") != unsubscribe_token(
        user_id=mentor.pk, category="reminders"
    )
    assert re.fullmatch(r"[\w\-:]+", unsubscribe_token(user_id=leader.pk, category="reminders"))
