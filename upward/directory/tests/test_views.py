"""Directory pages: org admins see and import their own organisation only."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from upward.directory.models import DirectoryImport, Organisation, Person

CSV = (
    b"employee_id,name,email,grade_level,manager_employee_id\n"
    b"NEW2,Jo Bloggs,jo@northwind.example,3,NEW1\n"
    b"NEW1,Kim Lee,kim@northwind.example,7,\n"
)


def test_org_admin_sees_their_people_and_a_person_page(
    client: Client, org_admin: Any, org_a: Organisation
) -> None:
    client.force_login(org_admin)
    response = client.get(reverse("directory:people", args=[org_a.slug]))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == org_a.people.count()
    person = org_a.people.filter(manager__isnull=False).order_by("-grade_level").first()
    assert person is not None
    page = client.get(reverse("directory:person", args=[org_a.slug, person.pk]))
    assert page.status_code == 200
    assert [p.pk for p in page.context["managers"]] == [person.manager_id]


def test_search_narrows_the_list(client: Client, org_admin: Any, org_a: Organisation) -> None:
    someone = org_a.people.order_by("employee_id")[5]
    client.force_login(org_admin)
    response = client.get(
        reverse("directory:people", args=[org_a.slug]), {"q": someone.employee_id}
    )
    assert [p.pk for p in response.context["page"].object_list] == [someone.pk]


def test_admin_of_another_organisation_sees_nothing(
    client: Client, org_admin_b: Any, org_a: Organisation
) -> None:
    client.force_login(org_admin_b)
    person = org_a.people.first()
    assert person is not None
    for url in (
        reverse("directory:people", args=[org_a.slug]),
        reverse("directory:person", args=[org_a.slug, person.pk]),
        reverse("directory:import_upload", args=[org_a.slug]),
    ):
        assert client.get(url).status_code == 404, url
    listing = client.get(reverse("directory:organisations"))
    assert org_a.name not in listing.content.decode()


def test_person_without_a_role_sees_only_their_own_pages(
    client: Client, outsider: Any, leader: Any, org_a: Organisation, org_b: Organisation
) -> None:
    for user, org in ((outsider, org_a), (outsider, org_b), (leader, org_a)):
        client.force_login(user)
        assert client.get(reverse("directory:people", args=[org.slug])).status_code == 404
        assert client.get(f"/api/v1/organisations/{org.slug}/people").status_code == 404
        assert client.get("/api/v1/organisations").json() == []
        me = client.get(reverse("core:me"))
        assert me.status_code == 200
        assert user.person.name in me.content.decode()


def test_upload_preview_then_apply(
    client: Client, org_admin: Any, org_a: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(org_admin)
    before = org_a.people.count()
    # The file is checked by the task the upload queues (run at once by the test settings).
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("directory:import_upload", args=[org_a.slug]),
            {"file": SimpleUploadedFile("people.csv", CSV, content_type="text/csv")},
        )
    staged = DirectoryImport.objects.get()
    assert response.status_code == 302
    assert staged.status == DirectoryImport.Status.PREVIEWED
    assert staged.summary["creates"] == 2
    # The preview changes nothing.
    assert org_a.people.count() == before
    page = client.get(response["Location"])
    assert "Apply this import" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        applied = client.post(reverse("directory:import_confirm", args=[org_a.slug, staged.pk]))
    assert applied.status_code == 302
    staged.refresh_from_db()
    assert staged.status == DirectoryImport.Status.DONE
    assert staged.progress == 1.0
    assert staged.content == b""
    assert org_a.people.count() == before + 2
    assert Person.objects.get(organisation=org_a, employee_id="NEW2").manager.employee_id == "NEW1"  # type: ignore[union-attr]
    # Applying twice is refused with a message, and changes nothing.
    again = client.post(
        reverse("directory:import_confirm", args=[org_a.slug, staged.pk]), follow=True
    )
    assert "already been applied" in again.content.decode()
    assert org_a.people.count() == before + 2


def test_upload_with_bad_rows_shows_them_and_cannot_be_applied(
    client: Client, org_admin: Any, org_a: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(org_admin)
    bad = b"employee_id,name,email\nX1,,x@y.org\nX2,Ok Person,nope\n"
    with django_capture_on_commit_callbacks(execute=True):
        posted = client.post(
            reverse("directory:import_upload", args=[org_a.slug]),
            {"file": SimpleUploadedFile("people.csv", bad)},
        )
    response = client.get(posted["Location"])
    text = response.content.decode()
    assert "name is missing" in text
    assert "email &#x27;nope&#x27; is not a valid address" in text
    staged = DirectoryImport.objects.get()
    assert staged.status == DirectoryImport.Status.REJECTED
    refused = client.post(
        reverse("directory:import_confirm", args=[org_a.slug, staged.pk]), follow=True
    )
    assert "cannot be applied" in refused.content.decode()
    assert not org_a.people.filter(employee_id__in=["X1", "X2"]).exists()


def test_upload_of_wrong_file_type_is_refused_by_the_form(
    client: Client, org_admin: Any, org_a: Organisation
) -> None:
    client.force_login(org_admin)
    response = client.post(
        reverse("directory:import_upload", args=[org_a.slug]),
        {"file": SimpleUploadedFile("people.pdf", b"%PDF-1.4")},
    )
    assert response.status_code == 200
    assert "Upload a CSV (.csv) or Excel (.xlsx) file." in response.content.decode()
    assert not DirectoryImport.objects.exists()


def test_progress_fragment_for_htmx(client: Client, org_admin: Any, org_a: Organisation) -> None:
    staged = DirectoryImport.objects.create(
        organisation=org_a,
        filename="p.csv",
        content=CSV,
        status=DirectoryImport.Status.RUNNING,
        progress=0.4,
    )
    client.force_login(org_admin)
    response = client.get(
        reverse("directory:import_detail", args=[org_a.slug, staged.pk]), HTTP_HX_REQUEST="true"
    )
    text = response.content.decode()
    assert "<html" not in text
    assert 'hx-trigger="every 1s"' in text
    assert "Importing… 40%" in text


def test_api_lists_people_of_own_organisation(
    client: Client, org_admin: Any, org_a: Organisation
) -> None:
    client.force_login(org_admin)
    assert client.get("/api/v1/organisations").json() == [
        {"slug": "northwind", "name": "Northwind Group"}
    ]
    data = client.get("/api/v1/organisations/northwind/people").json()
    assert data["count"] == org_a.people.count()
    assert {"employee_id", "manager_id", "grade_level"} <= set(data["items"][0])
