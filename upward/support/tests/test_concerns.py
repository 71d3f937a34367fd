"""Concerns: routed outside every reporting line, seen by the raiser and the handler only
(pages, API, admin, exports, audit), anonymous to the handler where asked, refused when empty
or closed, and flagged overdue at the deadline."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from personas import grant, make_user
from upward.accounts.models import Role
from upward.pairs.models import Pair
from upward.privacy.models import AccessLogEntry
from upward.privacy.registry import DataSubject
from upward.privacy.services import subject_export_data
from upward.support import services
from upward.support.errors import SupportRuleBroken
from upward.support.models import Concern

pytestmark = pytest.mark.django_db
TEXT = "My partner keeps cancelling and it wears me down."


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def raise_one(pair: Pair, by: Any, *, route_to: str = "wellbeing_lead", anonymous: bool = True):
    return services.concern_raise(
        by=by, pair=pair, about="relationship", route_to=route_to, anonymous=anonymous, body=TEXT
    )


def test_only_raiser_and_handler_see_a_concern_on_pages_and_api(
    pair: Pair,
    leader: Any,
    mentor: Any,
    coordinator: Any,
    coordinator_b: Any,
    org_admin: Any,
    sponsor: Any,
    wellbeing_lead: Any,
    outsider: Any,
) -> None:
    concern = raise_one(pair, mentor)
    assert concern.handler == wellbeing_lead
    page = reverse("support:concern", args=[concern.pk])
    api = f"/api/v1/support/concerns/{concern.pk}"
    for user, expected in [
        (mentor, 200),
        (wellbeing_lead, 200),
        (leader, 404),
        (coordinator, 404),
        (coordinator_b, 404),
        (org_admin, 404),
        (sponsor, 404),
        (outsider, 404),
    ]:
        client = client_for(user)
        assert client.get(page).status_code == expected, user
        assert client.get(api).status_code == expected, user
        inbox = client.get("/api/v1/support/inbox").json()
        assert [c["id"] for c in inbox] == ([concern.pk] if user == wellbeing_lead else [])
        mine = client.get("/api/v1/support/concerns").json()
        assert [c["id"] for c in mine] == ([concern.pk] if user == mentor else [])
    assert TEXT in client_for(mentor).get(page).content.decode()


def test_the_django_admin_has_no_concerns(pair: Pair, mentor: Any, wellbeing_lead: Any) -> None:
    raise_one(pair, mentor)
    boss = make_user("root@upward.test", totp=True)
    boss.is_staff = boss.is_superuser = True
    boss.save()
    client = client_for(boss)
    assert client.get("/admin/support/concern/").status_code == 404
    assert client.get("/admin/support/concernmessage/").status_code == 404
    assert "Concern" not in client.get("/admin/").content.decode()


def test_exports_hold_a_concern_for_its_raiser_only(
    pair: Pair, leader: Any, mentor: Any, wellbeing_lead: Any
) -> None:
    concern = raise_one(pair, mentor)
    services.concern_reply(concern=concern, by=wellbeing_lead, body="Let us talk on Monday.")
    mine = subject_export_data(DataSubject.of_user(mentor))["sections"]["support"]["concerns"]
    assert [(c["text"], [m["text"] for m in c["thread"]]) for c in mine] == [
        (TEXT, ["Let us talk on Monday."])
    ]
    for other in (leader, wellbeing_lead):
        exported = str(subject_export_data(DataSubject.of_user(other)))
        assert TEXT not in exported
        assert "Let us talk on Monday." not in exported
        assert f"concern:{concern.pk}" not in exported


def test_reads_are_logged_and_hidden_from_every_audit_view(
    pair: Pair, mentor: Any, coordinator: Any, wellbeing_lead: Any
) -> None:
    concern = raise_one(pair, mentor, route_to="coordinator")
    assert concern.handler == coordinator
    client_for(mentor).get(reverse("support:concern", args=[concern.pk]))
    assert AccessLogEntry.objects.filter(object_ref=f"concern:{concern.pk}").count() == 0
    client_for(coordinator).get(reverse("support:concern", args=[concern.pk]))
    client_for(coordinator).get(f"/api/v1/support/concerns/{concern.pk}")
    entries = AccessLogEntry.objects.filter(object_ref=f"concern:{concern.pk}")
    assert [(e.actor_id, e.subject_person_id, e.kind) for e in entries] == [
        (coordinator.pk, mentor.person.pk, "concern"),
        (coordinator.pk, mentor.person.pk, "concern"),
    ]
    audit = client_for(coordinator).get(reverse("privacy:audit"))
    assert audit.status_code == 200
    assert f"concern:{concern.pk}" not in audit.content.decode()
    assert "Concern" not in audit.content.decode().split("<main", 1)[-1].split("<select")[0]


def test_an_anonymous_concern_never_names_its_raiser_to_the_handler(
    pair: Pair, mentor: Any, wellbeing_lead: Any, django_capture_on_commit_callbacks: Any
) -> None:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        with_thread = raise_one(pair, mentor, anonymous=True)
        services.concern_reply(concern=with_thread, by=mentor, body="One more thing.")
    name = mentor.person.name
    handler = client_for(wellbeing_lead)
    for url in (
        reverse("support:concern", args=[with_thread.pk]),
        reverse("support:inbox"),
        f"/api/v1/support/concerns/{with_thread.pk}",
        "/api/v1/support/inbox",
    ):
        body = handler.get(url).content.decode()
        assert name not in body and mentor.email not in body, url
        assert "someone who asked to stay anonymous" in body.lower(), url
    to_handler = [m for m in mail.outbox if m.to == [wellbeing_lead.email]]
    assert len(to_handler) == 2
    for m in to_handler:
        assert name not in m.subject + m.body and TEXT not in m.body
    assert "someone who asked to stay anonymous" in to_handler[0].body
    # The wellbeing lead has no audit view, and nobody's audit lists concern reads.
    assert handler.get(reverse("privacy:audit")).status_code == 404


def test_a_named_concern_tells_the_handler_who_raised_it(
    pair: Pair, mentor: Any, wellbeing_lead: Any
) -> None:
    concern = raise_one(pair, mentor, anonymous=False)
    body = client_for(wellbeing_lead).get(reverse("support:concern", args=[concern.pk]))
    assert mentor.person.name in body.content.decode()


def test_a_handler_in_a_reporting_line_is_skipped_and_the_raiser_told(
    pair: Pair, leader: Any, mentor: Any, wellbeing_lead: Any
) -> None:
    # The leader's own manager is the programme's first coordinator.
    pair.programme.role_grants.filter(role=Role.COORDINATOR).delete()
    manager_user = make_user("manager@upward.test", person=leader.person.manager, totp=True)
    grant(manager_user, Role.COORDINATOR, programme=pair.programme)
    other = make_user("independent@upward.test")
    grant(other, Role.COORDINATOR, programme=pair.programme)
    concern = raise_one(pair, mentor, route_to="coordinator")
    assert concern.handler == other
    assert concern.route_to == "coordinator"
    assert concern.routing_note == (
        "One programme's coordinator is in your reporting line or your partner's, or is in "
        "your pair, so another one handles your concern."
    )
    response = client_for(mentor).get(reverse("support:concern", args=[concern.pk]))
    assert "is in your reporting line" in response.content.decode()
    assert (
        client_for(manager_user).get(reverse("support:concern", args=[concern.pk])).status_code
        == 404
    )


def test_when_every_chosen_handler_is_in_the_line_the_other_role_takes_it(
    pair: Pair, leader: Any, mentor: Any, wellbeing_lead: Any
) -> None:
    pair.programme.role_grants.filter(role=Role.COORDINATOR).delete()
    manager_user = make_user("manager@upward.test", person=leader.person.manager, totp=True)
    grant(manager_user, Role.COORDINATOR, programme=pair.programme)
    concern = raise_one(pair, mentor, route_to="coordinator")
    assert concern.handler == wellbeing_lead
    assert concern.route_to == "wellbeing_lead"
    assert concern.routing_note == (
        "The programme's coordinator is in your reporting line or your partner's, so your "
        "concern went to the wellbeing lead instead."
    )


def test_nobody_eligible_refuses_and_changes_nothing(pair: Pair, leader: Any, mentor: Any) -> None:
    manager_user = make_user("manager@upward.test", person=leader.person.manager, totp=True)
    grant(manager_user, Role.WELLBEING_LEAD, programme=pair.programme)
    # The only coordinator (fixture) is outside the line; remove the grant to leave nobody.
    pair.programme.role_grants.filter(role=Role.COORDINATOR).delete()
    with pytest.raises(SupportRuleBroken, match="Nobody outside your reporting line"):
        raise_one(pair, mentor)
    assert Concern.objects.count() == 0


def test_the_partner_is_never_a_handler(pair: Pair, leader: Any, mentor: Any) -> None:
    grant(leader, Role.WELLBEING_LEAD, programme=pair.programme)
    concern = raise_one(pair, mentor, route_to="wellbeing_lead")
    assert concern.handler != leader
    assert concern.route_to == "coordinator"


def test_empty_concern_is_refused_on_page_and_api(
    pair: Pair, mentor: Any, wellbeing_lead: Any
) -> None:
    client = client_for(mentor)
    page = client.post(
        reverse("support:raise"),
        {"pair": pair.pk, "about": "wellbeing", "route_to": "wellbeing_lead", "body": "   "},
    )
    assert page.status_code == 400
    assert "This field is required." in page.content.decode()
    api = client.post(
        "/api/v1/support/concerns",
        {"pair_id": pair.pk, "about": "wellbeing", "route_to": "wellbeing_lead", "text": "  "},
        content_type="application/json",
    )
    assert (api.status_code, api.json()) == (
        400,
        {"detail": "Write your concern first: it is empty."},
    )
    assert Concern.objects.count() == 0


def test_raise_reply_close_and_read_the_outcome_through_pages(
    pair: Pair, mentor: Any, wellbeing_lead: Any
) -> None:
    raiser, handler = client_for(mentor), client_for(wellbeing_lead)
    response = raiser.post(
        reverse("support:raise"),
        {
            "pair": pair.pk,
            "about": "wellbeing",
            "route_to": "wellbeing_lead",
            "anonymous": "on",
            "body": TEXT,
        },
    )
    concern = Concern.objects.get()
    assert response.status_code == 302
    assert (concern.handler, concern.anonymous, concern.body) == (wellbeing_lead, True, TEXT)
    url = reverse("support:concern", args=[concern.pk])
    handler.post(
        reverse("support:triage", args=[concern.pk]), {"state": "in_progress", "version": 1}
    )
    handler.post(reverse("support:reply", args=[concern.pk]), {"body": "I am here to help."})
    closed = handler.post(
        reverse("support:close", args=[concern.pk]),
        {"outcome": "Talked it through; a new cadence agreed.", "version": 2},
    )
    assert closed.status_code == 302
    concern.refresh_from_db()
    assert (concern.state, concern.version) == ("closed", 3)
    page = raiser.get(url).content.decode()
    assert "I am here to help." in page and "a new cadence agreed." in page
    stale = handler.post(
        reverse("support:close", args=[concern.pk]), {"outcome": "Again", "version": 2}
    )
    assert stale.status_code == 409


def test_a_reply_to_a_closed_concern_is_refused(
    pair: Pair, mentor: Any, wellbeing_lead: Any
) -> None:
    concern = raise_one(pair, mentor)
    services.concern_close(concern=concern, by=wellbeing_lead, outcome="Resolved.", version=1)
    response = client_for(mentor).post(
        f"/api/v1/support/concerns/{concern.pk}/messages",
        {"text": "Wait"},
        content_type="application/json",
    )
    assert (response.status_code, response.json()) == (
        400,
        {"detail": "This concern is closed, so no more messages can be added."},
    )
    page = client_for(mentor).post(reverse("support:reply", args=[concern.pk]), {"body": "Wait"})
    assert page.status_code == 400
    assert concern.messages.count() == 0


def test_overdue_concerns_are_flagged_and_escalated_at_the_deadline(
    pair: Pair, mentor: Any, coordinator: Any, wellbeing_lead: Any, clock: Any
) -> None:
    clock.set(dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC))
    late = raise_one(pair, mentor, route_to="coordinator")
    answered = raise_one(pair, mentor, route_to="coordinator")
    services.concern_reply(concern=answered, by=coordinator, body="On it.")
    assert late.due_at == dt.datetime(2027, 3, 4, 9, 0, tzinfo=dt.UTC)
    clock.set(dt.datetime(2027, 3, 4, 8, 59, tzinfo=dt.UTC))
    assert services.concerns_flag_overdue() == 0
    clock.set(dt.datetime(2027, 3, 4, 9, 1, tzinfo=dt.UTC))
    mail.outbox.clear()
    assert services.concerns_flag_overdue() == 1
    assert services.concerns_flag_overdue() == 0
    late.refresh_from_db()
    assert (late.overdue_since, late.escalated_to) == (timezone.now(), wellbeing_lead)
    assert sorted(m.to[0] for m in mail.outbox) == [coordinator.email, wellbeing_lead.email]
    inbox = client_for(wellbeing_lead).get("/api/v1/support/inbox").json()
    assert [(c["id"], c["overdue"]) for c in inbox] == [(late.pk, True)]
    assert "overdue" in client_for(coordinator).get(reverse("support:inbox")).content.decode()


def test_the_command_flags_overdue_concerns(
    pair: Pair, mentor: Any, wellbeing_lead: Any, clock: Any
) -> None:
    from io import StringIO

    from django.core.management import call_command

    concern = raise_one(pair, mentor)
    clock.set(concern.due_at + dt.timedelta(minutes=1))
    out = StringIO()
    call_command("flag_overdue_concerns", stdout=out)
    assert out.getvalue() == "1 concern(s) flagged overdue.\n"
    concern.refresh_from_db()
    assert concern.overdue_since == concern.due_at + dt.timedelta(minutes=1)
