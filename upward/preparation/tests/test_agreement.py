"""The agreement: both edit a draft, both sign; a change after signing makes a new version that
both sign again, old versions stay readable; the PDF holds the topics and both names."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader

from upward.pairs.models import Pair
from upward.preparation import services
from upward.preparation.errors import PreparationRuleBroken, VersionConflict
from upward.preparation.models import Agreement
from upward.preparation.pdf import agreement_pdf

pytestmark = pytest.mark.django_db

GAINS = {"leader_gains": "Hear it straight.", "mentor_gains": "See how decisions are made."}


def current(pair: Pair) -> Agreement:
    return Agreement.objects.filter(pair=pair).order_by("-number").first()  # type: ignore[return-value]


def sign(pair: Pair, user: Any, a: Agreement | None = None) -> Agreement:
    a = a or current(pair)
    return services.agreement_sign(
        pair=pair, user=user, number=a.number, revision=a.revision, typed_name=user.person.name
    )


def test_draft_edits_in_place_with_a_revision(pair: Pair, leader: Any, mentor: Any) -> None:
    a = current(pair)
    edited = services.agreement_edit(pair=pair, by=leader, revision=a.revision, changes=GAINS)
    assert (edited.number, edited.revision, edited.leader_gains) == (1, 2, "Hear it straight.")
    with pytest.raises(VersionConflict):
        services.agreement_edit(pair=pair, by=mentor, revision=1, changes={"boundaries": "x"})
    assert current(pair).boundaries == a.boundaries
    assert Agreement.objects.filter(pair=pair).count() == 1


def test_a_change_after_signing_makes_a_new_version_both_sign_again(
    pair: Pair, leader: Any, mentor: Any
) -> None:
    a = services.agreement_edit(pair=pair, by=leader, revision=1, changes=GAINS)
    sign(pair, leader)
    sign(pair, mentor)
    v1 = current(pair)
    assert v1.signed_by_both and v1.leader_signed_name == leader.person.name
    v2 = services.agreement_edit(
        pair=pair, by=mentor, revision=v1.revision, changes={"boundaries": "No talk of pay."}
    )
    assert (v2.number, v2.boundaries, v2.leader_gains) == (2, "No talk of pay.", a.leader_gains)
    assert (v2.leader_signed_at, v2.mentor_signed_at, v2.leader_signed_name) == (None, None, "")
    old = Agreement.objects.get(pair=pair, number=1)
    assert old.signed_by_both and old.boundaries == a.boundaries  # kept as it was signed
    with pytest.raises(PreparationRuleBroken, match="now at version 2"):
        services.agreement_sign(
            pair=pair, user=leader, number=1, revision=v2.revision, typed_name=leader.person.name
        )
    assert current(pair).leader_signed_at is None


def test_signing_needs_the_typed_name_and_both_gains(pair: Pair, leader: Any, mentor: Any) -> None:
    with pytest.raises(PreparationRuleBroken, match="hopes to gain"):
        sign(pair, leader)
    services.agreement_edit(pair=pair, by=leader, revision=1, changes=GAINS)
    a = current(pair)
    with pytest.raises(PreparationRuleBroken, match="type your full name"):
        services.agreement_sign(
            pair=pair, user=leader, number=1, revision=a.revision, typed_name="Someone Else"
        )
    signed = services.agreement_sign(
        pair=pair,
        user=leader,
        number=1,
        revision=a.revision,
        typed_name="  " + leader.person.name.upper() + " ",
    )
    assert signed.leader_signed_at is not None and signed.mentor_signed_at is None
    with pytest.raises(PreparationRuleBroken, match="already signed"):
        sign(pair, leader)


def test_only_the_two_people_edit_or_sign(pair: Pair, coordinator: Any) -> None:
    with pytest.raises(PreparationRuleBroken, match="Only the two people"):
        services.agreement_edit(pair=pair, by=coordinator, revision=1, changes=GAINS)


def test_bad_choices_change_nothing(pair: Pair, leader: Any) -> None:
    for changes, message in (
        ({"cadence": "daily"}, "how often"),
        ({"meeting_minutes": 5}, "between 15 and 240"),
        ({"topics": "  "}, "cannot be empty"),
        ({"version": 3}, "cannot be changed"),
    ):
        with pytest.raises(PreparationRuleBroken, match=message):
            services.agreement_edit(pair=pair, by=leader, revision=1, changes=changes)
    assert current(pair).revision == 1


def test_pdf_is_valid_and_holds_topics_names_version_and_signatures(
    pair: Pair, leader: Any, mentor: Any
) -> None:
    services.agreement_edit(
        pair=pair,
        by=leader,
        revision=1,
        changes={**GAINS, "topics": "- Flexible working\n- Being heard in meetings"},
    )
    sign(pair, mentor)
    a = current(pair)
    pdf = agreement_pdf(pair, a, a.number)
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    for expected in (
        "Mentoring agreement",
        "Flexible working",
        "Being heard in meetings",
        leader.person.name,
        mentor.person.name,
        "version 1",
        f"{mentor.person.name} {mentor.person.name}",  # typed signature beside the name
        "Not signed",
    ):
        assert expected in flat, expected
