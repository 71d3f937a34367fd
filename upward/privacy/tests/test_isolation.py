"""Multi-organisation isolation: an organisation admin of A reads nothing of B, through pages or
the API, even when both organisations take part in one programme; and the other way round."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from upward.directory.models import DirectoryImport, Organisation, Person
from upward.privacy.services import access_log_record

from . import access_matrix as matrix
from .conftest import World
from .helpers import signed_in
from .test_access_matrix import api_operations, url_patterns


def _markers(organisation: Organisation) -> list[str]:
    """Strings that would give away that a page shows something of this organisation."""
    people = Person.objects.filter(organisation=organisation)
    markers = [organisation.name, f"@{organisation.email_domain}"]
    markers += list(people.values_list("employee_id", flat=True))
    return markers


def _leaks(content: str, markers: list[str]) -> list[str]:
    return [m for m in markers if re.search(rf"(?<![\w-]){re.escape(m)}(?![\w-])", content)]


def test_an_org_admin_of_a_reads_nothing_of_b(
    world: World, clients: dict[str, Client], coordinator_b: Any, outsider: Any
) -> None:
    # Organisation B joins programme A too, and B's people are read by B's coordinator.
    world.programme_a.organisations.add(world.org_b)
    access_log_record(
        actor=coordinator_b,
        subject_person=outsider.person,
        kind="concern",
        object_ref="concern:77",
        route="GET /x/",
        programme=world.programme_b,
    )
    markers = _markers(world.org_b)
    client = clients["org_admin"]
    problems = []
    for _route, name in url_patterns():
        rule = matrix.URLS.get(name)
        if rule is None or rule.method != "GET" or "org_admin" not in rule.allow:
            continue
        url = reverse(name, kwargs=rule.kwargs(world))
        content = client.get(url).content.decode()
        if leaks := _leaks(content, markers):
            problems.append(f"{url} shows {leaks[:3]}")
    for method, path in api_operations():
        rule = matrix.API.get(f"{method} {path}")
        if method != "GET" or rule is None or "org_admin" not in rule.allow or "{" in path:
            continue
        content = client.get(path).content.decode()
        if leaks := _leaks(content, markers):
            problems.append(f"{path} shows {leaks[:3]}")
    assert problems == []
    # The check can see a leak: A's own people page carries A's markers.
    own_page = client.get(reverse("directory:people", args=[world.org_a.slug])).content.decode()
    assert _leaks(own_page, _markers(world.org_a))
    audit = client.get(reverse("privacy:audit")).content.decode()
    assert "concern:77" not in audit


@pytest.mark.parametrize(
    ("admin", "theirs", "other"),
    [("org_admin", "org_a", "org_b"), ("org_admin_b", "org_b", "org_a")],
)
def test_another_organisations_objects_answer_404(
    request: Any, admin: str, theirs: str, other: str
) -> None:
    user = request.getfixturevalue(admin)
    organisation = request.getfixturevalue(other)
    person = Person.objects.filter(organisation=organisation).first()
    staged = DirectoryImport.objects.create(
        organisation=organisation, filename="x.csv", content=b"", status="done"
    )
    client = signed_in(user)
    urls = [
        reverse("directory:people", args=[organisation.slug]),
        reverse("directory:person", args=[organisation.slug, person.pk]),
        reverse("directory:import_upload", args=[organisation.slug]),
        reverse("directory:import_detail", args=[organisation.slug, staged.pk]),
        reverse("privacy:person", args=[person.pk]),
        reverse("privacy:person_erase", args=[person.pk]),
        f"/api/v1/organisations/{organisation.slug}/people",
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    for url in (
        reverse("privacy:person_export", args=[person.pk]),
        reverse("directory:import_confirm", args=[organisation.slug, staged.pk]),
    ):
        assert client.post(url).status_code == 404, url
    # Their own organisation's pages do open, so the 404s above are about the organisation.
    own = request.getfixturevalue(theirs)
    assert client.get(reverse("directory:people", args=[own.slug])).status_code == 200
    listed = client.get("/api/v1/organisations").json()
    assert [o["slug"] for o in listed] == [own.slug]


def test_the_audit_trail_of_a_person_of_b_is_empty_for_a(
    org_admin: Any, coordinator_b: Any, outsider: Any, programme_b: Any
) -> None:
    access_log_record(
        actor=coordinator_b,
        subject_person=outsider.person,
        kind="concern",
        object_ref="concern:5",
        route="GET /x/",
        programme=programme_b,
    )
    outsider.person.location = "Hull"
    outsider.person.save()
    response = signed_in(org_admin).get(reverse("privacy:audit"), {"person": outsider.person.pk})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0
    assert outsider.person.name not in response.content.decode()
