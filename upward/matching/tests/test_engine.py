"""The whole matching: optimality against SciPy, locks and re-runs, determinism, progress."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from upward.matching import (
    HardRules,
    InfeasibleError,
    LockConflictError,
    MatchingInputError,
    MatchingPolicy,
    MatchingProblem,
    Method,
    Participant,
    ReasonCode,
    Side,
    blocking_pairs,
    check_pair,
    match,
    rank_mentors_for,
)
from upward.matching.synthetic import default_policy, generate
from upward.matching.tests.factories import leader, mentor
from upward.matching.tests.oracle import scipy_optimum


def dense_scores(
    problem: MatchingProblem, excluded: list[tuple[object, object]] = ()
) -> np.ndarray:  # type: ignore[assignment]
    """Every pair's score (nan where a hard rule forbids it), computed pair by pair."""
    scorer = problem.scorer(excluded)  # type: ignore[arg-type]
    n_l, n_m = len(problem.leaders), len(problem.mentors)
    ll, mm = np.meshgrid(np.arange(n_l), np.arange(n_m), indexing="ij")
    scores = scorer.pair_scores(scorer.pair_values(ll.ravel(), mm.ravel()))
    allowed = scorer.pair_allowed(ll.ravel(), mm.ravel())
    return np.where(allowed, scores, np.nan).reshape(n_l, n_m)


def check_result(problem: MatchingProblem, result: object) -> None:
    """Every pair is allowed, no leader twice, no mentor over capacity, reasons for the rest."""
    pairs = result.pairs  # type: ignore[attr-defined]
    leaders = [p.leader_id for p in pairs]
    assert len(leaders) == len(set(leaders))
    index_l = {p.id: i for i, p in enumerate(problem.leaders)}
    index_m = {p.id: i for i, p in enumerate(problem.mentors)}
    li = [index_l[p.leader_id] for p in pairs]
    mj = [index_m[p.mentor_id] for p in pairs]
    assert problem.scorer().pair_allowed(li, mj).all()
    load: dict[object, int] = {}
    for p in pairs:
        load[p.mentor_id] = load.get(p.mentor_id, 0) + 1
    for m in problem.mentors:
        assert load.get(m.id, 0) <= m.capacity
    unmatched = {u.person_id for u in result.unmatched}  # type: ignore[attr-defined]
    assert unmatched | set(leaders) | set(load) == {p.id for p in problem.leaders + problem.mentors}


@pytest.mark.parametrize("seed", [1, 2])
def test_optimum_equals_dense_scipy_optimum(seed: int) -> None:
    # 150 leaders x 180 mentors with 20 candidates each: the candidate graph is much smaller
    # than the full one, yet the optimum must be the same.
    prog = generate(330, seed=seed)
    policy = replace(prog.policy, candidates_per_person=20)
    problem = MatchingProblem(prog.leaders, prog.mentors, policy)
    result = problem.match()
    check_result(problem, result)
    assert result.stats.candidate_pairs < 0.5 * len(prog.leaders) * len(prog.mentors)
    scores = dense_scores(problem)
    capacity = [m.capacity for m in problem.mentors]
    n_best, total_best = scipy_optimum(scores, capacity)
    assert result.stats.pairs == n_best
    assert result.stats.total_score == pytest.approx(total_best, abs=1e-6)
    assert result.stats.certified_optimal


def test_duality_adds_the_pairs_top_k_lists_miss() -> None:
    # Sixty identical leaders all rank the same mentors first, so their top-20 lists are the
    # same 20 mentors; only the mentors' own lists and the duality check reach the rest.
    base = leader("l", grade=9, topics_sought=frozenset({"social media"}))
    leaders = [replace(base, id=f"l{i}", manager_chain=()) for i in range(60)]
    mentors = [
        mentor(
            f"m{j}",
            grade=2,
            manager_chain=(),
            culture_change=j % 7,
            topics_offered=frozenset({"social media"} if j % 3 else {"climate"}),
            capacity=1 + j % 2,
        )
        for j in range(50)
    ]
    policy = MatchingPolicy(candidates_per_person=20)
    problem = MatchingProblem(leaders, mentors, policy)
    result = problem.match()
    scores = dense_scores(problem)
    n_best, total_best = scipy_optimum(scores, [m.capacity for m in mentors])
    assert result.stats.pairs == n_best == 60
    assert result.stats.total_score == pytest.approx(total_best, abs=1e-6)
    assert result.stats.certified_optimal


def test_locks_kept_declines_excluded_and_the_rest_reoptimised() -> None:
    prog = generate(160, seed=7)
    problem = MatchingProblem(prog.leaders, prog.mentors, prog.policy)
    first = problem.match()
    keep = [(p.leader_id, p.mentor_id) for p in first.pairs[:3]]
    declined = [(p.leader_id, p.mentor_id) for p in first.pairs[3:6]]
    second = problem.match(locked=keep, excluded=declined)
    pairs = {(p.leader_id, p.mentor_id) for p in second.pairs}
    assert set(keep) <= pairs
    assert not set(declined) & pairs
    assert [p.locked for p in second.pairs if (p.leader_id, p.mentor_id) in keep] == [True] * 3
    check_result(problem, second)
    # The rest is optimal: compare with SciPy on the problem without the locked leaders.
    scores = dense_scores(problem, excluded=declined)
    ids_l = [p.id for p in problem.leaders]
    ids_m = [p.id for p in problem.mentors]
    capacity = np.array([m.capacity for m in problem.mentors])
    locked_total = 0.0
    for l_id, m_id in keep:
        i, j = ids_l.index(l_id), ids_m.index(m_id)
        locked_total += scores[i, j]
        scores[i, :] = np.nan
        capacity[j] -= 1
    n_rest, total_rest = scipy_optimum(scores, capacity)
    assert second.stats.pairs == 3 + n_rest
    assert second.stats.total_score == pytest.approx(locked_total + total_rest, abs=1e-6)


def test_same_input_same_output() -> None:
    prog = generate(500, seed=9)
    a = match(prog.leaders, prog.mentors, prog.policy).as_dict()
    b = match(prog.leaders, prog.mentors, prog.policy).as_dict()
    for d in (a, b):
        d["stats"].pop("seconds")
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def test_progress_reports_each_stage_in_order() -> None:
    prog = generate(200, seed=2)
    seen: list[tuple[str, float]] = []
    match(prog.leaders, prog.mentors, prog.policy, progress=lambda s, f: seen.append((s, f)))
    stages = [s for s, _ in seen]
    order = ["building candidates", "solving", "explaining"]
    assert [s for i, s in enumerate(stages) if i == 0 or stages[i - 1] != s] == order
    for stage in order:
        fractions = [f for s, f in seen if s == stage]
        assert fractions[0] == 0.0 and fractions[-1] == 1.0
        assert fractions == sorted(fractions)


def test_stable_method_gives_a_stable_matching() -> None:
    prog = generate(60, seed=5)
    policy = replace(prog.policy, method=Method.STABLE)
    problem = MatchingProblem(prog.leaders, prog.mentors, policy)
    result = problem.match()
    check_result(problem, result)
    # With fewer people than candidates per person, everyone ranks every allowed partner by
    # score: check stability against those full lists.
    scores = dense_scores(problem)
    n_l, n_m = scores.shape
    leader_prefs = []
    for i in range(n_l):
        ok = np.flatnonzero(~np.isnan(scores[i]))
        leader_prefs.append(ok[np.lexsort((ok, -scores[i, ok]))].tolist())
    mentor_prefs = []
    for j in range(n_m):
        ok = np.flatnonzero(~np.isnan(scores[:, j]))
        mentor_prefs.append(ok[np.lexsort((ok, -scores[ok, j]))].tolist())
    ids_l = [p.id for p in problem.leaders]
    ids_m = [p.id for p in problem.mentors]
    assignment = np.full(n_l, -1)
    for p in result.pairs:
        assignment[ids_l.index(p.leader_id)] = ids_m.index(p.mentor_id)
    capacity = [m.capacity for m in problem.mentors]
    assert blocking_pairs(leader_prefs, mentor_prefs, capacity, assignment) == []
    assert result.stats.method == "stable"


def test_nobody_can_be_matched_is_an_error_with_reasons() -> None:
    leaders = [leader("cfo"), leader("cto")]
    mentors = [mentor("fin-jr", manager_chain=("fin-mgr", "cfo", "ceo")), mentor("eng-jr")]
    policy = MatchingPolicy(rules=HardRules(ban_same_organisation=True))
    with pytest.raises(InfeasibleError, match="nobody can be matched") as info:
        match(leaders, mentors, policy)
    assert {r.code for r in info.value.reasons} == {ReasonCode.SAME_ORGANISATION}


def test_unmatched_people_get_the_right_reason() -> None:
    leaders = [
        leader("ceo"),  # every mentor is in the CEO's reporting line
        leader("riv-dir", languages=frozenset({"Welsh"})),  # nobody speaks Welsh
        leader("cfo"),
        leader("cto"),
    ]
    mentors = [mentor("fin-jr"), mentor("eng-jr"), mentor("spare", capacity=0)]
    result = match(leaders, mentors)
    reasons = {u.person_id: u for u in result.unmatched}
    assert reasons["ceo"].code is ReasonCode.REPORTING_LINE
    assert reasons["ceo"].text == "every possible mentor is in their reporting line"
    assert reasons["riv-dir"].code is ReasonCode.LANGUAGE
    assert reasons["riv-dir"].text == "no mentor speaks a language they speak"
    assert reasons["spare"].code is ReasonCode.CAPACITY
    assert reasons["spare"].side is Side.MENTOR
    assert {p.leader_id for p in result.pairs} == {"cfo", "cto"}


def test_a_leader_left_out_because_mentors_are_taken() -> None:
    leaders = [leader("cfo"), leader("riv-dir"), leader("cto")]
    mentors = [mentor("eng-jr")]  # allowed for cfo and riv-dir, not for cto (own line)
    result = match(leaders, mentors)
    assert len(result.pairs) == 1
    by_id = {u.person_id: u for u in result.unmatched}
    left = next(u for pid, u in by_id.items() if pid in {"cfo", "riv-dir"})
    assert left.code is ReasonCode.TAKEN
    assert left.text == "their only compatible mentor is at capacity with other leaders"
    assert by_id["cto"].code is ReasonCode.REPORTING_LINE


def test_combined_rules_reason() -> None:
    leaders = [leader("cfo"), leader("riv-dir")]
    mentors = [
        mentor("fin-jr"),  # cfo: reporting line
        mentor("x", languages=frozenset({"Welsh"})),  # cfo: no shared language
    ]
    result = match(leaders, mentors)
    reason = next(u for u in result.unmatched if u.person_id == "cfo")
    assert reason.code is ReasonCode.COMBINED
    assert reason.text.startswith("no mentor meets every rule at once (")
    assert "1 in their reporting line" in reason.text and "1 with no shared language" in reason.text


def test_rank_mentors_for_lists_allowed_mentors_best_first() -> None:
    prog = generate(120, seed=3)
    problem = MatchingProblem(prog.leaders, prog.mentors, prog.policy)
    lead = prog.leaders[5]
    ranked = problem.rank_mentors_for(lead.id)
    scores = [r.score for r in ranked]
    assert scores == sorted(scores, reverse=True)
    allowed = {m.id for m in prog.mentors if problem.check_pair(lead.id, m.id).allowed}
    assert {r.mentor_id for r in ranked} == allowed
    top = problem.rank_mentors_for(lead.id, limit=3)
    assert [r.mentor_id for r in top] == [r.mentor_id for r in ranked[:3]]
    assert top[0].explanation.score == top[0].score
    # The shortcut builds a problem with this leader only.
    assert rank_mentors_for(lead, prog.mentors, prog.policy, limit=2)


def test_check_pair_matches_the_matching_scores() -> None:
    prog = generate(150, seed=6)
    problem = MatchingProblem(prog.leaders, prog.mentors, prog.policy)
    result = problem.match()
    for p in result.pairs[:10]:
        check = problem.check_pair(p.leader_id, p.mentor_id)
        assert check.allowed
        assert check.score == pytest.approx(p.score, abs=1e-9)
    shortcut = check_pair(prog.leaders[0], prog.mentors[0], prog.policy)
    assert 0.0 <= shortcut.score <= 100.0


def test_result_is_json_ready() -> None:
    prog = generate(80, seed=1)
    result = match(prog.leaders, prog.mentors, prog.policy)
    data = json.loads(json.dumps(result.as_dict()))
    assert data["stats"]["pairs"] == len(result.pairs)
    assert data["policy"] == prog.policy.describe()
    first = data["pairs"][0]
    assert set(first) == {"leader_id", "mentor_id", "score", "locked", "explanation"}
    assert result.mentor_of(result.pairs[0].leader_id) == result.pairs[0].mentor_id


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"locked": [("cfo", "fin-jr")]}, LockConflictError, "reporting line"),
        ({"locked": [("cto", "fin-jr"), ("cto", "riv-jr")]}, LockConflictError, "more than one"),
        (
            {"locked": [("cto", "fin-jr"), ("riv-dir", "fin-jr")]},
            LockConflictError,
            "capacity 1",
        ),
        (
            {"locked": [("cto", "fin-jr")], "excluded": [("cto", "fin-jr")]},
            LockConflictError,
            "both locked and excluded",
        ),
        ({"locked": [("nobody", "fin-jr")]}, MatchingInputError, "not a leader"),
        ({"excluded": [("cto", "cfo")]}, MatchingInputError, "not a mentor"),
        ({"excluded": ["cto"]}, MatchingInputError, "pairs"),
    ],
)
def test_bad_locks_and_exclusions(kwargs: dict[str, object], error: type, message: str) -> None:
    leaders = [leader("cfo"), leader("cto"), leader("riv-dir")]
    mentors = [mentor("fin-jr"), mentor("riv-jr")]
    with pytest.raises(error, match=message):
        match(leaders, mentors, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("leaders", "mentors", "message"),
    [
        ([], [mentor("a")], "no leaders"),
        ([leader("a")], [], "no mentors"),
        ([leader("a"), leader("a")], [mentor("b")], "more than once"),
        ([leader("a")], [leader("b")], "passed as a mentor"),
        ([leader("a")], [mentor("a")], "more than once"),
        (
            [leader("a", manager_chain=("b",)), leader("c", manager_chain=("b", "x"))],
            [mentor("d", manager_chain=("b", "y"))],
            "disagree",
        ),
    ],
)
def test_bad_participants(
    leaders: list[Participant], mentors: list[Participant], message: str
) -> None:
    with pytest.raises(MatchingInputError, match=message):
        MatchingProblem(leaders, mentors)


def test_bad_participant_fields() -> None:
    with pytest.raises(MatchingInputError, match="capacity"):
        mentor("a", capacity=-1)
    with pytest.raises(MatchingInputError, match="availability"):
        mentor("a", availability=frozenset({200}))
    with pytest.raises(MatchingInputError, match="single string"):
        mentor("a", languages="English")
    with pytest.raises(MatchingInputError, match="side"):
        Participant("a", "boss")  # type: ignore[arg-type]


def test_default_policy_needs_no_arguments() -> None:
    assert default_policy().difference_dimensions == ("gender", "age_band", "ethnicity")
    result = match([leader("cto")], [mentor("fin-jr")])
    assert [(p.leader_id, p.mentor_id) for p in result.pairs] == [("cto", "fin-jr")]
