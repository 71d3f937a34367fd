"""Subject access export: a person downloads everything held about them; an org admin can
produce it for a person of their organisation (and that is logged)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from upward.privacy import registry
from upward.privacy.models import AccessLogEntry

from .helpers import signed_in, unzip


def test_a_person_downloads_their_own_data(leader: Any) -> None:
    client = signed_in(leader)
    page = client.get(reverse("privacy:my_data"))
    assert page.status_code == 200
    assert reverse("privacy:my_data_download") in page.content.decode()
    assert reverse("privacy:my_data") in client.get(reverse("core:me")).content.decode()

    response = client.post(reverse("privacy:my_data_download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="my-upward-data-')
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]
    )
    data, html = unzip(response.content)
    sections = data["sections"]
    assert set(registry.exporters()) <= set(sections)
    assert sections["account"]["email"] == leader.email
    assert sections["directory"]["employee_id"] == leader.person.employee_id
    assert sections["directory"]["name"] == leader.person.name
    assert leader.person.name in html and "Change history" in html
    # Their own download is not a read by someone else.
    assert not AccessLogEntry.objects.exists()


def test_the_download_is_a_post(leader: Any) -> None:
    assert signed_in(leader).get(reverse("privacy:my_data_download")).status_code == 405


def test_an_account_without_a_directory_entry_can_export(sponsor: Any) -> None:
    data, _ = unzip(signed_in(sponsor).post(reverse("privacy:my_data_download")).content)
    assert data["sections"]["directory"] == {"in_directory": False}
    assert data["sections"]["account"]["roles"][0]["role"] == "Sponsor"


def test_the_export_holds_history_and_reads_by_others(
    leader: Any, org_admin: Any, coordinator: Any
) -> None:
    from upward.privacy.services import access_log_record

    person = leader.person
    person.location = "Leeds"
    person._history_user = org_admin
    person.save()
    access_log_record(
        actor=coordinator,
        subject_person=person,
        kind="concern",
        object_ref="concern:4",
        route="GET /x/",
    )
    data, html = unzip(signed_in(leader).post(reverse("privacy:my_data_download")).content)
    history = data["sections"]["change_history"]
    assert history[-1]["by"] == f"staff user #{org_admin.pk}"
    reads = data["sections"]["access_log"]
    assert reads == [
        {
            "when": reads[0]["when"],
            "what": "Concern",
            "record": "concern:4",
            "by": f"staff user #{coordinator.pk}",
            "where": "GET /x/",
        }
    ]
    assert "concern:4" in html


def test_exported_text_is_escaped_in_the_readable_page(leader: Any) -> None:
    leader.display_name = "<script>alert(1)</script>"
    leader.save()
    _, html = unzip(signed_in(leader).post(reverse("privacy:my_data_download")).content)
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


def test_an_org_admin_produces_a_persons_data_and_it_is_logged(org_admin: Any, leader: Any) -> None:
    client = signed_in(org_admin)
    url = reverse("privacy:person_export", args=[leader.person.pk])
    response = client.post(url)
    assert response.status_code == 200
    data, _ = unzip(response.content)
    assert data["sections"]["directory"]["employee_id"] == leader.person.employee_id
    entry = AccessLogEntry.objects.get()
    assert entry.kind == "export"
    assert entry.actor_id == org_admin.pk
    assert entry.subject_person_id == leader.person.pk
    assert entry.route == f"POST {url}"


@pytest.mark.parametrize("who", ["org_admin_b", "coordinator", "leader", "sponsor"])
def test_nobody_else_may_produce_it(request: Any, who: str, leader: Any) -> None:
    client = signed_in(request.getfixturevalue(who))
    assert client.post(reverse("privacy:person_export", args=[leader.person.pk])).status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_a_registered_exporter_appears_in_the_download(leader: Any, monkeypatch: Any) -> None:
    def export_badges(subject: registry.DataSubject) -> dict[str, Any]:
        return {"badges": ["first meeting"], "for": subject.user.email if subject.user else None}

    monkeypatch.setattr(registry, "_EXPORTERS", {**registry._EXPORTERS})
    registry.register_exporter("badges", export_badges)
    data, _ = unzip(signed_in(leader).post(reverse("privacy:my_data_download")).content)
    assert data["sections"]["badges"] == {"badges": ["first meeting"], "for": leader.email}


def test_registering_a_section_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="already registered"):
        registry.register_exporter("account", lambda subject: {})
    with pytest.raises(ValueError, match="letters, digits"):
        registry.register_exporter("bad name!", lambda subject: {})


def test_applications_and_shared_identity_are_in_the_export(
    world: Any, mentor: Any, coordinator: Any
) -> None:
    from upward.programmes import services as programme_services

    programme_services.application_sensitive_view(
        application=world.mentor_application, viewer=coordinator, reason="matching"
    )
    data, html = unzip(signed_in(mentor).post(reverse("privacy:my_data_download")).content)
    section = data["sections"]["programmes"]
    (invitation,) = section["invitations"]
    assert invitation["programme"] == world.programme_a.name
    (application,) = section["applications"]
    assert application["side"] == "Mentor"
    assert application["answers"]
    assert len(application["identity_shared"]) == 1
    assert application["identity_looked_at_by"][0]["by"] == f"staff user #{coordinator.pk}"
    assert world.programme_a.name in html
