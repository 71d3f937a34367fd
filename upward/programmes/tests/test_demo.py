"""The demo seeds a programme past its call for applications (readiness done, about 150
applications all decided, some with consented identity data) and one with applications open;
seeding again adds nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from upward.core.demo import seed_demo
from upward.programmes import selectors
from upward.programmes.demo import SOURCING_SLUG
from upward.programmes.models import Application, IdentityDisclosure, Programme


@pytest.mark.django_db
def test_demo_seeds_a_ready_programme_with_applications_and_is_idempotent(tmp_path: Path) -> None:
    with override_settings(DATA_DIR=tmp_path):
        seed_demo(size=1200)
        programme = Programme.objects.get(slug="reverse-mentoring-2027")
        counts = _counts(programme)
        seed_demo(size=1200)
        assert _counts(programme) == counts
    readiness = selectors.readiness_of(programme)
    assert readiness.complete and not programme.applications_open
    assert programme.objectives.count() == 3 and programme.interviews.count() == 3
    applications = counts["applications"]
    assert 120 <= applications <= 160
    assert counts["leaders"] >= 30 and counts["mentors"] >= 80
    assert counts["with_identity"] >= 30
    assert counts["accepted"] > 0 and counts["waitlisted"] > 0 and counts["submitted"] == 0
    sourcing = Programme.objects.get(slug=SOURCING_SLUG)
    assert sourcing.applications_open and _counts(sourcing)["submitted"] > 0
    # Every identity answer sits under an active consent, so it reaches the matching input.
    matching = selectors.matching_input(programme)
    assert any(p["identity"] for p in matching["mentor"] + matching["leader"])
    totals, _ = selectors.invitation_counts(programme)
    assert totals.applied > 0 and totals.declined > 0 and totals.opened >= totals.applied


def _counts(programme: Programme) -> dict[str, Any]:
    apps = Application.objects.filter(programme=programme)
    return {
        "applications": apps.count(),
        "leaders": apps.filter(side="leader").count(),
        "mentors": apps.filter(side="mentor").count(),
        "accepted": apps.filter(status="accepted").count(),
        "waitlisted": apps.filter(status="waitlisted").count(),
        "submitted": apps.filter(status="submitted").count(),
        "with_identity": IdentityDisclosure.objects.values("application").distinct().count(),
        "invitations": programme.invitations.count(),
        "readiness": list(programme.readiness_items.values_list("status", flat=True)),
    }
