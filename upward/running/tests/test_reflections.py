"""Private reflections reach their author and nobody else, by every route: the pages (the other
person's, the coordinator's board and pair page), the API, the Django admin even for a
superuser, other people's exports, and the database at rest. Shared notes keep their history."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from personas import make_user
from upward.pairs.models import Pair
from upward.privacy.registry import DataSubject
from upward.privacy.services import subject_export_data
from upward.running import services
from upward.running.errors import RunningRuleBroken, VersionConflict
from upward.running.models import PairNote, Reflection

pytestmark = pytest.mark.django_db
SECRET = "I worry that my mentor finds me dismissive."


@pytest.fixture
def reflection(pair: Pair, leader: Any) -> Reflection:
    return services.reflection_write(pair=pair, by=leader, body=SECRET)


def test_the_author_reads_it_on_the_page_in_the_api_and_in_their_export(
    client: Any, pair: Pair, leader: Any, reflection: Reflection
) -> None:
    client.force_login(leader)
    assert SECRET in client.get(reverse("running:notes", args=[pair.pk])).content.decode()
    assert client.get(f"/api/v1/pairs/{pair.pk}/reflections").json()[0]["body"] == SECRET
    export = subject_export_data(DataSubject.of_user(leader))
    assert export["sections"]["running"]["reflections"][0]["reflection"] == SECRET


def test_nobody_else_reads_it_by_any_route(
    client: Any, pair: Pair, mentor: Any, coordinator: Any, reflection: Reflection
) -> None:
    # The other person of the pair: their page, the API, their own export.
    client.force_login(mentor)
    assert SECRET not in client.get(reverse("running:notes", args=[pair.pk])).content.decode()
    assert client.get(f"/api/v1/pairs/{pair.pk}/reflections").json() == []
    assert SECRET not in json.dumps(subject_export_data(DataSubject.of_user(mentor)), default=str)
    delete = client.post(reverse("running:reflection_delete", args=[reflection.pk]))
    assert delete.status_code == 404
    # The coordinator: the pair's notes are closed, the boards show no words of it.
    client.force_login(coordinator)
    assert client.get(reverse("running:notes", args=[pair.pk])).status_code == 404
    assert client.get(f"/api/v1/pairs/{pair.pk}/reflections").status_code == 404
    for url in (
        reverse("running:board", args=[pair.programme.slug]),
        reverse("preparation:pair", args=[pair.pk]),
        reverse("preparation:board", args=[pair.programme.slug]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert SECRET not in response.content.decode()
    # A superuser in the Django admin: reflections are not there at all.
    root = make_user("root@upward.test", totp=True)
    root.is_staff = root.is_superuser = True
    root.save(update_fields=["is_staff", "is_superuser"])
    client.force_login(root)
    index = client.get("/admin/")
    assert index.status_code == 200 and "running" not in index.content.decode().lower()
    assert client.get("/admin/running/reflection/").status_code == 404
    assert client.get(f"/admin/running/reflection/{reflection.pk}/change/").status_code == 404
    # At rest the text is encrypted.
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM running_reflection WHERE id = %s", [reflection.pk])
        stored = cursor.fetchone()[0]
    assert SECRET not in stored and "dismissive" not in stored
    assert Reflection.objects.get(pk=reflection.pk).body == SECRET


def test_an_empty_reflection_is_refused(pair: Pair, leader: Any) -> None:
    with pytest.raises(RunningRuleBroken, match="Write the reflection: it is empty"):
        services.reflection_write(pair=pair, by=leader, body="   ")
    assert Reflection.objects.count() == 0


def test_shared_notes_keep_their_history_and_refuse_a_stale_edit(
    client: Any, pair: Pair, leader: Any, mentor: Any, coordinator: Any
) -> None:
    note = services.note_save(pair=pair, by=leader, title="Agenda", body="Hiring")
    client.force_login(mentor)
    response = client.put(
        f"/api/v1/notes/{note.pk}",
        {"title": "Agenda", "body": "Hiring and promotion", "version": 1},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert [(r["number"], r["body"]) for r in response.json()["history"]] == [
        (1, "Hiring"),
        (2, "Hiring and promotion"),
    ]
    with pytest.raises(VersionConflict):
        services.note_save(
            pair=pair,
            by=leader,
            note=PairNote.objects.get(pk=note.pk),
            version=1,
            title="Agenda",
            body="Lost?",
        )
    assert PairNote.objects.get(pk=note.pk).body == "Hiring and promotion"
    stale = client.put(
        f"/api/v1/notes/{note.pk}",
        {"title": "Agenda", "body": "x", "version": 1},
        content_type="application/json",
    )
    assert stale.status_code == 409
    client.force_login(coordinator)
    assert client.get(f"/api/v1/pairs/{pair.pk}/notes").status_code == 404
