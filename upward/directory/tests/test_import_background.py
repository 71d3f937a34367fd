"""Directory files are checked and applied by the task worker, never inside a request."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from upward.directory.models import DirectoryImport, Organisation

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
CSV = b"employee_id,name,manager_employee_id\nB1,Bea Boss,\nB2,Ben Report,B1\n"


def _worker() -> None:
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_an_upload_is_checked_by_the_worker_with_progress_then_previewed(
    client: Client, org_admin: Any, org_a: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was read inside the request")

    client.force_login(org_admin)
    before = org_a.people.count()
    with override_settings(TASKS=DATABASE_TASKS):
        with monkeypatch.context() as patch:
            patch.setattr("upward.directory.services.apply.plan_import", refuse)
            response = client.post(
                reverse("directory:import_upload", args=[org_a.slug]),
                {"file": SimpleUploadedFile("people.csv", CSV, content_type="text/csv")},
            )
        staged = DirectoryImport.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse(
            "directory:import_detail", args=[org_a.slug, staged.pk]
        )
        assert staged.status == DirectoryImport.Status.CHECKING
        assert staged.summary == {}
        page = client.get(response["Location"]).content.decode()
        assert "Checking the file… 0%" in page
        assert 'hx-trigger="every 1s"' in page
        assert ">Refresh</a> if it does not." in page  # the way on without JavaScript
        assert "Apply this import" not in page
        _worker()
    staged.refresh_from_db()
    assert staged.status == DirectoryImport.Status.PREVIEWED
    assert staged.summary["creates"] == 2
    assert bytes(staged.content) == CSV
    assert org_a.people.count() == before
    fragment = client.get(
        reverse("directory:import_detail", args=[org_a.slug, staged.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "hx-trigger" not in fragment
    assert "Apply this import" in fragment


def test_the_check_records_progress_as_it_reads(
    org_a: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    from upward.directory import services
    from upward.directory.services import jobs
    from upward.directory.synthetic import generate_people, to_csv_bytes

    seen: list[float] = []
    real = jobs._progress_writer

    def spy(import_id: int, start: float = 0.0, span: float = 1.0) -> Any:
        write = real(import_id, start, span)

        def record(fraction: float) -> None:
            write(fraction)
            seen.append(DirectoryImport.objects.get(pk=import_id).progress)

        return record

    monkeypatch.setattr(jobs, "_progress_writer", spy)
    data = to_csv_bytes(generate_people(6_100, seed=2))
    staged = services.directory_import_stage(organisation=org_a, filename="p.csv", data=data)
    assert staged.status == DirectoryImport.Status.PREVIEWED
    assert seen == [0.33, 0.66, 0.98]
