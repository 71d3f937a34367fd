"""HRIS sync: a file from the HR system is previewed as a diff, then applied whole or not at all.

The directory is organisation A's generated one (``synthetic.generate_people``); the HR system's
next file is the same people with hires, moves, a leaver and a manager change that puts a live
pair inside one reporting line.
"""

from __future__ import annotations

import base64
import os
import time
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from personas import make_user
from upward.directory import sync as hris
from upward.directory.models import HrisFlag, HrisSync, Organisation, Person
from upward.directory.selectors import in_reporting_line
from upward.directory.synthetic import generate_people, to_csv_bytes
from upward.preparation.tests.factory import make_pair

BASE = "/api/v1/organisations/{slug}/directory/sync"


def _rows() -> list[dict[str, str]]:
    # The same call that made organisation A's directory (personas.make_organisation).
    return generate_people(60, seed=3, domain="northwind.example", prefix="NO")


def _snapshot(org: Organisation) -> list[tuple[Any, ...]]:
    return list(
        Person.objects.filter(organisation=org)
        .order_by("employee_id")
        .values_list("employee_id", "name", "grade", "department", "manager_id", "active")
    )


def _juniors_outside(org: Organisation, senior: Person) -> list[Person]:
    juniors = Person.objects.filter(organisation=org, reports__isnull=True).order_by(
        "grade_level", "employee_id"
    )
    return [p for p in juniors if not in_reporting_line(p, senior)]


@pytest.fixture
def story(org_a: Organisation, programme_a: Any, coordinator: Any, leader: Any) -> dict[str, Any]:
    """Two live pairs, and the HR system's next file for organisation A."""
    seniors = list(
        Person.objects.filter(organisation=org_a, manager__isnull=False)
        .exclude(pk=leader.person.pk)
        .order_by("-grade_level", "employee_id")
    )
    leader2 = make_user("leader2@upward.test", person=seniors[0])
    juniors = _juniors_outside(org_a, leader.person)
    mentor1 = make_user("mentor1@upward.test", person=juniors[0])
    others = [p for p in _juniors_outside(org_a, seniors[0]) if p.pk != juniors[0].pk]
    mentor2 = make_user("mentor2@upward.test", person=others[0])
    pair1 = make_pair(programme_a, leader, mentor1)
    pair2 = make_pair(programme_a, leader2, mentor2)

    rows = _rows()
    by_id = {r["employee_id"]: r for r in rows}
    # A manager change: mentor1 now reports to the leader of pair 1.
    by_id[mentor1.person.employee_id]["manager_employee_id"] = leader.person.employee_id
    # Moves: someone changes department, someone else grade.
    movers = [
        r
        for r in rows
        if r["employee_id"]
        not in {
            mentor1.person.employee_id,
            mentor2.person.employee_id,
            leader.person.employee_id,
            leader2.person.employee_id,
        }
        and r["manager_employee_id"]
    ]
    movers[0]["department"] = "Moved department"
    movers[1]["grade"] = "Promoted grade"
    # A leaver: mentor2 is no longer in the file.
    rows = [r for r in rows if r["employee_id"] != mentor2.person.employee_id]
    # Hires.
    hires = [
        {**movers[2], "employee_id": f"HIRE{i}", "name": f"New Hire {i}", "email": f"h{i}@x.test"}
        for i in (1, 2)
    ]
    rows.extend(hires)
    mail.outbox.clear()
    return {
        "data": to_csv_bytes(rows),
        "pair1": pair1,
        "pair2": pair2,
        "mentor1": mentor1.person,
        "mentor2": mentor2.person,
        "leader": leader.person,
        "moved": movers[0]["employee_id"],
        "promoted": movers[1]["employee_id"],
    }


def test_the_diff_is_right_on_a_generated_directory(
    org_a: Organisation, story: dict[str, Any], coordinator: Any
) -> None:
    before = _snapshot(org_a)
    sync = hris.sync_stage(organisation=org_a, filename="hris.csv", data=story["data"])

    assert sync.status == HrisSync.Status.PREVIEWED
    diff = sync.diff
    assert sorted(e["employee_id"] for e in diff["new"]) == ["HIRE1", "HIRE2"]
    changes = {e["employee_id"]: e["fields"] for e in diff["changes"]}
    assert changes == {
        story["mentor1"].employee_id: {
            "manager": [story["mentor1"].manager.employee_id, story["leader"].employee_id]
        },
        story["moved"]: {
            "department": [changes[story["moved"]]["department"][0], "Moved department"]
        },
        story["promoted"]: {"grade": [changes[story["promoted"]]["grade"][0], "Promoted grade"]},
    }
    assert [e["employee_id"] for e in diff["leavers"]] == [story["mentor2"].employee_id]
    assert [e["pair"] for e in diff["reporting_line_pairs"]] == [story["pair1"].pk]
    assert [e["pair"] for e in diff["leaver_pairs"]] == [story["pair2"].pk]
    assert diff["counts"]["new"] == 2 and diff["counts"]["leavers"] == 1

    # Not applied: the directory is as it was ...
    assert _snapshot(org_a) == before
    # ... but the pair that would break the first rule is flagged to the coordinator at once.
    flags = list(HrisFlag.objects.filter(sync=sync))
    assert [(f.kind, f.pair_id) for f in flags] == [
        (HrisFlag.Kind.REPORTING_LINE, story["pair1"].pk)
    ]
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert "first rule" in mail.outbox[0].body

    # The same file again flags nothing new and sends no second email.
    hris.sync_stage(organisation=org_a, filename="hris.csv", data=story["data"])
    assert HrisFlag.objects.count() == 1
    assert len(mail.outbox) == 1


def test_approving_applies_the_whole_file_and_flags_leavers_once(
    org_a: Organisation, story: dict[str, Any], coordinator: Any
) -> None:
    sync = hris.sync_stage(organisation=org_a, filename="hris.csv", data=story["data"])
    mail.outbox.clear()
    hris.sync_apply(sync=sync)

    sync.refresh_from_db()
    assert sync.status == HrisSync.Status.APPLIED
    assert Person.objects.filter(organisation=org_a, employee_id__startswith="HIRE").count() == 2
    story["mentor2"].refresh_from_db()
    assert story["mentor2"].active is False
    story["mentor1"].refresh_from_db()
    assert story["mentor1"].manager_id == story["leader"].pk
    assert Person.objects.get(employee_id=story["moved"]).department == "Moved department"
    kinds = sorted(HrisFlag.objects.filter(sync=sync).values_list("kind", flat=True))
    # The reporting-line flag was raised by the preview; applying adds the leavers'.
    assert kinds == [
        HrisFlag.Kind.LEAVER_APPLICATION,
        HrisFlag.Kind.LEAVER_PAIR,
        HrisFlag.Kind.REPORTING_LINE,
    ]
    assert len(mail.outbox) == 1  # one email to the coordinator for both
    assert mail.outbox[0].to == [coordinator.email]
    assert "has left" in mail.outbox[0].body

    with pytest.raises(hris.HrisSyncRefused):
        hris.sync_apply(sync=sync)


def test_applied_automatically_only_when_the_organisation_says_so(
    org_a: Organisation, story: dict[str, Any]
) -> None:
    assert hris.setting_for(org_a).auto_apply is False
    waiting = hris.sync_stage(organisation=org_a, filename="hris.csv", data=story["data"])
    assert waiting.status == HrisSync.Status.PREVIEWED
    assert not Person.objects.filter(employee_id="HIRE1").exists()

    hris.setting_update(organisation=org_a, auto_apply=True)
    applied = hris.sync_stage(organisation=org_a, filename="hris2.csv", data=story["data"])
    assert applied.status == HrisSync.Status.APPLIED
    assert Person.objects.filter(organisation=org_a, employee_id="HIRE1").exists()
    # The older file can no longer be applied over the newer one.
    with pytest.raises(hris.HrisSyncRefused):
        hris.sync_apply(sync=waiting)


def test_a_file_with_a_manager_cycle_is_refused_with_its_rows_and_changes_nothing(
    org_a: Organisation, org_admin: Any, client: Client
) -> None:
    hris.setting_update(organisation=org_a, auto_apply=True)
    rows = _rows()
    a, b = rows[10], rows[20]
    a["manager_employee_id"], b["manager_employee_id"] = b["employee_id"], a["employee_id"]
    rows.append({**rows[30], "employee_id": "HIRE9"})
    before = _snapshot(org_a)

    sync = hris.sync_stage(organisation=org_a, filename="hris.csv", data=to_csv_bytes(rows))
    assert sync.status == HrisSync.Status.REJECTED
    cycle_rows = sorted(e["row"] for e in sync.errors if "loops back" in e["reason"])
    assert cycle_rows == [12, 22]  # the header is row 1
    assert _snapshot(org_a) == before

    client.force_login(org_admin)
    response = client.post(
        BASE.format(slug=org_a.slug),
        {"filename": "hris.csv", "content_base64": base64.b64encode(to_csv_bytes(rows)).decode()},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "row 12" in response.json()["detail"] and "loops back" in response.json()["detail"]
    assert _snapshot(org_a) == before


def test_nothing_is_half_applied_when_applying_fails(
    org_a: Organisation, story: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    sync = hris.sync_stage(organisation=org_a, filename="hris.csv", data=story["data"])
    before = _snapshot(org_a)

    def broken(_sync: Any) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(hris, "_leaver_flags", broken)
    with pytest.raises(RuntimeError):
        hris.sync_apply(sync=sync)
    assert _snapshot(org_a) == before
    sync.refresh_from_db()
    assert sync.status == HrisSync.Status.PREVIEWED


def test_the_drop_folder_command_picks_the_newest_file_once(
    org_a: Organisation, org_admin: Any, settings: Any, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path
    folder = hris.drop_folder(org_a)
    folder.mkdir(parents=True)
    rows = _rows()
    (folder / "old.csv").write_bytes(to_csv_bytes(rows[:-1]))
    old = time.time() - 3600
    os.utime(folder / "old.csv", (old, old))
    rows.append({**rows[5], "employee_id": "HIRE7", "name": "Folder Hire"})
    (folder / "new.csv").write_bytes(to_csv_bytes(rows))

    mail.outbox.clear()
    call_command("hris_sync")
    sync = HrisSync.objects.get(organisation=org_a)
    assert (sync.filename, sync.source, sync.status) == ("new.csv", "folder", "previewed")
    assert [m.to for m in mail.outbox] == [[org_admin.email]]  # it waits for their approval
    assert reverse("directory:sync_detail", args=[org_a.slug, sync.pk]) in mail.outbox[0].body
    assert [e["employee_id"] for e in sync.diff["new"]] == ["HIRE7"]
    assert not Person.objects.filter(employee_id="HIRE7").exists()

    call_command("hris_sync", org_a.slug)  # the same file again: nothing new
    assert HrisSync.objects.filter(organisation=org_a).count() == 1

    # With automatic apply, the task applies the next file.
    from upward.directory.tasks import sync_hris_folders

    hris.setting_update(organisation=org_a, auto_apply=True)
    rows.append({**rows[6], "employee_id": "HIRE8", "name": "Second Hire"})
    (folder / "newer.csv").write_bytes(to_csv_bytes(rows))
    sync_hris_folders.call()
    assert Person.objects.filter(organisation=org_a, employee_id="HIRE8").exists()


def test_the_admin_previews_and_approves_on_the_pages(
    client: Client, org_admin: Any, org_a: Organisation, story: dict[str, Any]
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(org_admin)
    home = client.get(reverse("directory:sync", args=[org_a.slug]))
    assert home.status_code == 200
    response = client.post(
        reverse("directory:sync", args=[org_a.slug]),
        {"file": SimpleUploadedFile("hris.csv", story["data"], content_type="text/csv")},
    )
    sync = HrisSync.objects.get(organisation=org_a)
    assert response.url == reverse("directory:sync_detail", args=[org_a.slug, sync.pk])
    page = client.get(response.url, {"list": "new"})
    assert page.context["page"].paginator.count == 2
    assert b"Would break a pair" in page.content
    assert b"HIRE1" in page.content
    client.post(reverse("directory:sync_apply", args=[org_a.slug, sync.pk]))
    sync.refresh_from_db()
    assert sync.status == HrisSync.Status.APPLIED

    client.post(reverse("directory:sync_settings", args=[org_a.slug]), {"auto_apply": "on"})
    assert hris.setting_for(org_a).auto_apply is True


def test_the_api_uploads_previews_pages_and_applies(
    client: Client, org_admin: Any, org_a: Organisation, story: dict[str, Any]
) -> None:
    client.force_login(org_admin)
    base = BASE.format(slug=org_a.slug)
    created = client.post(
        base,
        {"filename": "hris.csv", "content_base64": base64.b64encode(story["data"]).decode()},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "previewed" and body["counts"]["new"] == 2
    assert [p["pair"] for p in body["reporting_line_pairs"]] == [story["pair1"].pk]
    entries = client.get(f"{base}/{body['id']}/entries", {"kind": "new", "page_size": 1})
    assert entries.json()["count"] == 2 and len(entries.json()["items"]) == 1
    second = client.post(
        base,
        {"filename": "again.csv", "content_base64": base64.b64encode(story["data"]).decode()},
        content_type="application/json",
    ).json()
    dismissed = client.post(f"{base}/{second['id']}/dismiss")
    assert dismissed.status_code == 200 and dismissed.json()["status"] == "dismissed"
    applied = client.post(f"{base}/{body['id']}/apply")
    assert applied.status_code == 200 and applied.json()["status"] == "applied"
    again = client.post(f"{base}/{body['id']}/apply")
    assert again.status_code == 400
    put = client.put(f"{base}/settings", {"auto_apply": True}, content_type="application/json")
    assert put.json()["auto_apply"] is True


def test_only_the_organisations_admin_reaches_its_sync(
    client: Client, org_admin_b: Any, coordinator: Any, org_a: Organisation, story: dict[str, Any]
) -> None:
    sync = hris.sync_stage(organisation=org_a, filename="hris.csv", data=story["data"])
    base = BASE.format(slug=org_a.slug)
    for user in (org_admin_b, coordinator):
        client.force_login(user)
        assert client.get(reverse("directory:sync", args=[org_a.slug])).status_code == 404
        assert (
            client.get(reverse("directory:sync_detail", args=[org_a.slug, sync.pk])).status_code
            == 404
        )
        assert (
            client.post(reverse("directory:sync_apply", args=[org_a.slug, sync.pk])).status_code
            == 404
        )
        assert client.get(f"{base}/{sync.pk}").status_code == 404
        assert client.post(f"{base}/{sync.pk}/apply").status_code == 404
    sync.refresh_from_db()
    assert sync.status == HrisSync.Status.PREVIEWED


def test_coordinators_see_the_flags_of_their_programme_only(
    client: Client,
    org_a: Organisation,
    story: dict[str, Any],
    coordinator: Any,
    coordinator_b: Any,
    org_admin: Any,
) -> None:
    hris.sync_stage(organisation=org_a, filename="hris.csv", data=story["data"])
    url = reverse("directory:programme_flags", args=[story["pair1"].programme.slug])
    assert url in mail.outbox[0].body
    client.force_login(coordinator)
    page = client.get(url)
    assert page.status_code == 200
    assert [f.pair_id for f in page.context["page"].object_list] == [story["pair1"].pk]
    for other in (coordinator_b, org_admin):
        client.force_login(other)
        assert client.get(url).status_code == 404


def test_only_the_newest_files_keep_their_lists_of_people(
    org_a: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hris, "KEEP_LISTS", 2)
    rows = _rows()
    rows.append({**rows[5], "employee_id": "HIRE1", "name": "Kept Hire"})
    syncs = [
        hris.sync_stage(organisation=org_a, filename=f"f{i}.csv", data=to_csv_bytes(rows))
        for i in range(3)
    ]
    oldest, *newest = [HrisSync.objects.get(pk=s.pk) for s in syncs]
    assert oldest.diff == {"counts": syncs[0].diff["counts"]}
    assert oldest.status == HrisSync.Status.DISMISSED
    assert all(s.diff["new"][0]["name"] == "Kept Hire" for s in newest)


def test_a_service_token_with_directory_write_uploads_and_read_alone_cannot(
    org_admin: Any, org_a: Organisation, story: dict[str, Any]
) -> None:
    from django.core.cache import cache

    from upward.integrations.tests.conftest import bearer, make_token

    cache.clear()  # each token's rate limit starts afresh
    base = BASE.format(slug=org_a.slug)
    body = {"filename": "hris.csv", "content_base64": base64.b64encode(story["data"]).decode()}
    _, reader = make_token(org_admin, ["directory:read"], organisation=org_a)
    refused = bearer(reader).post(base, body, content_type="application/json")
    assert refused.status_code == 403
    assert not HrisSync.objects.exists()
    assert bearer(reader).get(base).status_code == 200

    _, writer = make_token(org_admin, ["directory:read", "directory:write"], organisation=org_a)
    created = bearer(writer).post(base, body, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["counts"]["new"] == 2
    applied = bearer(writer).post(f"{base}/{created.json()['id']}/apply")
    assert applied.status_code == 200 and applied.json()["status"] == "applied"
    assert Person.objects.filter(organisation=org_a, employee_id__startswith="HIRE").count() == 2


def test_the_hr_systems_files_go_into_the_persons_export_and_erasure(
    org_a: Organisation, story: dict[str, Any], programme_a: Any
) -> None:
    from upward.directory.sync_privacy import erase_hris, export_hris, purge_hris
    from upward.privacy.registry import DataSubject

    mentor1, mentor2 = story["mentor1"], story["mentor2"]
    applied = hris.sync_stage(organisation=org_a, filename="hris.csv", data=story["data"])
    hris.sync_apply(sync=applied)
    waiting = hris.sync_stage(organisation=org_a, filename="next.csv", data=story["data"])
    assert waiting.status == HrisSync.Status.PREVIEWED and waiting.content

    exported = export_hris(DataSubject.of_person(mentor2))
    [file] = exported["hr_system_files"]
    assert file["file"] == "hris.csv"
    assert [e["employee_id"] for e in file["entries"]["leavers"]] == [mentor2.employee_id]
    assert any("has left" in f["message"] for f in exported["flags_to_coordinators"])

    counts = erase_hris(DataSubject.of_person(mentor1))
    assert counts["hris_files_cleaned"] >= 1 and counts["hris_flags_deleted"] == 1
    for sync in HrisSync.objects.all():
        text = str(sync.diff) + str(sync.errors)
        assert mentor1.employee_id not in text
    waiting.refresh_from_db()
    assert waiting.status == HrisSync.Status.DISMISSED and bytes(waiting.content) == b""
    assert not HrisFlag.objects.filter(message__contains=mentor1.employee_id).exists()
    # Someone else's entries stay.
    applied.refresh_from_db()
    assert [e["employee_id"] for e in applied.diff["leavers"]] == [mentor2.employee_id]

    assert HrisFlag.objects.filter(programme=programme_a).exists()
    assert purge_hris(programme_a)["hris_flags_deleted"] >= 1
    assert not HrisFlag.objects.filter(programme=programme_a).exists()
