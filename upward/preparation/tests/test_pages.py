"""The pages: the agreement, its versions and its PDF only for the pair and the programme's
coordinators; the pairs board in a bounded number of queries; training admin refusing bad
input with a clear message; reminders at most once per period."""

from __future__ import annotations

import io
from html import unescape
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from upward.pairs.models import Pair
from upward.preparation import services
from upward.preparation.models import Module, Track, TrainingReminder

from .factory import colleague, make_pair
from .test_agreement import GAINS, current, sign

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_agreement_pages_and_pdf_only_for_the_pair_and_coordinators(
    pair: Pair,
    leader: Any,
    mentor: Any,
    coordinator: Any,
    coordinator_b: Any,
    sponsor: Any,
    outsider: Any,
    wellbeing_lead: Any,
) -> None:
    services.agreement_edit(pair=pair, by=leader, revision=1, changes=GAINS)
    urls = [
        reverse("preparation:pair", args=[pair.pk]),
        reverse("preparation:agreement", args=[pair.pk]),
        reverse("preparation:agreement_version", args=[pair.pk, 1]),
        reverse("preparation:agreement_pdf", args=[pair.pk, 1]),
    ]
    for user in (coordinator_b, sponsor, outsider, wellbeing_lead):
        client = client_for(user)
        assert [client.get(u).status_code for u in urls] == [404, 404, 404, 404], user.email
    anonymous = Client()
    assert all(anonymous.get(u).status_code == 302 for u in urls)
    for user in (leader, mentor, coordinator):
        client = client_for(user)
        assert [client.get(u).status_code for u in urls] == [200, 200, 200, 200], user.email
    response = client_for(mentor).get(urls[3])
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())
    assert leader.person.name in text and mentor.person.name in text
    # A coordinator reads but cannot change or sign.
    assert client_for(coordinator).post(urls[1], {"revision": 2}).status_code == 404


def test_sign_on_the_page_and_an_old_version_is_refused(
    pair: Pair, leader: Any, mentor: Any
) -> None:
    services.agreement_edit(pair=pair, by=leader, revision=1, changes=GAINS)
    sign(pair, mentor)
    services.agreement_edit(
        pair=pair, by=leader, revision=current(pair).revision, changes={"boundaries": "b"}
    )
    client = client_for(leader)
    url = reverse("preparation:agreement_sign", args=[pair.pk])
    response = client.post(
        url,
        {"number": 1, "revision": current(pair).revision, "typed_name": leader.person.name},
        follow=True,
    )
    assert "now at version 2" in response.content.decode()
    assert current(pair).leader_signed_at is None
    response = client.post(
        url,
        {"number": 2, "revision": current(pair).revision, "typed_name": leader.person.name},
        follow=True,
    )
    assert "Signed." in response.content.decode()
    assert current(pair).leader_signed_name == leader.person.name


def test_board_shows_what_each_pair_waits_for_in_bounded_queries(
    programme_a: Any,
    org_a: Any,
    coordinator: Any,
    tracks: list[Track],
    django_assert_max_num_queries: Any,
) -> None:
    pairs = [
        make_pair(
            programme_a,
            colleague(org_a, f"l{i}@upward.test", 2 * i),
            colleague(org_a, f"m{i}@upward.test", 2 * i + 1),
        )
        for i in range(12)
    ]
    client = client_for(coordinator)
    url = reverse("preparation:board", args=[programme_a.slug])
    client.get(url)
    with django_assert_max_num_queries(14):
        response = client.get(url)
    html = unescape(response.content.decode())
    assert response.status_code == 200
    for p in pairs:
        assert f"{p.leader.person.name}'s training" in html
        assert f"{p.mentor.person.name}'s signature" in html


def test_waive_on_the_board(pair: Pair, coordinator: Any) -> None:
    client = client_for(coordinator)
    url = reverse("preparation:waive", args=[pair.programme.slug, pair.pk])
    response = client.post(
        url, {"version": pair.version, "requirement": "signature:mentor", "reason": ""}, follow=True
    )
    assert "Choose the requirement and give a reason." in response.content.decode()
    response = client.post(
        url,
        {"version": pair.version, "requirement": "signature:mentor", "reason": "Signed on paper"},
        follow=True,
    )
    assert "Waived" in response.content.decode()
    assert pair.waivers.get().reason == "Signed on paper"
    page = unescape(client.get(reverse("preparation:pair", args=[pair.pk])).content.decode())
    assert (
        f"Waived by a coordinator: {pair.mentor.person.name}'s signature (Signed on paper)" in page
    )
    assert "The mentor's signature waived: Signed on paper" in page  # the history


def test_module_admin_refuses_bad_input_and_changes_nothing(
    programme_a: Any, coordinator: Any, tracks: list[Track]
) -> None:
    track = tracks[0]
    client = client_for(coordinator)
    url = reverse("preparation:track", args=[programme_a.slug, track.pk])
    before = Module.objects.count()
    base = {"action": "module", "title": "New module", "body": "Hello"}
    cases = [
        (
            {**base, "pass_mark": "150", "questions": "Q?\n* a\n- b"},
            "The pass mark is a percentage between 1 and 100.",
        ),
        (
            {
                **base,
                "attachment": SimpleUploadedFile("run.exe", b"MZ...", "application/octet-stream"),
            },
            "is not a kind of file we accept",
        ),
        (
            {
                **base,
                "attachment": SimpleUploadedFile(
                    "big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024 + 1), "application/pdf"
                ),
            },
            "files can be at most 10 MB",
        ),
        (
            {**base, "attachment": SimpleUploadedFile("fake.pdf", b"not a pdf", "application/pdf")},
            "does not look like a PDF file",
        ),
        ({**base, "questions": "Q?\n- a\n- b"}, "one marked right with"),
    ]
    for data, message in cases:
        response = client.post(url, data)
        assert response.status_code == 400
        assert message in response.content.decode(), message
    assert Module.objects.count() == before
    ok = {
        **base,
        "pass_mark": "50",
        "questions": "Q?\n* a\n- b",
        "attachment": SimpleUploadedFile("notes.pdf", b"%PDF-1.4 tiny", "application/pdf"),
    }
    assert client.post(url, ok).status_code == 302
    module = Module.objects.get(title="New module")
    assert (module.pass_mark, module.attachment_name, module.questions.get().answer) == (
        50,
        "notes.pdf",
        0,
    )
    file_url = reverse("preparation:attachment", args=[module.pk])
    assert b"".join(client.get(file_url).streaming_content) == b"%PDF-1.4 tiny"  # type: ignore[attr-defined]


def test_module_page_renders_safe_markdown(
    pair: Pair, leader: Any, tracks: list[Track], coordinator: Any
) -> None:
    track = Track.objects.get(programme=pair.programme, audience="leaders")
    module = services.module_save(
        track=track,
        by=coordinator,
        title="Safe",
        body="**Bold** <script>alert(1)</script> [x](javascript:alert(1))",
    )
    html = client_for(leader).get(reverse("preparation:module", args=[module.pk])).content.decode()
    assert "<strong>Bold</strong>" in html
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert 'href="javascript:' not in html


def test_reminders_at_most_once_per_period(
    pair: Pair, coordinator: Any, tracks: list[Track], django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(coordinator)
    url = reverse("preparation:reminders", args=[pair.programme.slug])
    assert (
        client.post(url, {"reminder_every_days": "99"}, follow=True)
        .content.decode()
        .count("Reminders go at most once every 1 to 60 days.")
        == 1
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"reminder_every_days": "7", "send": "1"})
    assert sorted(m.to[0] for m in mail.outbox) == ["leader@upward.test", "mentor@upward.test"]
    assert "0 of the 5 training modules" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"send": "1"})
    assert len(mail.outbox) == 2  # nobody twice within seven days
    assert TrainingReminder.objects.count() == 2


def test_reciprocal_pair_pages_and_pdf_say_both_are_mentor_and_mentee(
    programme_a: Any, leader: Any, mentor: Any
) -> None:
    from upward.programmes.models import Programme

    programme_a.kind = Programme.Kind.RECIPROCAL
    programme_a.save(update_fields=["kind"])
    pair = make_pair(programme_a, leader, mentor)
    client = client_for(mentor)
    page = client.get(reverse("preparation:pair", args=[pair.pk])).content.decode()
    assert "you are both mentor and mentee" in page
    agreement = client.get(reverse("preparation:agreement", args=[pair.pk])).content.decode()
    assert agreement.count("<dt>Mentor and mentee</dt>") == 2
    assert f"What {leader.person.name} hopes to gain" in unescape(agreement)
    pdf = client.get(reverse("preparation:agreement_pdf", args=[pair.pk, 1])).content
    text = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert f"Mentor and mentee {leader.person.name}" in text
    assert f"Mentor and mentee {mentor.person.name}" in text
