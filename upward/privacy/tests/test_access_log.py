"""The access log: reads by anyone but the owner are recorded, and nobody can change them."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from upward.directory.models import Person
from upward.privacy.models import AccessKind, AccessLogEntry, AppendOnlyError
from upward.privacy.services import access_log_record


def record(actor: Any, person: Person, **overrides: Any) -> AccessLogEntry | None:
    values = {
        "actor": actor,
        "subject_person": person,
        "kind": AccessKind.CONCERN,
        "object_ref": "concern:12",
        "route": "GET /concerns/12/",
    }
    values.update(overrides)
    return access_log_record(**values)


def test_a_read_by_someone_else_is_recorded(
    coordinator: Any, leader: Any, programme_a: Any
) -> None:
    entry = record(coordinator, leader.person, programme=programme_a)
    assert entry is not None
    saved = AccessLogEntry.objects.get()
    assert saved.actor_id == coordinator.pk
    assert saved.subject_person_id == leader.person.pk
    assert saved.organisation_id == leader.person.organisation_id
    assert saved.programme_id == programme_a.pk
    assert saved.kind == "concern" and saved.object_ref == "concern:12"
    assert saved.route == "GET /concerns/12/"
    assert saved.at.utcoffset().total_seconds() == 0


def test_the_owner_reading_their_own_data_is_not_recorded(leader: Any) -> None:
    assert record(leader, leader.person) is None
    assert not AccessLogEntry.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"kind": "gossip"}, "Unknown access kind"),
        ({"object_ref": "Jane Smith's concern"}, "object_ref must look like"),
        ({"object_ref": ""}, "object_ref must look like"),
        ({"subject_person": None}, "needs the person"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_recorded(
    coordinator: Any, leader: Any, overrides: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        record(coordinator, leader.person, **overrides)
    assert not AccessLogEntry.objects.exists()


def test_the_application_cannot_change_or_delete_entries(coordinator: Any, leader: Any) -> None:
    entry = record(coordinator, leader.person)
    assert entry is not None
    entry.object_ref = "concern:13"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.filter(pk=entry.pk).update(object_ref="concern:13")
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.all().delete()
    assert AccessLogEntry.objects.get().object_ref == "concern:12"


def test_the_database_refuses_updates_and_deletes(coordinator: Any, leader: Any) -> None:
    entry = record(coordinator, leader.person)
    assert entry is not None
    for statement in (
        "UPDATE privacy_accesslogentry SET object_ref = 'concern:99'",
        "DELETE FROM privacy_accesslogentry",
    ):
        with (
            pytest.raises((DatabaseError, IntegrityError)),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert AccessLogEntry.objects.get().object_ref == "concern:12"


def test_the_log_survives_the_actor_being_deleted(coordinator: Any, leader: Any) -> None:
    record(coordinator, leader.person)
    coordinator.delete()
    assert AccessLogEntry.objects.get().actor_id is not None


def test_a_coordinator_seeing_identity_answers_is_in_the_access_log(
    world: Any, coordinator: Any, mentor: Any
) -> None:
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(coordinator)
    application = world.mentor_application
    url = reverse("programmes:application_sensitive", args=[world.programme_a.slug, application.pk])
    response = client.post(url, {"reason": "matching"})
    assert response.status_code == 200
    entry = AccessLogEntry.objects.get()
    assert entry.kind == "special_category"
    assert (entry.actor_id, entry.subject_person_id) == (coordinator.pk, mentor.person.pk)
    assert entry.object_ref == f"application:{application.pk}"
    assert entry.programme_id == world.programme_a.pk
    assert entry.route == f"POST {url}"
