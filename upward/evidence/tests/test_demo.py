"""The demo: a closed baseline and a closed mid-point pulse with enough responses for charts,
one organisation's segment correctly hidden, and an open pulse; seeding again changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import override_settings

from upward.accounts.models import User
from upward.core.demo import seed_demo
from upward.evidence import anonymity, demo, selectors
from upward.evidence.models import Campaign, Response
from upward.programmes.models import Programme

pytestmark = pytest.mark.django_db


def test_demo_campaigns_show_charts_and_hide_a_small_segment(tmp_path: Path) -> None:
    with override_settings(DATA_DIR=tmp_path):
        seed_demo(size=1200)
        count = Response.objects.count()
        seed_demo(size=1200)
    assert Response.objects.count() == count == 49 + 19
    programme = Programme.objects.get(slug="reverse-mentoring-2027")
    coordinator = User.objects.get(email__startswith="coordinator@")
    baseline = Campaign.objects.get(programme=programme, title=demo.BASELINE)
    r = selectors.results(coordinator, baseline.pk)
    by_label = {row.label: row.result for row in r.rows}
    assert isinstance(by_label["everyone"], anonymity.Aggregate)
    assert by_label["everyone"].respondents == 49
    hidden = {k: v.reason for k, v in by_label.items() if isinstance(v, anonymity.Hidden)}
    organisations = [k for k in by_label if k.startswith("organisation")]
    assert len(organisations) == 2
    assert sorted(hidden[k] for k in organisations) == [
        anonymity.Reason.REMAINDER,
        anonymity.Reason.TOO_FEW,
    ]
    mid = selectors.results(coordinator, Campaign.objects.get(title=demo.MIDPOINT).pk)
    shown = {
        row.label: row.result.respondents
        for row in mid.rows
        if isinstance(row.result, anonymity.Aggregate)
    }
    # Leaders are all of the home organisation: the same 9 people, so nothing new is learnt.
    assert shown == {
        "everyone": 19,
        "side = leader": 9,
        "side = mentor": 10,
        "organisation = Northwind Group & side = leader": 9,
    }
    safety = selectors.safety_over_time(programme, selectors.Level.PROGRAMME, set())
    assert [c.title for c, a in safety if isinstance(a, anonymity.Aggregate)] == [
        demo.BASELINE,
        demo.MIDPOINT,
    ]
    assert Campaign.objects.filter(title=demo.OPEN).count() == 1
