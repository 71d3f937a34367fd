"""What recognition gives a person in their export, and removes on their erasure."""

from __future__ import annotations

from typing import Any

from upward.privacy.registry import DataSubject
from upward.recognition import privacy, services
from upward.recognition.models import Certificate, CompletionGrant, Story


def test_export_then_erase(signed_pair: Any, coordinator: Any, mentor: Any, leader: Any) -> None:
    programme = signed_pair.programme
    cert = services.certificate_issue(
        programme=programme, application=signed_pair.mentor, by=coordinator
    )
    services.story_draft(
        pair=signed_pair, by=leader, title="Our year", body="It went well.", anonymised=False
    )
    exported = privacy.export_recognition(DataSubject.of_user(mentor))
    assert exported["certificates"][0]["code"] == cert.grouped_code
    assert exported["stories"][0]["text"] == "It went well."
    # The leader's export holds the pair's story too, and no certificate of the mentor's.
    theirs = privacy.export_recognition(DataSubject.of_user(leader))
    assert theirs["certificates"] == [] and theirs["stories"][0]["title"] == "Our year"
    counts = privacy.erase_recognition(DataSubject.of_user(mentor))
    assert counts == {"stories_deleted": 1, "certificates_deleted": 1, "grants_deleted": 0}
    assert not Certificate.objects.exists() and not Story.objects.exists()
    assert not CompletionGrant.objects.exists()
