"""The demo: last year's small programme, closed, with certificates (one on a grant; one
person short of the rules) and one published story."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.test import override_settings

from upward.core.demo import seed_demo
from upward.programmes.models import Programme
from upward.recognition import selectors
from upward.recognition.demo import SLUG
from upward.recognition.models import Certificate, Closure, CompletionGrant


def test_the_demo_holds_a_closed_cohort_with_certificates_and_a_story(
    db: Any, tmp_path: Path
) -> None:
    with override_settings(DATA_DIR=tmp_path):
        seed_demo(size=120)
        programme = Programme.objects.get(slug=SLUG)
        counts = (Certificate.objects.count(), CompletionGrant.objects.count())
        seed_demo(size=120)
    assert (Certificate.objects.count(), CompletionGrant.objects.count()) == counts == (5, 1)
    assert programme.phase == Programme.Phase.CELEBRATION
    assert Closure.objects.filter(programme=programme).exists()
    rows = selectors.completion_status(programme)
    assert sum(1 for r in rows if r.grant) == 1
    # The leader of the pair that met twice did not complete, and the page says why.
    assert [r.unmet for r in rows if not r.completes] == [["2 of 3 meetings held."]]
    [story] = selectors.published_stories(programme)
    assert "listening" in story
    assert len(selectors.recognition_list(programme)) == 1
    cert = Certificate.objects.filter(programme=programme).first()
    assert cert is not None and selectors.verify(cert.code).state == "valid"
