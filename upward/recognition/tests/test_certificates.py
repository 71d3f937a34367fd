"""Certificates: the PDF, the holder's page and download, withdrawal, the recognition list."""

from __future__ import annotations

import io
from typing import Any

from django.test import Client
from pypdf import PdfReader

from upward.recognition import selectors, services
from upward.recognition.models import Certificate


def _cert(pair: Any, coordinator: Any, side: str = "mentor") -> Any:
    return services.certificate_issue(
        programme=pair.programme, application=getattr(pair, side), by=coordinator
    )


def test_the_pdf_is_a_landscape_certificate_with_the_name_and_code(
    client: Client, signed_pair: Any, coordinator: Any, mentor: Any
) -> None:
    cert = _cert(signed_pair, coordinator)
    client.force_login(mentor)
    response = client.get(f"/certificates/{cert.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape
    text = " ".join(reader.pages[0].extract_text().split())
    assert mentor.person.name in text
    assert cert.grouped_code in text
    assert signed_pair.programme.name in text
    assert "Mentor" in text and "/verify/" in text


def test_only_the_holder_downloads_their_certificate(
    client: Client, signed_pair: Any, coordinator: Any, leader: Any, outsider: Any
) -> None:
    cert = _cert(signed_pair, coordinator)
    for who in (leader, coordinator, outsider):
        client.force_login(who)
        assert client.get(f"/certificates/{cert.pk}/pdf/").status_code == 404
    client.logout()
    assert client.get(f"/certificates/{cert.pk}/pdf/").status_code == 302


def test_my_certificates_page_shows_the_grouped_code(
    client: Client, signed_pair: Any, coordinator: Any, mentor: Any
) -> None:
    cert = _cert(signed_pair, coordinator)
    client.force_login(mentor)
    page = client.get("/certificates/").content.decode()
    assert cert.grouped_code in page and "Download the certificate" in page


def test_a_withdrawn_certificate_needs_a_reason_and_is_no_longer_downloadable(
    client: Client, signed_pair: Any, coordinator: Any, mentor: Any
) -> None:
    cert = _cert(signed_pair, coordinator)
    client.force_login(coordinator)
    url = f"/programmes/{signed_pair.programme.slug}/recognition/certificates/{cert.pk}/revoke/"
    assert client.post(url, {"reason": ""}).status_code == 400
    cert.refresh_from_db()
    assert cert.revoked_at is None
    assert client.post(url, {"reason": "Issued in error"}).status_code == 302
    cert.refresh_from_db()
    assert cert.revoked and cert.history.latest().history_user_id == coordinator.pk
    assert client.post(url, {"reason": "Again"}).status_code == 400
    client.force_login(mentor)
    assert client.get(f"/certificates/{cert.pk}/pdf/").status_code == 404


def test_the_recognition_list_holds_only_people_who_consented(
    client: Client, signed_pair: Any, coordinator: Any, mentor: Any, leader: Any, sponsor: Any
) -> None:
    _cert(signed_pair, coordinator, "mentor")
    leader_cert = _cert(signed_pair, coordinator, "leader")
    programme = signed_pair.programme
    client.force_login(leader)
    client.post(f"/certificates/{leader_cert.pk}/listing/", {"listed": "yes"})
    assert selectors.recognition_list(programme) == [
        (leader.person.name, "Leader", leader_cert.completed_on)
    ]
    client.force_login(sponsor)
    page = client.get(f"/programmes/{programme.slug}/recognition/list/").content.decode()
    assert leader.person.name in page and mentor.person.name not in page
    client.force_login(leader)
    client.post(f"/certificates/{leader_cert.pk}/listing/", {"listed": "no"})
    assert selectors.recognition_list(programme) == []
    client.force_login(mentor)
    assert client.get(f"/programmes/{programme.slug}/recognition/list/").status_code == 404


def test_the_coordinator_page_says_who_completes_and_why_not(
    client: Client, pair: Any, coordinator: Any, leader: Any
) -> None:
    from .conftest import sign

    sign(pair, "leader")
    client.force_login(coordinator)
    slug = pair.programme.slug
    page = client.get(f"/programmes/{slug}/recognition/").content.decode()
    assert "Has not signed the mentoring agreement." in page
    assert (
        client.post(
            f"/programmes/{slug}/recognition/people/{pair.mentor.pk}/certificate/"
        ).status_code
        == 400
    )
    assert (
        client.post(
            f"/programmes/{slug}/recognition/people/{pair.mentor.pk}/grant/", {"reason": "x" * 1001}
        ).status_code
        == 400
    )
    assert (
        client.post(
            f"/programmes/{slug}/recognition/people/{pair.mentor.pk}/grant/",
            {"reason": "Signed on paper."},
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"/programmes/{slug}/recognition/people/{pair.mentor.pk}/certificate/"
        ).status_code
        == 302
    )
    assert client.post(f"/programmes/{slug}/recognition/people/999999/grant/").status_code == 404
    assert (
        client.post(
            f"/programmes/{slug}/recognition/rules/", {"min_meetings": "-1", "version": "1"}
        ).status_code
        == 400
    )


def test_marking_a_pair_completed_issues_the_certificates_of_who_completes(
    pair: Any, coordinator: Any, leader: Any
) -> None:
    from upward.pairs.services import pair_state_change

    from .conftest import sign

    sign(pair, "leader")
    pair_state_change(pair=pair, action="complete", by=coordinator, version=pair.version)
    # The leader meets the rules; the mentor has not signed and gets no certificate.
    assert [c.user_id for c in selectors.certificates_of(leader)] == [leader.pk]
    assert Certificate.objects.count() == 1


def test_a_sponsor_finds_the_list_and_stories_from_the_menu(
    client: Client, programme_a: Any, sponsor: Any, mentor: Any
) -> None:
    client.force_login(sponsor)
    page = client.get("/recognition/").content.decode()
    assert 'href="/recognition/"' in page  # the menu entry
    assert f"/programmes/{programme_a.slug}/recognition/list/" in page
    client.force_login(mentor)
    page = client.get("/recognition/").content.decode()
    assert 'href="/recognition/"' not in page and programme_a.slug not in page
