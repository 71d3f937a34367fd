"""The coordinator's notes on results: stories beside the chart or survey they belong to, on
the dashboard and in the report; lessons in the report's PDF and CSV; versioned edits with the
history kept; encrypted at rest; in the author's privacy export; pages and API."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from upward.core.versioning import VersionConflict
from upward.evidence import notes
from upward.evidence.errors import EvidenceRuleBroken
from upward.evidence.models import ResultNote
from upward.evidence.privacy import erase_evidence, export_evidence
from upward.privacy.registry import DataSubject

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_a_story_sits_beside_its_chart_and_a_lesson_is_in_the_report(
    programme_a: Any, coordinator: Any, sponsor: Any
) -> None:
    notes.result_note_save(
        programme=programme_a,
        by=coordinator,
        kind="story",
        anchor="funnel",
        title="Word of mouth",
        body="Three leaders brought a colleague each.",
    )
    notes.result_note_save(
        programme=programme_a,
        by=coordinator,
        kind="story",
        anchor="instrument:psychological_safety",
        title="Speaking up",
        body="A mentor raised a hard issue in a board meeting.",
    )
    notes.result_note_save(
        programme=programme_a,
        by=coordinator,
        kind="lesson",
        anchor="funnel",  # ignored: lessons stand alone
        title="Start earlier",
        body="Brief the leaders before the invitations go out.",
    )
    html = client_for(sponsor).get(reverse("evidence:dashboard", args=[programme_a.slug]))
    text = html.content.decode()
    participation = text[text.index("<h2>Participation</h2>") : text.index("Meetings held per")]
    assert "Word of mouth" in participation and "Three leaders brought" in participation
    assert "Beside the survey: Team psychological safety" in text and "Speaking up" in text
    assert "<h2>Lessons</h2>" in text and "Start earlier" in text
    assert "Edit “Word of mouth”" not in text  # the sponsor reads, never writes
    pdf = client_for(coordinator).get(reverse("evidence:report_pdf", args=[programme_a.slug]))
    words = " ".join(
        " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf.content)).pages).split()
    )
    assert "Word of mouth. Three leaders brought a colleague each." in words
    assert "Speaking up. A mentor raised a hard issue" in words
    assert "Lessons Start earlier. Brief the leaders before the invitations go out." in words
    z = zipfile.ZipFile(
        io.BytesIO(
            client_for(sponsor).get(reverse("evidence:report_csv", args=[programme_a.slug])).content
        )
    )
    assert list(csv.reader(io.StringIO(z.read("lessons.csv").decode()))) == [
        ["lesson", "text"],
        ["Start earlier", "Brief the leaders before the invitations go out."],
    ]
    for name in z.namelist():  # stories may name people: they stay out of the figures
        assert "Three leaders" not in z.read(name).decode()


def test_edits_are_versioned_and_kept_and_the_text_is_encrypted(
    programme_a: Any, coordinator: Any
) -> None:
    note = notes.result_note_save(
        programme=programme_a, by=coordinator, kind="story", title="Ada's story", body="First."
    )
    notes.result_note_save(
        programme=programme_a,
        by=coordinator,
        kind="story",
        title="Ada's story",
        body="Second.",
        note=note,
        version=1,
    )
    with pytest.raises(VersionConflict):
        notes.result_note_save(
            programme=programme_a,
            by=coordinator,
            kind="story",
            title="Ada's story",
            body="Stale.",
            note=note,
            version=1,
        )
    note.refresh_from_db()
    assert (note.version, note.body) == (2, "Second.")
    assert [(r.number, r.body) for r in note.revisions.all()] == [(1, "First."), (2, "Second.")]
    with connection.cursor() as cursor:
        cursor.execute("SELECT title, body FROM evidence_resultnote WHERE id = %s", [note.pk])
        raw = " ".join(cursor.fetchone())
    assert "Ada" not in raw and "Second" not in raw


def test_bad_notes_are_refused_and_change_nothing(
    programme_a: Any, coordinator: Any, sponsor: Any
) -> None:
    cases = [
        ({"kind": "story", "title": " ", "body": "x"}, "title"),
        ({"kind": "story", "title": "T", "body": ""}, "Write the note"),
        ({"kind": "poem", "title": "T", "body": "x"}, "story"),
        ({"kind": "story", "title": "T", "body": "x", "anchor": "bogus"}, "Choose a chart"),
    ]
    for fields, message in cases:
        with pytest.raises(EvidenceRuleBroken, match=message):
            notes.result_note_save(programme=programme_a, by=coordinator, **fields)
    with pytest.raises(EvidenceRuleBroken, match="Only the programme's coordinators"):
        notes.result_note_save(programme=programme_a, by=sponsor, kind="story", title="T", body="x")
    assert ResultNote.objects.count() == 0


def test_pages_write_and_edit_with_a_conflict_shown(programme_a: Any, coordinator: Any) -> None:
    c = client_for(coordinator)
    url = reverse("evidence:notes", args=[programme_a.slug])
    assert c.post(url, {"kind": "story", "anchor": "", "title": "", "body": "x"}).status_code == 400
    r = c.post(url, {"kind": "story", "anchor": "safety", "title": "Calmer", "body": "Yes."})
    assert r.status_code == 302
    note = ResultNote.objects.get()
    edit = reverse("evidence:note_edit", args=[programme_a.slug, note.pk])
    assert "Calmer" in c.get(edit).content.decode()
    ok = {"kind": "story", "anchor": "safety", "title": "Calmer", "body": "Better.", "version": 1}
    assert c.post(edit, ok).status_code == 302
    stale = c.post(edit, {**ok, "body": "Mine.", "version": 1})
    assert stale.status_code == 409 and "Someone else saved first" in stale.content.decode()
    note.refresh_from_db()
    assert note.body == "Better."


def test_api_lists_adds_and_edits(programme_a: Any, coordinator: Any, sponsor: Any) -> None:
    c = client_for(coordinator)
    base = f"/api/v1/programmes/{programme_a.slug}/result-notes"
    body = {"kind": "story", "anchor": "goals", "title": "Goals", "body": "Most were met."}
    made = c.post(base, json.dumps(body), content_type="application/json")
    assert made.status_code == 201
    note_id = made.json()["id"]
    put = c.put(
        f"/api/v1/result-notes/{note_id}",
        json.dumps({**body, "body": "All were met.", "version": 1}),
        content_type="application/json",
    )
    assert put.status_code == 200 and put.json()["version"] == 2
    stale = c.put(
        f"/api/v1/result-notes/{note_id}",
        json.dumps({**body, "version": 1}),
        content_type="application/json",
    )
    assert stale.status_code == 409
    listed = client_for(sponsor).get(base).json()
    assert [(n["anchor"], n["body"]) for n in listed] == [("goals", "All were met.")]
    bad = c.post(base, json.dumps({**body, "anchor": "x"}), content_type="application/json")
    assert bad.status_code == 400 and "Choose a chart" in bad.json()["detail"]


def test_the_author_exports_their_notes_and_erasure_unlinks_them(
    programme_a: Any, coordinator: Any
) -> None:
    notes.result_note_save(
        programme=programme_a, by=coordinator, kind="lesson", title="Start", body="Early."
    )
    subject = DataSubject.of_user(coordinator)
    exported = export_evidence(subject)
    assert [(n["kind"], n["title"], n["text"]) for n in exported["notes_on_results"]] == [
        ("lesson", "Start", "Early.")
    ]
    assert [v["version"] for v in exported["note_versions_saved"]] == [1]
    assert erase_evidence(subject) == {"participations": 0, "notes_unlinked": 2}
    note = ResultNote.objects.get()
    assert note.author is None and note.body == "Early."
    assert export_evidence(subject)["notes_on_results"] == []
