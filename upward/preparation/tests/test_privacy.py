"""Export and erasure of what preparation and pairs hold about a person."""

from __future__ import annotations

from typing import Any

import pytest

from upward.pairs.models import Pair
from upward.pairs.privacy import export_pairs
from upward.preparation import services
from upward.preparation.models import Agreement, ModuleCompletion, Track
from upward.preparation.privacy import erase_preparation, export_preparation
from upward.privacy.registry import DataSubject

from .test_agreement import GAINS, sign

pytestmark = pytest.mark.django_db


def test_export_and_erase(pair: Pair, tracks: list[Track], leader: Any, mentor: Any) -> None:
    services.agreement_edit(pair=pair, by=leader, revision=1, changes=GAINS)
    sign(pair, mentor)
    module = tracks[0].modules.first()
    assert module is not None
    services.module_complete(module=module, user=mentor)
    subject = DataSubject.of_user(mentor)
    exported = export_preparation(subject)
    assert [t["module"] for t in exported["training"]] == [module.title]
    [agreement] = exported["agreements"]
    assert (agreement["you_signed_as"], agreement["you_hope_to_gain"]) == (
        mentor.person.name,
        GAINS["mentor_gains"],
    )
    [mine] = export_pairs(subject)
    assert (mine["as"], mine["partner"], mine["state"]) == (
        "mentor",
        leader.person.name,
        "Preparing",
    )
    counts = erase_preparation(subject)
    assert counts == {"completions": 1, "seats": 0, "reminders": 0, "signatures": 1}
    assert not ModuleCompletion.objects.exists()
    a = Agreement.objects.get(pair=pair)
    assert (a.mentor_signed_name, a.mentor_gains, a.leader_gains) == ("", "", GAINS["leader_gains"])
