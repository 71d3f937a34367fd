"""Candidate lists: exact top-k per person, and skipped blocks really are forbidden."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from upward.matching import HardRules, MatchingPolicy, MatchingProblem, Rule, weekly_slots
from upward.matching.candidates import block_plan, build_candidates, top_k_columns
from upward.matching.synthetic import generate
from upward.matching.tests.factories import leader, mentor


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 6), st.integers(1, 3000), st.integers(1, 40), st.integers(0, 2**31))
def test_top_k_columns_finds_the_k_largest(rows: int, width: int, k: int, seed: int) -> None:
    k = min(k, width)
    rng = np.random.default_rng(seed)
    values = np.round(rng.normal(size=(rows, width)), 1).astype(np.float32)  # many ties
    values[rng.random((rows, width)) < 0.2] = -np.inf
    idx = top_k_columns(values, k)
    assert idx.shape == (rows, k)
    for r in range(rows):
        assert len(set(idx[r].tolist())) == k
        got = np.sort(values[r, idx[r]])
        expected = np.sort(values[r])[-k:]
        assert np.array_equal(got, expected)


def brute_force_top(problem: MatchingProblem, k: int, mentor_k: int) -> set[tuple[int, int]]:
    """Every leader's and every mentor's k best allowed partners, by sorting all pairs."""
    scorer = problem.scorer()
    n_l, n_m = len(problem.leaders), len(problem.mentors)
    full = scorer.block(np.arange(n_l), scorer.mentor_view(None)).astype(np.float64)
    out: set[tuple[int, int]] = set()
    for i in range(n_l):
        row = full[i]
        kth = np.sort(row)[-min(k, n_m)]
        out |= {(i, int(j)) for j in np.flatnonzero((row > kth) & np.isfinite(row))}
    for j in range(n_m):
        col = full[:, j]
        kth = np.sort(col)[-min(mentor_k, n_l)]
        out |= {(int(i), j) for i in np.flatnonzero((col > kth) & np.isfinite(col))}
    return out


def test_candidates_contain_every_strict_top_k() -> None:
    prog = generate(900, seed=11, organisations=2)
    problem = MatchingProblem(prog.leaders, prog.mentors, prog.policy)
    scorer = problem.scorer()
    cands = build_candidates(scorer, k=20, mentor_k=7)
    got = set(zip(cands.leaders.tolist(), cands.mentors.tolist(), strict=True))
    # Pairs strictly above each person's k-th best must all be there (ties may go either way).
    # Leaders: their exact top 20. Mentors: at least their single best leader.
    assert brute_force_top(problem, 20, 1) <= got
    # Every candidate is allowed.
    assert scorer.pair_allowed(cands.leaders, cands.mentors).all()
    # The same with one worker thread: same lists.
    single = build_candidates(scorer, k=20, mentor_k=7, workers=1)
    assert np.array_equal(single.leaders, cands.leaders)
    assert np.array_equal(single.mentors, cands.mentors)


def test_availability_plan_only_skips_forbidden_pairs() -> None:
    prog = generate(2500, seed=2, organisations=3)
    problem = MatchingProblem(prog.leaders, prog.mentors, prog.policy)
    scorer = problem.scorer()
    plan = block_plan(scorer)
    n_l, n_m = len(prog.leaders), len(prog.mentors)
    covered = np.zeros((n_l, n_m), dtype=bool)
    for li, mj in plan:
        if mj is None:
            covered[li, :] = True
        else:
            covered[np.ix_(li, mj)] = True
    ll, mm = np.nonzero(~covered)
    assert ll.size > 0.3 * n_l * n_m  # the plan does skip a lot here
    rules = scorer.pair_rule_pass(ll, mm)
    assert not rules[Rule.AVAILABILITY].any()  # every skipped pair fails the availability rule
    # Each leader appears in exactly one group.
    seen = np.concatenate([li for li, _ in plan])
    assert np.array_equal(np.sort(seen), np.arange(n_l))


def test_plan_scores_everything_when_availability_does_not_restrict() -> None:
    problem = MatchingProblem(
        [leader("cto", availability=weekly_slots(0)), leader("cfo")],
        [mentor("eng-jr"), mentor("fin-jr")],
        MatchingPolicy(rules=HardRules(min_common_hours=0)),
    )
    plan = block_plan(problem.scorer())
    assert len(plan) == 1 and plan[0][1] is None
