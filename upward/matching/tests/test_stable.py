"""Deferred acceptance against published answers and the theory of stable matchings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from upward.matching import MatchingInputError, blocking_pairs, stable_match

REPO_ROOT = Path(__file__).resolve().parents[3]
DATA = REPO_ROOT.parent / "shared" / "data" / "stable-matching"
# Games in known_answers.json that Upward offers; stable roommates (one group pairing within
# itself) and student-project allocation are different problems and are not implemented.
SUPPORTED = {"hospital_resident", "stable_marriage"}


def known_answers() -> dict[str, Any]:
    path = DATA / "known_answers.json"
    if not path.exists():
        pytest.skip(f"stable matching answers not found at {path}")
    data: dict[str, Any] = json.loads(path.read_text())
    return {k: v for k, v in data.items() if not k.startswith("_")}


def hr_instance(
    inst: dict[str, Any],
) -> tuple[list[str], list[str], list[list[int]], list[list[int]], list[int]]:
    residents = list(inst["resident_prefs"])
    hospitals = list(inst["hospital_prefs"])
    r_prefs = [[hospitals.index(h) for h in inst["resident_prefs"][r]] for r in residents]
    h_prefs = [[residents.index(r) for r in inst["hospital_prefs"][h]] for h in hospitals]
    capacity = [inst["capacities"][h] for h in hospitals]
    return residents, hospitals, r_prefs, h_prefs, capacity


def test_every_supported_known_answer_is_covered() -> None:
    games = {inst["game"] for inst in known_answers().values()}
    assert {"hospital_resident", "stable_marriage"} <= games


@pytest.mark.parametrize("optimal", ["resident", "hospital"])
def test_hospital_resident_known_answers(optimal: str) -> None:
    checked = 0
    for name, inst in known_answers().items():
        if inst["game"] != "hospital_resident":
            continue
        residents, hospitals, r_prefs, h_prefs, capacity = hr_instance(inst)
        # The answers are resident-optimal; the README example is also hospital-optimal.
        if optimal == "hospital" and name != "hr_readme":
            continue
        result = stable_match(r_prefs, h_prefs, capacity, optimal=optimal)  # type: ignore[arg-type]
        got = {
            hospitals[h]: sorted(residents[r] for r in result.hospital_residents[h])
            for h in range(len(hospitals))
        }
        expected = {h: sorted(rs) for h, rs in inst["expected"].items()}
        assert got == expected, name
        assert blocking_pairs(r_prefs, h_prefs, capacity, result.resident_match) == []
        checked += 1
    assert checked >= (1 if optimal == "hospital" else 3)


def test_hospital_lists_are_in_hospital_preference_order() -> None:
    inst = known_answers()["hr_readme"]
    residents, hospitals, r_prefs, h_prefs, capacity = hr_instance(inst)
    result = stable_match(r_prefs, h_prefs, capacity)
    m = hospitals.index("M")
    assert [residents[r] for r in result.hospital_residents[m]] == ["L", "S"]


def test_stable_marriage_known_answers() -> None:
    checked = 0
    for name, inst in known_answers().items():
        if inst["game"] != "stable_marriage":
            continue
        suitors = list(inst["suitor_prefs"])
        reviewers = list(inst["reviewer_prefs"])
        s_prefs = [[reviewers.index(x) for x in inst["suitor_prefs"][s]] for s in suitors]
        r_prefs = [[suitors.index(x) for x in inst["reviewer_prefs"][r]] for r in reviewers]
        result = stable_match(s_prefs, r_prefs)
        got = {suitors[s]: reviewers[r] for s, r in result.pairs}
        assert got == inst["expected"], name
        checked += 1
    assert checked == 2


def test_issue_159_instance_is_stable_and_both_sides_agree_on_who_is_matched() -> None:
    path = DATA / "hr_issue_159.json"
    if not path.exists():
        pytest.skip(f"{path} not found")
    data = json.loads(path.read_text())
    hospitals = sorted(data["hospitals"], key=int)
    residents = sorted(data["residents"], key=int)
    h_prefs = [data["hospitals"][h] for h in hospitals]
    r_prefs = [data["residents"][r] for r in residents]
    by_residents = stable_match(r_prefs, h_prefs, optimal="resident")
    by_hospitals = stable_match(r_prefs, h_prefs, optimal="hospital")
    for result in (by_residents, by_hospitals):
        assert blocking_pairs(r_prefs, h_prefs, None, result.resident_match) == []
        # Only mutually acceptable pairs are used (many lists here are one-sided).
        for r, h in result.pairs:
            assert h in r_prefs[r] and r in h_prefs[h]
    # The `matching` package and an independent implementation both match 37 residents.
    assert len(by_residents.pairs) == 37
    # Rural hospitals theorem: same matched residents, same hospital fill.
    assert by_residents.unmatched == by_hospitals.unmatched
    fill_r = np.bincount(
        by_residents.resident_match[by_residents.resident_match >= 0], minlength=50
    )
    fill_h = np.bincount(
        by_hospitals.resident_match[by_hospitals.resident_match >= 0], minlength=50
    )
    assert list(fill_r) == list(fill_h)


@st.composite
def hr_games(draw: st.DrawFn) -> tuple[list[list[int]], list[list[int]], list[int]]:
    n_r = draw(st.integers(1, 9))
    n_h = draw(st.integers(1, 5))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    r_prefs = [rng.permutation(n_h)[: rng.integers(0, n_h + 1)].tolist() for _ in range(n_r)]
    h_prefs = [rng.permutation(n_r)[: rng.integers(0, n_r + 1)].tolist() for _ in range(n_h)]
    capacity = rng.integers(0, 3, size=n_h).tolist()
    return r_prefs, h_prefs, capacity


@settings(max_examples=200, deadline=None)
@given(hr_games())
def test_random_games_resident_and_hospital_optimal_properties(
    game: tuple[list[list[int]], list[list[int]], list[int]],
) -> None:
    r_prefs, h_prefs, capacity = game
    res = stable_match(r_prefs, h_prefs, capacity, optimal="resident")
    hos = stable_match(r_prefs, h_prefs, capacity, optimal="hospital")
    for result in (res, hos):
        assert blocking_pairs(r_prefs, h_prefs, capacity, result.resident_match) == []
    assert res.unmatched == hos.unmatched  # rural hospitals theorem
    for r, prefs in enumerate(r_prefs):
        a, b = int(res.resident_match[r]), int(hos.resident_match[r])
        if a >= 0:
            # Every resident likes the resident-optimal outcome at least as much.
            assert prefs.index(a) <= prefs.index(b)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (([], [[0]]), "at least one resident"),
        (([[0]], []), "at least one"),
        (([[1]], [[0]]), "outside"),
        (([[0, 0]], [[0]]), "twice"),
        (([[0]], [[0]], [-1]), "negative"),
        (([[0]], [[0]], [1, 1]), "one per hospital"),
    ],
)
def test_bad_input(args: tuple[Any, ...], message: str) -> None:
    with pytest.raises(MatchingInputError, match=message):
        stable_match(*args)


def test_unknown_orientation_is_refused() -> None:
    with pytest.raises(MatchingInputError, match="optimal"):
        stable_match([[0]], [[0]], optimal="mentor")  # type: ignore[arg-type]
