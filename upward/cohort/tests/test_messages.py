"""A pair's messages are readable by its two people only, through every route: the pages, the
API, the Django admin even for a superuser, other people's exports and the emails. A message to
a pair one is not in is refused with a 404 and changes nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from upward.cohort import services
from upward.cohort.errors import CohortRuleBroken
from upward.cohort.models import PairMessage
from upward.notifications.models import Notice
from upward.pairs.models import Pair
from upward.privacy.registry import DataSubject
from upward.privacy.services import subject_export_data

pytestmark = pytest.mark.django_db
SECRET = "I am nervous about the restructure next month."


@pytest.fixture
def message(pair: Pair, leader: Any, django_capture_on_commit_callbacks: Any) -> PairMessage:
    with django_capture_on_commit_callbacks(execute=True):
        return services.message_send(pair=pair, by=leader, body=SECRET)


def test_the_two_people_read_it_on_the_page_and_in_the_api(
    client: Any, pair: Pair, leader: Any, mentor: Any, message: PairMessage
) -> None:
    for person in (leader, mentor):
        client.force_login(person)
        page = client.get(reverse("cohort:messages", args=[pair.pk]))
        assert page.status_code == 200 and SECRET in page.content.decode()
        answer = client.get(f"/api/v1/pairs/{pair.pk}/messages").json()
        assert [m["body"] for m in answer] == [SECRET]
        assert answer[0]["from_you"] is (person == leader)


def test_the_partner_answers_through_the_page_and_the_api(
    client: Any, pair: Pair, leader: Any, mentor: Any, message: PairMessage
) -> None:
    client.force_login(mentor)
    response = client.post(reverse("cohort:message_send", args=[pair.pk]), {"body": "Me too."})
    assert response.status_code == 302
    made = client.post(
        f"/api/v1/pairs/{pair.pk}/messages", {"body": "Talk Tuesday?"}, "application/json"
    )
    assert made.status_code == 201 and made.json()["from_you"] is True
    assert [m.body for m in PairMessage.objects.filter(pair=pair)] == [
        SECRET,
        "Me too.",
        "Talk Tuesday?",
    ]


def test_nobody_else_reads_it_by_any_route(
    client: Any,
    pair: Pair,
    other_pair: Pair,
    coordinator: Any,
    org_admin: Any,
    sponsor: Any,
    superuser: Any,
    message: PairMessage,
) -> None:
    other = other_pair.leader.user
    for person in (coordinator, org_admin, sponsor, other, superuser):
        client.force_login(person)
        assert client.get(reverse("cohort:messages", args=[pair.pk])).status_code == 404
        assert client.get(f"/api/v1/pairs/{pair.pk}/messages").status_code == 404
        for url in (
            reverse("cohort:spaces"),
            reverse("cohort:space", args=[pair.programme.slug]),
        ):
            response = client.get(url)
            assert SECRET not in response.content.decode()
        exported = subject_export_data(DataSubject.of_user(person))
        assert SECRET not in json.dumps(exported, default=str)
    # The coordinator's pages of the pair show no word of it.
    client.force_login(coordinator)
    for url in (
        reverse("preparation:pair", args=[pair.pk]),
        reverse("cohort:events", args=[pair.programme.slug]),
    ):
        response = client.get(url)
        assert response.status_code == 200 and SECRET not in response.content.decode()
    # The Django admin, even for a superuser: the app is not there at all.
    client.force_login(superuser)
    index = client.get("/admin/")
    assert index.status_code == 200 and "/admin/cohort/" not in index.content.decode()
    assert client.get("/admin/cohort/pairmessage/").status_code == 404
    assert client.get(f"/admin/cohort/pairmessage/{message.pk}/change/").status_code == 404


def test_the_authors_export_holds_their_messages_and_not_the_partners(
    pair: Pair, leader: Any, mentor: Any, message: PairMessage
) -> None:
    services.message_send(pair=pair, by=mentor, body="Here if you want to talk.")
    mine = subject_export_data(DataSubject.of_user(leader))["sections"]["cohort"]["messages"]
    assert [m["text"] for m in mine] == [SECRET]
    theirs = subject_export_data(DataSubject.of_user(mentor))["sections"]["cohort"]["messages"]
    assert [m["text"] for m in theirs] == ["Here if you want to talk."]


def test_it_is_encrypted_at_rest(message: PairMessage) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM cohort_pairmessage WHERE id = %s", [message.pk])
        stored = cursor.fetchone()[0]
    assert "restructure" not in stored and stored.startswith("enc1:")


def test_the_email_says_a_message_is_waiting_never_what_it_says(
    pair: Pair, mentor: Any, message: PairMessage
) -> None:
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [mentor.email]
    assert "You have a new message from your partner" in email.body
    assert f"/pairs/{pair.pk}/messages/" in email.body
    assert SECRET not in email.body and SECRET not in email.subject
    assert "restructure" not in email.body


def test_a_message_to_a_pair_one_is_not_in_is_refused_and_changes_nothing(
    client: Any, pair: Pair, other_pair: Pair, coordinator: Any, superuser: Any
) -> None:
    for person in (other_pair.leader.user, coordinator, superuser):
        client.force_login(person)
        page = client.post(reverse("cohort:message_send", args=[pair.pk]), {"body": "Hi"})
        api = client.post(f"/api/v1/pairs/{pair.pk}/messages", {"body": "Hi"}, "application/json")
        assert page.status_code == 404 and api.status_code == 404
    assert not PairMessage.objects.exists() and not Notice.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize("body", ["", "   ", "x" * 5001])
def test_an_empty_or_overlong_message_is_refused(
    client: Any, pair: Pair, leader: Any, body: str
) -> None:
    client.force_login(leader)
    api = client.post(f"/api/v1/pairs/{pair.pk}/messages", {"body": body}, "application/json")
    assert api.status_code == 400 and api.json()["detail"]
    page = client.post(reverse("cohort:message_send", args=[pair.pk]), {"body": body})
    assert page.status_code == 400
    assert not PairMessage.objects.exists()


def test_an_ended_pair_takes_no_new_message(pair: Pair, leader: Any) -> None:
    Pair.objects.filter(pk=pair.pk).update(state=Pair.State.ENDED)
    pair.refresh_from_db()
    with pytest.raises(CohortRuleBroken, match="ended"):
        services.message_send(pair=pair, by=leader, body="Hello?")
    assert not PairMessage.objects.exists()


def test_erasure_removes_the_authors_messages_only(
    pair: Pair, leader: Any, mentor: Any, org_admin: Any, message: PairMessage
) -> None:
    from upward.privacy.services import person_erase

    services.message_send(pair=pair, by=mentor, body="Kept: the mentor's own.")
    person_erase(person=leader.person, by=org_admin, reason="Erasure request")
    assert list(PairMessage.objects.values_list("body", flat=True)) in (
        ["Kept: the mentor's own."],
        [],  # the leader's applications go with the erasure, and the pair with them
    )
    assert not PairMessage.objects.filter(body=SECRET).exists()
