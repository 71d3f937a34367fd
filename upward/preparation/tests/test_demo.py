"""The demo: in the matched programme, pairs stand at each step of preparation and the demo
leader's agreement is ready to sign; seeding again changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import override_settings

from upward.accounts.models import User
from upward.core.demo import seed_demo
from upward.matches.models import Proposal
from upward.pairs.models import Pair
from upward.preparation import gate
from upward.programmes.models import Programme

pytestmark = pytest.mark.django_db


def test_demo_pairs_stand_at_each_step(tmp_path: Path) -> None:
    with override_settings(DATA_DIR=tmp_path):
        seed_demo(size=1200)
        programme = Programme.objects.get(slug="reverse-mentoring-2027")
        before = list(
            Pair.objects.filter(programme=programme).values_list("pk", "state", "version")
        )
        seed_demo(size=1200)
    pairs = list(Pair.objects.filter(programme=programme).select_related("leader", "mentor"))
    assert (
        list(Pair.objects.filter(programme=programme).values_list("pk", "state", "version"))
        == before
    )
    confirmed = Proposal.objects.filter(programme=programme, status="confirmed").count()
    assert len(pairs) == confirmed >= 5
    leader = User.objects.get(email__startswith="leader@")
    mentor = User.objects.get(email__startswith="mentor@")
    statuses = gate.statuses(pairs)
    # The demo leader and the demo mentor are each other's partner: the leader's agreement is
    # ready to sign, and the mentor has trained.
    [mine] = [p for p in pairs if p.leader.user_id == leader.pk]
    assert mine.mentor.user_id == mentor.pk
    assert mine.state == "preparing"
    assert statuses[mine.pk].waits_for == [
        "training:leader",
        "signature:leader",
        "signature:mentor",
    ]
    agreement = statuses[mine.pk].agreement
    assert agreement is not None and agreement.leader_gains and agreement.mentor_gains
    steps = [(p.state, statuses[p.pk].waits_for) for p in pairs if p.pk != mine.pk]
    for step in (
        ("preparing", ["training:leader", "signature:leader"]),
        ("preparing", ["signature:leader"]),
        ("active", []),
    ):
        assert step in steps
