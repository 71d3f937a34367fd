"""Invitation waves (most senior first), the personal link, accounts made from the directory,
reminders and the counts of invited, opened, applied and declined."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from upward.accounts.models import User
from upward.directory.models import Person
from upward.programmes import selectors, services
from upward.programmes.errors import RuleBroken
from upward.programmes.models import Invitation, Programme, Side

LINK = re.compile(r"https?://testserver(/programmes/invitation/[^/\s]+/)")


def test_candidates_are_most_senior_first_by_default(ready_programme: Programme) -> None:
    people = list(selectors.invitation_candidates(programme=ready_programme))
    levels = [p.grade_level for p in people]
    assert levels == sorted(levels, reverse=True)
    assert people[0].grade_level == 10
    # Within a grade, by name: the order is stable and explainable.
    sixes = [p.name for p in people if p.grade_level == 6]
    assert len(sixes) > 1 and sixes == sorted(sixes)
    junior_first = [
        p.grade_level
        for p in selectors.invitation_candidates(programme=ready_programme, order="junior")
    ]
    assert junior_first == sorted(junior_first)


def test_candidates_leave_out_the_invited_the_inactive_and_the_unreachable(
    ready_programme: Programme, coordinator: Any, org_a: Any
) -> None:
    top = list(selectors.invitation_candidates(programme=ready_programme, grade_min=6))
    inactive, no_email = top[0], top[1]
    Person.objects.filter(pk=inactive.pk).update(active=False)
    Person.objects.filter(pk=no_email.pk).update(email="")
    _send(ready_programme, coordinator, [top[2]], Side.LEADER)
    remaining = {
        p.pk for p in selectors.invitation_candidates(programme=ready_programme, grade_min=6)
    }
    assert not remaining & {inactive.pk, no_email.pk, top[2].pk}
    assert {p.pk for p in top[3:]} <= remaining


def test_filters_by_organisation_department_grade_and_list(
    ready_programme: Programme, org_a: Any, org_b: Any
) -> None:
    ready_programme.organisations.add(org_b)
    finance = selectors.invitation_candidates(
        programme=ready_programme, departments=["Finance"], grade_max=6, organisation_ids=[org_b.pk]
    )
    assert finance.exists()
    assert all(p.department == "Finance" and p.grade_level <= 6 for p in finance)
    assert {p.organisation_id for p in finance} == {org_b.pk}
    chosen = list(org_a.people.order_by("employee_id")[:3])
    listed = selectors.invitation_candidates(
        programme=ready_programme,
        identifiers=[chosen[0].employee_id, chosen[1].email.upper(), chosen[2].employee_id],
    )
    assert {p.pk for p in listed} == {p.pk for p in chosen}
    assert selectors.unmatched_identifiers(ready_programme, ["NOPE-1", chosen[0].employee_id]) == [
        "NOPE-1"
    ]


def test_the_first_wave_form_suggests_the_most_senior_leaders(
    client: Client, ready_programme: Programme, coordinator: Any
) -> None:
    client.force_login(coordinator)
    form = client.get(reverse("programmes:wave_new", args=[ready_programme.slug])).context["form"]
    rule = ready_programme.eligibility_rules.get(side="leader")
    assert form.initial["side"] == "leader"
    assert form.initial["order"] == "senior"
    assert form.initial["grade_min"] == rule.grade_min == 8


def test_preview_sends_nothing_then_send_invites_in_order(
    client: Client, ready_programme: Programme, coordinator: Any
) -> None:
    client.force_login(coordinator)
    url = reverse("programmes:wave_new", args=[ready_programme.slug])
    data = {"side": "leader", "grade_min": "6", "order": "senior", "limit": "5", "message": "Hello"}
    preview = client.post(url, {**data, "action": "preview"})
    assert preview.status_code == 200
    people = preview.context["preview"]["people"]
    assert [p.grade_level for p in people] == [10, 8, 8, 6, 6]
    assert not Invitation.objects.exists() and not mail.outbox

    with _on_commit(execute=True):
        sent = client.post(url, {**data, "action": "send"})
    assert sent.status_code == 302
    invitations = list(ready_programme.invitations.order_by("pk"))
    assert [i.person_id for i in invitations] == [p.pk for p in people]
    assert {i.status for i in invitations} == {"sent"}
    assert len(mail.outbox) == 5
    message = mail.outbox[0]
    assert message.to == [invitations[0].email]
    assert "Hello" in message.body and "personal to you" in message.body
    assert LINK.search(message.body)
    wave = ready_programme.waves.get()
    assert wave.number == 1 and wave.side == "leader" and wave.criteria["grade_min"] == 6


def test_a_wave_is_refused_while_applications_are_closed(
    programme_a: Programme, coordinator: Any, org_a: Any
) -> None:
    with pytest.raises(RuleBroken, match="once applications are open"):
        services.invitation_wave_send(
            programme=programme_a,
            by=coordinator,
            side="leader",
            people=list(org_a.people.all()[:2]),
            criteria={},
            base_url="http://testserver/",
        )
    assert not Invitation.objects.exists()


def test_bad_wave_input_gets_a_clear_message_and_sends_nothing(
    client: Client, ready_programme: Programme, coordinator: Any
) -> None:
    client.force_login(coordinator)
    url = reverse("programmes:wave_new", args=[ready_programme.slug])
    response = client.post(url, {"side": "", "grade_min": "9", "grade_max": "3", "action": "send"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "side" in errors and errors["grade_max"] == [
        "The highest grade must not be below the lowest."
    ]
    nobody = client.post(url, {"side": "leader", "identifiers": "NOPE-1", "action": "send"})
    assert "Nobody matches" in nobody.content.decode()
    assert not Invitation.objects.exists() and not mail.outbox


@pytest.fixture(autouse=True)
def _emails_go_at_commit(django_capture_on_commit_callbacks: Any) -> Any:
    """Emails are sent after the transaction commits; make each commit point observable."""
    global _on_commit
    _on_commit = django_capture_on_commit_callbacks
    yield


_on_commit: Any = None


def _send(
    programme: Programme, coordinator: Any, people: list[Person], side: str = "leader"
) -> None:
    with _on_commit(execute=True):
        services.invitation_wave_send(
            programme=programme,
            by=coordinator,
            side=side,
            people=people,
            criteria={},
            base_url="http://testserver/",
        )


def _remind(programme: Programme, coordinator: Any, now: dt.datetime) -> int:
    with _on_commit(execute=True):
        return services.invitation_reminders_send(
            programme=programme, by=coordinator, base_url="http://testserver/", now=now
        )


def _link(index: int = -1) -> str:
    match = LINK.search(mail.outbox[index].body)
    assert match
    return match.group(1)


def test_the_link_lets_a_person_without_an_account_set_a_password_and_apply(
    client: Client, ready_programme: Programme, coordinator: Any, org_a: Any
) -> None:
    person = org_a.people.filter(grade_level=6, user__isnull=True).order_by("employee_id").last()
    _send(ready_programme, coordinator, [person])
    link = _link()
    landing = client.get(link)
    assert landing.status_code == 200
    assert landing.context["needs_account"]
    invitation = Invitation.objects.get(person=person)
    assert invitation.status == "opened" and invitation.opened_at is not None

    mismatch = client.post(
        link, {"action": "account", "password1": "a-long-pass-2027", "password2": "other"}
    )
    assert "two passwords are different" in mismatch.content.decode()
    weak = client.post(
        link, {"action": "account", "password1": "password", "password2": "password"}
    )
    assert weak.status_code == 200 and not User.objects.filter(email=person.email).exists()

    created = client.post(
        link,
        {"action": "account", "password1": "a-long-pass-2027", "password2": "a-long-pass-2027"},
    )
    assert created.status_code == 302
    assert created["Location"] == reverse("programmes:apply", args=[ready_programme.slug])
    user = User.objects.get(email=person.email.lower())
    person.refresh_from_db()
    assert person.user == user and user.check_password("a-long-pass-2027")
    form = client.get(created["Location"], follow=True)
    assert form.status_code == 200 and form.context["side"] == "leader"


def test_a_person_with_an_account_is_asked_to_sign_in(
    client: Client, ready_programme: Programme, coordinator: Any, leader: Any
) -> None:
    _send(ready_programme, coordinator, [leader.person])
    landing = client.get(_link())
    assert not landing.context["needs_account"]
    assert "Sign in to apply" in landing.content.decode()
    client.force_login(leader)
    assert client.get(_link()).context["is_them"]


def test_someone_elses_link_shows_nothing_about_them(
    client: Client, ready_programme: Programme, coordinator: Any, leader: Any, mentor: Any
) -> None:
    _send(ready_programme, coordinator, [leader.person])
    client.force_login(mentor)
    page = client.get(_link())
    assert page.context["someone_else"]
    assert "This invitation is for someone else" in page.content.decode()
    assert client.post(_link(), {"action": "link"}, follow=True).status_code == 200
    leader.person.refresh_from_db()
    assert leader.person.user == leader


def test_a_tampered_or_revoked_link_does_not_work(
    client: Client, ready_programme: Programme, coordinator: Any, leader: Any
) -> None:
    _send(ready_programme, coordinator, [leader.person])
    link = _link()
    assert client.get(link[:-5] + "xxxx/").status_code == 404
    Invitation.objects.update(nonce="rotated")
    assert client.get(link).status_code == 404


def test_declining_needs_no_reason_and_can_be_changed(
    client: Client, ready_programme: Programme, coordinator: Any, leader: Any, apply_as: Any
) -> None:
    _send(ready_programme, coordinator, [leader.person])
    response = client.post(_link(), {"action": "decline"}, follow=True)
    assert "Thank you for letting us know" in response.content.decode()
    invitation = Invitation.objects.get()
    assert invitation.status == "declined" and invitation.declined_at is not None
    apply_as(ready_programme, leader, "leader")
    invitation.refresh_from_db()
    assert invitation.status == "applied"
    with pytest.raises(RuleBroken, match="already applied"):
        services.invitation_decline(invitation=invitation)


def test_counts_of_invited_opened_applied_declined(
    ready_programme: Programme, coordinator: Any, org_a: Any, leader: Any, apply_as: Any
) -> None:
    others = list(org_a.people.filter(grade_level=6).order_by("employee_id")[:3])
    _send(ready_programme, coordinator, [leader.person, *others])
    by_person = {i.person_id: i for i in Invitation.objects.all()}
    services.invitation_mark_opened(invitation=by_person[others[0].pk])
    services.invitation_decline(invitation=by_person[others[1].pk])
    apply_as(ready_programme, leader, "leader")
    totals, per_wave = selectors.invitation_counts(ready_programme)
    assert (totals.invited, totals.opened, totals.applied, totals.declined) == (4, 3, 1, 1)
    assert per_wave[ready_programme.waves.get().pk] == totals


def test_reminders_go_to_people_who_have_not_replied_at_most_twice(
    ready_programme: Programme, coordinator: Any, org_a: Any
) -> None:
    people = list(org_a.people.filter(grade_level=6).order_by("employee_id")[:3])
    _send(ready_programme, coordinator, people)
    mail.outbox.clear()
    invitations = {i.person_id: i for i in Invitation.objects.all()}
    services.invitation_decline(invitation=invitations[people[2].pk])
    now = timezone.now()
    assert _remind(ready_programme, coordinator, now) == 0  # too soon after sending
    Invitation.objects.update(sent_at=now - dt.timedelta(days=4))
    later = now + dt.timedelta(minutes=1)
    assert _remind(ready_programme, coordinator, later) == 2
    assert len(mail.outbox) == 2 and mail.outbox[0].subject.startswith("Reminder")
    assert _remind(ready_programme, coordinator, later) == 0  # not again within three days
    Invitation.objects.update(last_reminded_at=now - dt.timedelta(days=4))
    _remind(ready_programme, coordinator, later)
    Invitation.objects.update(last_reminded_at=now - dt.timedelta(days=8))
    assert _remind(ready_programme, coordinator, later) == 0  # twice is enough
    assert set(Invitation.objects.values_list("reminders_sent", flat=True)) == {0, 2}


def test_the_reminder_command(ready_programme: Programme, coordinator: Any, org_a: Any) -> None:
    from django.core.management import CommandError, call_command

    _send(ready_programme, coordinator, list(org_a.people.filter(grade_level=6)[:2]))
    Invitation.objects.update(sent_at=timezone.now() - dt.timedelta(days=5))
    mail.outbox.clear()
    with _on_commit(execute=True):
        call_command("send_invitation_reminders", "--base-url", "https://upward.example")
    assert (
        len(mail.outbox) == 2
        and "https://upward.example/programmes/invitation/" in mail.outbox[0].body
    )
    with pytest.raises(CommandError, match="not a web address"):
        call_command("send_invitation_reminders", "--base-url", "upward")
    with pytest.raises(CommandError, match="no programme"):
        call_command(
            "send_invitation_reminders", "--base-url", "https://x.example", "--programme", "nope"
        )


def test_open_call_lets_anyone_eligible_apply_without_an_invitation(
    client: Client, ready_programme: Programme, coordinator: Any, mentor: Any
) -> None:
    client.force_login(mentor)
    assert client.get(reverse("programmes:apply", args=[ready_programme.slug])).status_code == 404
    client.force_login(coordinator)
    client.post(
        reverse("programmes:open_call", args=[ready_programme.slug]),
        {"mentors": "on", "version": ready_programme.version},
    )
    client.force_login(mentor)
    response = client.get(reverse("programmes:apply", args=[ready_programme.slug]))
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "programmes:apply_side", args=[ready_programme.slug, "mentor"]
    )
    assert (
        client.get(
            reverse("programmes:apply_side", args=[ready_programme.slug, "leader"])
        ).status_code
        == 404
    )
    mine = client.get(reverse("programmes:mine")).content.decode()
    assert ready_programme.name in mine and "open call" in mine


def test_an_account_without_a_password_gets_one_through_the_link(
    client: Client, ready_programme: Programme, coordinator: Any, org_a: Any
) -> None:
    person = org_a.people.filter(grade_level=6, user__isnull=True).order_by("employee_id").first()
    user = User.objects.create_user(email=person.email, password=None)
    person.user = user
    person.save(update_fields=["user"])
    _send(ready_programme, coordinator, [person])
    assert client.get(_link()).context["needs_account"]
    response = client.post(
        _link(),
        {"action": "account", "password1": "a-long-pass-2027", "password2": "a-long-pass-2027"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-long-pass-2027")
    assert User.objects.filter(email__iexact=person.email).count() == 1
    client.logout()
    # Now that a password exists, the link cannot be used to change it.
    assert not client.get(_link()).context["needs_account"]
    refused = client.post(
        _link(),
        {"action": "account", "password1": "another-pass-2028", "password2": "another-pass-2028"},
        follow=True,
    )
    assert "You already have an account" in refused.content.decode()
    user.refresh_from_db()
    assert user.check_password("a-long-pass-2027")
