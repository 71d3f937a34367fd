"""The gate: a pair becomes active only when both finished their required training and both
signed the current agreement; both are told; a coordinator's waiver is logged and counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from upward.pairs.models import Pair
from upward.preparation import gate, services
from upward.preparation.errors import PreparationRuleBroken, VersionConflict
from upward.preparation.models import Module, Track, Waiver

from .test_agreement import GAINS, current, sign

pytestmark = pytest.mark.django_db


def finish(user: Any, tracks: list[Track], audiences: set[str]) -> None:
    for module in Module.objects.filter(track__in=tracks, track__audience__in=audiences):
        answers = {q.pk: q.answer for q in module.questions.all()}
        services.module_complete(module=module, user=user, answers=answers)


def test_gate_blocks_then_releases_activation_and_tells_both(
    pair: Pair,
    tracks: list[Track],
    leader: Any,
    mentor: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    assert gate.status_of(pair).waits_for == [
        "training:leader",
        "training:mentor",
        "signature:leader",
        "signature:mentor",
    ]
    assert gate.status_of(pair).modules_done == {"leader": (0, 5), "mentor": (0, 5)}
    services.agreement_edit(pair=pair, by=leader, revision=1, changes=GAINS)
    sign(pair, leader)
    sign(pair, mentor)
    pair.refresh_from_db()
    assert pair.state == "preparing"
    assert gate.status_of(pair).waits_for == ["training:leader", "training:mentor"]
    finish(leader, tracks, {"leaders", "everyone"})
    pair.refresh_from_db()
    assert pair.state == "preparing"
    assert gate.status_of(pair).waits_for == ["training:mentor"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        finish(mentor, tracks, {"mentors", "everyone"})
    pair.refresh_from_db()
    assert pair.state == "active"
    assert sorted(m.to[0] for m in mail.outbox) == ["leader@upward.test", "mentor@upward.test"]
    assert "can begin" in mail.outbox[0].subject
    assert list(pair.events.values_list("action", flat=True)) == ["created", "activated"]


def test_a_new_version_after_signing_closes_the_gate_again(
    pair: Pair, leader: Any, mentor: Any
) -> None:
    services.agreement_edit(pair=pair, by=leader, revision=1, changes=GAINS)
    sign(pair, leader)
    assert "signature:leader" not in gate.status_of(pair).waits_for
    services.agreement_edit(
        pair=pair, by=mentor, revision=current(pair).revision, changes={"boundaries": "b"}
    )
    assert "signature:leader" in gate.status_of(pair).waits_for


def test_waiver_is_logged_and_releases_activation(
    pair: Pair, tracks: list[Track], leader: Any, mentor: Any, coordinator: Any
) -> None:
    services.agreement_edit(pair=pair, by=leader, revision=1, changes=GAINS)
    sign(pair, leader)
    sign(pair, mentor)
    finish(leader, tracks, {"leaders", "everyone"})
    pair.refresh_from_db()
    with pytest.raises(PreparationRuleBroken, match="Give a reason"):
        services.requirement_waive(
            pair=pair,
            requirement="training:mentor",
            reason=" ",
            by=coordinator,
            version=pair.version,
        )
    with pytest.raises(PreparationRuleBroken, match="already done"):
        services.requirement_waive(
            pair=pair,
            requirement="training:leader",
            reason="x",
            by=coordinator,
            version=pair.version,
        )
    with pytest.raises(PreparationRuleBroken, match="Only the programme's coordinators"):
        services.requirement_waive(
            pair=pair, requirement="training:mentor", reason="x", by=leader, version=pair.version
        )
    with pytest.raises(VersionConflict):
        services.requirement_waive(
            pair=pair, requirement="training:mentor", reason="x", by=coordinator, version=99
        )
    assert not Waiver.objects.exists()
    services.requirement_waive(
        pair=pair,
        requirement="training:mentor",
        reason="Trained in the 2026 pilot",
        by=coordinator,
        version=pair.version,
    )
    pair.refresh_from_db()
    assert pair.state == "active"
    waiver = Waiver.objects.get()
    assert (waiver.requirement, waiver.reason, waiver.by) == (
        "training:mentor",
        "Trained in the 2026 pilot",
        coordinator,
    )
    assert list(pair.events.values_list("action", "actor", "note")) == [
        ("created", None, ""),
        ("waived", coordinator.pk, "The mentor's training waived: Trained in the 2026 pilot"),
        ("activated", coordinator.pk, "Both are prepared and have signed the agreement."),
    ]


def test_pass_mark_must_be_reached(pair: Pair, tracks: list[Track], leader: Any) -> None:
    module = Module.objects.get(title="Learning from one person's story")
    questions = list(module.questions.all())
    wrong = {questions[0].pk: questions[0].answer, questions[1].pk: (questions[1].answer + 1) % 3}
    with pytest.raises(PreparationRuleBroken, match=r"1 of 2 right \(50%\); the pass mark is 100%"):
        services.module_complete(module=module, user=leader, answers=wrong)
    with pytest.raises(PreparationRuleBroken, match=r"missing: 2"):
        services.module_complete(module=module, user=leader, answers={questions[0].pk: 1})
    assert not module.completions.exists()
    done = services.module_complete(
        module=module, user=leader, answers={q.pk: q.answer for q in questions}
    )
    assert done.score == 100


def test_modules_of_the_other_audience_are_not_yours(
    pair: Pair, tracks: list[Track], leader: Any
) -> None:
    module = Module.objects.filter(track__audience="mentors").first()
    assert module is not None
    with pytest.raises(PreparationRuleBroken, match="not part of your training"):
        services.module_complete(module=module, user=leader)
