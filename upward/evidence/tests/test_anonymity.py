"""The anonymity engine: its rules on worked examples, and a hypothesis search for any way to
compute a group below the threshold from what the engine releases (no database)."""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from upward.evidence import anonymity as a
from upward.evidence.anonymity import Population, Reason, make_segment


def pop(counts: dict[tuple[str, ...], int], dims: tuple[str, ...] = ("side", "org")) -> Population:
    return Population(dims, counts)


def seg(**filters: str) -> a.Segment:
    return make_segment(filters)


# --- thresholds -------------------------------------------------------------------------------


def test_threshold_defaults_to_five_and_is_never_below_three() -> None:
    assert a.threshold_for(None) == 5
    assert a.threshold_for(7) == 7
    assert a.threshold_for(2) == 3
    assert a.threshold_for(0) == 3
    assert a.comment_threshold_for(5) == 10
    assert a.comment_threshold_for(12) == 12
    with pytest.raises(ValueError, match="never below 3"):
        a.plan(pop({("m", "A"): 9}), 2)


# --- the rules on worked examples ---------------------------------------------------------------


def test_whole_campaign_below_n_is_hidden_and_so_is_everything_under_it() -> None:
    p = a.plan(pop({("m", "A"): 2, ("l", "A"): 2}), 5)
    assert p.released == frozenset()
    assert p.hidden[()] is Reason.TOO_FEW
    assert p.hidden[seg(side="m")] is Reason.PARENT


def test_remainder_rule_refuses_a_large_segment_whose_rest_is_small() -> None:
    # Company 12 = A 9 + B 3: B is too small, and A is refused because 12 - 9 = 3 < 5.
    p = a.plan(Population(("org",), {("A",): 9, ("B",): 3}), 5)
    assert p.allows(())
    assert p.hidden[seg(org="B")] is Reason.TOO_FEW
    assert p.hidden[seg(org="A")] is Reason.REMAINDER


def test_next_smallest_sibling_is_hidden_with_a_small_group() -> None:
    # 3 teams: 6, 7, 2. Hiding 2 alone would leave it = total - 6 - 7, so 6 goes too.
    p = a.plan(Population(("team",), {("x",): 6, ("y",): 7, ("z",): 2}), 5)
    assert p.hidden[seg(team="z")] is Reason.TOO_FEW
    assert p.hidden[seg(team="x")] is Reason.SIBLING
    assert p.allows(seg(team="y"))
    assert p.allows(())


def test_sibling_suppression_stops_once_hidden_groups_reach_n() -> None:
    p = a.plan(Population(("team",), {("w",): 3, ("x",): 3, ("y",): 8, ("z",): 9}), 5)
    assert p.hidden[seg(team="w")] is Reason.TOO_FEW
    assert p.hidden[seg(team="x")] is Reason.TOO_FEW
    assert p.allows(seg(team="y")) and p.allows(seg(team="z"))


def test_cross_filters_are_refused_when_they_would_open_a_small_cell() -> None:
    # Sides and organisations are both fine on their own; mentor & A would leave mentor & B = 2
    # as (mentor) - (mentor & A), so the pair filter under mentor is refused.
    counts = {("m", "A"): 8, ("m", "B"): 2, ("l", "A"): 6, ("l", "B"): 7}
    p = a.plan(pop(counts), 5)
    assert p.allows(seg(side="m")) and p.allows(seg(org="B"))
    assert not p.allows(seg(side="m", org="A"))
    assert not p.allows(seg(side="m", org="B"))
    assert_no_small_group_learnable(p)


def test_aggregate_and_comments_answer_only_what_the_plan_allows() -> None:
    rows = [({"team": "x"}, 4.0)] * 6 + [({"team": "y"}, 2.0)] * 7 + [({"team": "z"}, 1.0)] * 2
    p = a.plan(Population.from_rows(("team",), [r for r, _ in rows]), 5)
    whole = a.aggregate(p, (), rows)
    assert whole == a.Aggregate((), 15, (24 + 14 + 2) / 15, 40.0)
    assert a.aggregate(p, seg(team="y"), rows) == a.Aggregate(seg(team="y"), 7, 2.0, 14.0)
    assert a.aggregate(p, seg(team="z"), rows) == a.Hidden(seg(team="z"), Reason.TOO_FEW)
    assert a.aggregate(p, seg(team="x"), rows) == a.Hidden(seg(team="x"), Reason.SIBLING)
    texts = [({"team": "x"}, f"comment {i}") for i in range(15)]
    shown = a.release_comments(p, (), texts, seed=1)
    assert isinstance(shown, list) and sorted(shown) == sorted(t for _, t in texts)
    assert shown != sorted(shown)  # shuffled, not in storage order
    assert a.release_comments(p, seg(team="y"), texts, seed=1) == a.Hidden(
        seg(team="y"), Reason.TOO_FEW
    )


def test_comments_are_refused_where_intersections_would_open_a_small_cell() -> None:
    counts = {("m", "A"): 12, ("m", "B"): 4, ("l", "A"): 11, ("l", "B"): 12}
    p = a.plan(pop(counts), 5)
    assert p.allows_comments(())
    assert p.allows_comments(seg(side="m"))
    # side=l is fine on its own, but with org=B released too, m & B (4) = B \ l would show.
    assert not (p.allows_comments(seg(org="B")) and p.allows_comments(seg(side="m")))
    assert_comments_safe(p)


# --- the attacker (an exact oracle, independent of the engine's own check) ----------------------


def _rank(rows: list[list[Fraction]]) -> int:
    m = [r[:] for r in rows]
    rank, cols = 0, len(m[0]) if m else 0
    for c in range(cols):
        pivot = next((i for i in range(rank, len(m)) if m[i][c] != 0), None)
        if pivot is None:
            continue
        m[rank], m[pivot] = m[pivot], m[rank]
        for i in range(len(m)):
            if i != rank and m[i][c] != 0:
                f = m[i][c] / m[rank][c]
                m[i] = [x - f * y for x, y in zip(m[i], m[rank], strict=True)]
        rank += 1
    return rank


def learnable_small_groups(
    p: a.Plan, released: set[a.Segment]
) -> list[tuple[tuple[str, ...], ...]]:
    """Every group of 1..n-1 respondents whose count and sum follow from ``released`` figures.

    An attacker holding the count and sum of each released segment can compute exactly the
    linear combinations of their indicator vectors; we try every union of atoms.
    """
    atoms = [x for x, c in p.population.atoms.items() if c > 0]
    vecs = [
        [Fraction(1 if p.population.matches(x, s) else 0) for x in atoms] for s in sorted(released)
    ]
    base = _rank(vecs) if vecs else 0
    found = []
    for k in range(1, p.n):
        for combo in itertools.combinations(range(len(atoms)), k):
            size = sum(p.population.atoms[atoms[i]] for i in combo)
            if not 0 < size < p.n:
                continue
            target = [Fraction(1 if i in combo else 0) for i in range(len(atoms))]
            if vecs and _rank([*vecs, target]) == base:
                found.append(tuple(atoms[i] for i in combo))
    return found


def assert_no_small_group_learnable(p: a.Plan) -> None:
    assert learnable_small_groups(p, set(p.released)) == []


def assert_comments_safe(p: a.Plan) -> None:
    """Comment sets can be intersected too: every Boolean cell must hold enough people."""
    threshold = a.comment_threshold_for(p.n)
    cells: dict[tuple[bool, ...], int] = {}
    segs = sorted(p.comments_released)
    for atom, count in p.population.atoms.items():
        key = tuple(p.population.matches(atom, s) for s in segs)
        cells[key] = cells.get(key, 0) + count
    for key, count in cells.items():
        if any(key) and count:
            assert count >= threshold, (key, count)


VALUES = {"side": ["l", "m"], "org": ["A", "B", "C"], "cohort": ["1", "2"]}


@st.composite
def populations(draw: st.DrawFn) -> Population:
    dims = tuple(draw(st.sampled_from([("side", "org"), ("side", "org", "cohort"), ("org",)])))
    atoms = list(itertools.product(*(VALUES[d] for d in dims)))
    counts = draw(st.lists(st.integers(0, 9), min_size=len(atoms), max_size=len(atoms)))
    # Small cells are the interesting ones: bias towards them.
    return Population(dims, dict(zip(atoms, counts, strict=True)))


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(populations(), st.integers(3, 6))
def test_no_released_set_lets_an_attacker_compute_a_small_group(
    population: Population, n: int
) -> None:
    p = a.plan(population, n)
    assert_no_small_group_learnable(p)
    assert_comments_safe(p)
    for s in p.released:
        assert population.count(s) >= n


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(populations(), st.integers(3, 6), st.data())
def test_a_sequence_of_filters_never_reveals_a_small_group(
    population: Population, n: int, data: st.DataObject
) -> None:
    """A viewer tries filters one after another, several times, and keeps every answer."""
    p = a.plan(population, n)
    candidates = a.candidate_segments(population)
    rows = [
        (dict(zip(population.dimensions, atom, strict=True)), float(i % 5 + 1))
        for atom, c in population.atoms.items()
        for i in range(c)
    ]
    sequence = data.draw(st.lists(st.sampled_from(candidates), min_size=1, max_size=12))
    seen: set[a.Segment] = set()
    for s in sequence:
        answer = a.aggregate(p, s, rows)
        if isinstance(answer, a.Aggregate):
            assert answer.respondents >= n
            seen.add(s)
        else:
            assert answer.reason is not None
    assert learnable_small_groups(p, seen) == []


@settings(max_examples=100, deadline=None)
@given(populations(), st.integers(3, 6))
def test_the_plan_does_not_depend_on_what_was_asked_before(population: Population, n: int) -> None:
    assert a.plan(population, n) == a.plan(population, n)
