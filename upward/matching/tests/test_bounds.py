"""Bounds kept by the candidate scan, and the proof of optimality that relies on them."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from upward.matching import MatchingPolicy, MatchingProblem, Participant, Weights, weekly_slots
from upward.matching import candidates as candidates_module
from upward.matching.bounds import GROUP, decode, encode, score_slack
from upward.matching.candidates import build_candidates
from upward.matching.synthetic import generate
from upward.matching.tests.oracle import scipy_optimum
from upward.matching.tests.test_engine import check_result, dense_scores


def true_bounds(problem: MatchingProblem, k: int) -> tuple[np.ndarray, np.ndarray, object]:  # type: ignore[type-arg]
    """(exact score, bound) of every allowed pair outside the candidates, and the candidates.

    A pair's bound is the stored maximum of its group of mentors in the block that scanned it
    (plus slack), or, for a pair that was offered to the leader's list and left it, its own
    block score (plus slack); ``-inf`` when neither covers it.
    """
    scorer = problem.scorer()
    cands = build_candidates(scorer, k=k)
    bounds = cands.bounds
    assert bounds is not None
    n_l, n_m = len(problem.leaders), len(problem.mentors)
    bound = np.full((n_l, n_m), -np.inf)
    for b in range(len(bounds)):
        li, mj = bounds.leaders[b], bounds.mentors[b]
        cells = np.repeat(decode(bounds.maxima[b]), GROUP, axis=1)[:, : mj.size]
        np.maximum.at(bound, (li[:, None], mj[None, :]), cells + bounds.slack)
    ll, lm, ls = bounds.left()
    np.maximum.at(bound, (ll, lm), ls.astype(np.float64) + bounds.slack)
    scores = dense_scores(problem)
    outside = ~np.isnan(scores)
    outside[cands.leaders, cands.mentors] = False
    return scores[outside], bound[outside], cands


# Small blocks so that a few hundred people fill many blocks and leaders' lists change
# between blocks (pairs leave the lists).
SMALL_BLOCKS = {"BLOCK_COLUMNS": 64, "BLOCK_ELEMENTS": 1024}


@settings(max_examples=25, deadline=None)
@given(
    size=st.integers(60, 400),
    seed=st.integers(0, 2**16),
    weights=st.tuples(*[st.integers(0, 10)] * 8),
    small=st.booleans(),
)
def test_bounds_are_at_least_every_pair_score_outside_the_candidates(
    size: int, seed: int, weights: tuple[int, ...], small: bool
) -> None:
    prog = generate(size, seed=seed)
    if sum(weights[:5]) + sum(weights[6:]) == 0:
        weights = (1, *weights[1:])
    names = ("topics", "text", "objectives", "seniority", "difference")
    names += ("availability", "culture_change", "preferences")
    policy = replace(
        prog.policy,
        weights=Weights(**dict(zip(names, map(float, weights), strict=True))),
        candidates_per_person=20,
    )
    problem = MatchingProblem(prog.leaders, prog.mentors, policy)
    with pytest.MonkeyPatch.context() as mp:
        if small:
            for name, value in SMALL_BLOCKS.items():
                mp.setattr(candidates_module, name, value)
        scores, bound, _ = true_bounds(problem, 20)
    assert (bound >= scores).all(), float((scores - bound).max())


def test_small_blocks_do_make_pairs_leave_the_lists() -> None:
    # The property test above is only meaningful if pairs do leave lists with small blocks.
    prog = generate(400, seed=3)
    problem = MatchingProblem(prog.leaders, prog.mentors, replace(prog.policy))
    with pytest.MonkeyPatch.context() as mp:
        for name, value in SMALL_BLOCKS.items():
            mp.setattr(candidates_module, name, value)
        scores, bound, cands = true_bounds(problem, 20)
    assert cands.bounds is not None and cands.bounds.left()[0].size > 100  # type: ignore[attr-defined]
    assert len(cands.bounds) > 20  # type: ignore[attr-defined]
    assert (bound >= scores).all()
    # The bounds are tight enough to be useful: most are within 10 points of the score.
    assert np.median(bound - scores) < 10


def test_stored_bounds_round_up() -> None:
    values = np.array([[0.0, 12.341, 99.999, 100.0, -np.inf, 57.5]], dtype=np.float32)
    back = decode(encode(values))
    assert back[0, 4] == -np.inf
    finite = np.isfinite(values[0])
    assert (back[0, finite] >= values[0, finite]).all()
    assert (back[0, finite] - values[0, finite] <= 0.0101).all()
    assert score_slack(100) == pytest.approx(0.01)
    assert score_slack(10_000) > 0.2


def planted_programme() -> tuple[list[Participant], list[Participant], MatchingPolicy, set[str]]:
    """A synthetic programme with a planted group that the candidate lists cannot serve.

    Sixty identical leaders seek a topic nobody else has. Fifty planted mentors offer it;
    every planted leader scores the same twenty of them highest (culture-change experience),
    so all sixty leader lists name the same twenty mentors. The other thirty planted mentors
    score higher with the planted leaders than any other mentor, but reach the leaders' lists
    of nobody, and their own lists hold only one planted leader per block of leaders. The
    optimum pairs fifty planted leaders with the fifty planted mentors: at least 28 of those
    pairs lie outside the candidate lists and only the proof can find them.
    """
    prog = generate(1500, seed=5)
    week = weekly_slots(0, days=range(7), start=0, end=24)
    leaders = list(prog.leaders) + [
        Participant.leader(
            f"planted-leader-{i}",
            organisation="Planted Ltd",
            department="Board",
            grade=9,
            topics_sought=frozenset({"planted topic"}),
            availability=week,
            languages=frozenset({"English"}),
        )
        for i in range(60)
    ]
    mentors = list(prog.mentors) + [
        Participant.mentor(
            f"planted-mentor-{j}",
            organisation="Planted Ltd",
            department="Stores",
            grade=2,
            topics_offered=frozenset({"planted topic"}),
            availability=week,
            languages=frozenset({"English"}),
            culture_change=3 if j < 20 else 1,
        )
        for j in range(50)
    ]
    policy = replace(prog.policy, candidates_per_person=20)
    return leaders, mentors, policy, {f"planted-mentor-{j}" for j in range(20, 50)}


def test_proof_finds_planted_pairs_outside_the_candidate_lists() -> None:
    leaders, mentors, policy, unlisted = planted_programme()
    problem = MatchingProblem(leaders, mentors, policy)
    cands = build_candidates(problem.scorer(), k=20)
    listed = {
        (problem.leaders[i].id, problem.mentors[j].id)
        for i, j in zip(cands.leaders.tolist(), cands.mentors.tolist(), strict=True)
    }
    planted_leaders = {p.id for p in leaders if str(p.id).startswith("planted-leader")}
    # Candidate pairs of planted leaders with the thirty other planted mentors come from the
    # mentors' lists only, and name one planted leader per block of leaders.
    via_lists = {lid for lid, mid in listed if lid in planted_leaders and mid in unlisted}
    assert len(via_lists) <= 2

    result = problem.match()
    check_result(problem, result)
    assert result.stats.certified_optimal
    found = {(p.leader_id, p.mentor_id) for p in result.pairs} - listed
    planted_found = {(lid, mid) for lid, mid in found if lid in planted_leaders and mid in unlisted}
    assert len(planted_found) >= 28
    # Same total as the dense optimum over every allowed pair.
    scores = dense_scores(problem)
    n_best, total_best = scipy_optimum(scores, [m.capacity for m in problem.mentors])
    assert result.stats.pairs == n_best
    assert result.stats.total_score == pytest.approx(total_best, abs=1e-6)
    # The bounds ruled out most pairs: over all its rounds, the proof scored fewer pairs
    # again than a third of one pass over every pair.
    all_pairs = len(problem.leaders) * len(problem.mentors)
    assert 0 < result.stats.proof_pairs_scored < all_pairs / 3


@settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 2**16), size=st.integers(120, 360), excluded=st.integers(0, 30))
def test_proved_optimum_equals_dense_optimum_with_small_blocks(
    seed: int, size: int, excluded: int
) -> None:
    # Small blocks: many blocks per leader, pairs leave the lists, every part of the bounds
    # is used by the proof. Some pairs are excluded, as after declines.
    prog = generate(size, seed=seed)
    policy = replace(prog.policy, candidates_per_person=20)
    problem = MatchingProblem(prog.leaders, prog.mentors, policy)
    rng = np.random.default_rng(seed)
    gone = [
        (problem.leaders[int(i)].id, problem.mentors[int(j)].id)
        for i, j in zip(
            rng.integers(0, len(problem.leaders), excluded),
            rng.integers(0, len(problem.mentors), excluded),
            strict=True,
        )
    ]
    with pytest.MonkeyPatch.context() as mp:
        for name, value in SMALL_BLOCKS.items():
            mp.setattr(candidates_module, name, value)
        result = problem.match(excluded=gone)
    check_result(problem, result)
    assert result.stats.certified_optimal
    scores = dense_scores(problem, gone)
    n_best, total_best = scipy_optimum(scores, [m.capacity for m in problem.mentors])
    assert result.stats.pairs == n_best
    assert result.stats.total_score == pytest.approx(total_best, abs=1e-6)


def test_potentials_of_a_solution_that_is_not_optimal_prove_nothing() -> None:
    from upward.matching.pricing import leader_potentials, potentials_hold

    prog = generate(200, seed=2)
    problem = MatchingProblem(prog.leaders, prog.mentors, replace(prog.policy))
    scorer = problem.scorer()
    cands = build_candidates(scorer, k=20)
    scores = scorer.scores_of(cands.leaders, cands.mentors)
    n_l, n_m = len(problem.leaders), len(problem.mentors)
    capacity = problem.arrays.mentors.capacity
    active = np.ones(n_l, dtype=bool)
    z = np.zeros(0, dtype=np.int64)
    best = problem._solve(cands, scores, z, z)
    args = (cands.leaders, cands.mentors, scores)

    def holds(chosen: np.ndarray) -> bool:  # type: ignore[type-arg]
        mask = np.zeros(len(cands), dtype=bool)
        mask[chosen] = True
        pots = leader_potentials(n_l, n_m, *args, mask, capacity, active)
        return potentials_hold(pots, *args, mask, capacity, active)

    assert holds(best)
    # Give one matched leader its worst candidate mentor with a free place instead.
    load = np.bincount(cands.mentors[best], minlength=n_m)
    for pos in best.tolist():
        lid = int(cands.leaders[pos])
        mine = np.flatnonzero(
            (cands.leaders == lid) & (load[cands.mentors] < capacity[cands.mentors])
        )
        if mine.size and scores[mine].min() < scores[pos] - 1:
            worse = int(mine[np.argmin(scores[mine])])
            break
    else:
        raise AssertionError("no leader with a worse free mentor")
    chosen = np.sort(np.concatenate([best[best != pos], [worse]]))
    assert not holds(chosen)
