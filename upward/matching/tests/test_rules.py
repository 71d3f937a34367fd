"""Each hard rule removes pairs (it never just lowers a score), on a fixed cast."""

from __future__ import annotations

import numpy as np
import pytest

from upward.matching import (
    HardRules,
    MatchingPolicy,
    MatchingProblem,
    Rule,
    weekly_slots,
)
from upward.matching.synthetic import generate
from upward.matching.tests.factories import leader, mentor


def broken(problem: MatchingProblem, l_id: str, m_id: str, **kwargs: object) -> set[Rule]:
    check = problem.check_pair(l_id, m_id, **kwargs)  # type: ignore[arg-type]
    assert check.allowed == (not check.breaches)
    return {b.rule for b in check.breaches}


def cast(policy: MatchingPolicy | None = None, **mentor_changes: object) -> MatchingProblem:
    leaders = [leader("ceo"), leader("cfo"), leader("cto"), leader("riv-dir")]
    mentors = [
        mentor("fin-jr", **mentor_changes),
        mentor("eng-jr"),
        mentor("eng-jr2"),
        mentor("riv-jr"),
    ]
    return MatchingProblem(leaders, mentors, policy)


def test_reporting_line_at_any_depth_is_excluded() -> None:
    problem = cast()
    assert Rule.REPORTING_LINE in broken(problem, "cfo", "fin-jr")  # two levels down
    assert Rule.REPORTING_LINE in broken(problem, "ceo", "fin-jr")  # three levels down
    assert Rule.REPORTING_LINE in broken(problem, "cto", "eng-jr2")
    assert broken(problem, "cfo", "eng-jr") == set()  # other branch: allowed
    assert broken(problem, "riv-dir", "fin-jr") == set()  # other organisation


def test_reporting_line_also_blocks_a_mentor_above_the_leader() -> None:
    leaders = [leader("fin-mgr", grade=6)]
    mentors = [mentor("cfo", grade=2)]  # odd grades, but cfo is above fin-mgr
    problem = MatchingProblem(leaders, mentors, MatchingPolicy(rules=HardRules(min_grade_gap=None)))
    check = problem.check_pair("fin-mgr", "cfo")
    assert {b.rule for b in check.breaches} == {Rule.REPORTING_LINE}
    assert "the leader reports to the mentor" in check.breaches[0].text


def test_reporting_line_rule_can_only_be_lifted_explicitly() -> None:
    lifted = cast(MatchingPolicy(rules=HardRules(no_reporting_line=False)))
    assert broken(lifted, "cfo", "fin-jr") == set()


def test_minimum_grade_gap() -> None:
    problem = MatchingProblem(
        [leader("riv-dir", grade=5)],
        [mentor("x1", grade=4), mentor("eng-jr", grade=3)],
        MatchingPolicy(rules=HardRules(min_grade_gap=2)),
    )
    assert broken(problem, "riv-dir", "x1") == {Rule.GRADE_GAP}
    assert broken(problem, "riv-dir", "eng-jr") == set()
    text = problem.check_pair("riv-dir", "x1").breaches[0].text
    assert (
        text == "the leader is only 1 grade above the mentor; the policy asks for at least 2 grades"
    )
    no_gap = MatchingProblem(
        [leader("riv-dir", grade=5)],
        [mentor("x1", grade=7)],
        MatchingPolicy(rules=HardRules(min_grade_gap=None)),
    )
    assert broken(no_gap, "riv-dir", "x1") == set()


def test_same_department_ban_is_optional_and_per_organisation() -> None:
    on = cast(MatchingPolicy(rules=HardRules(ban_same_department=True)))
    off = cast()
    # riv-dir (Riverside Finance) and fin-jr (Northwind Finance): different departments.
    assert Rule.SAME_DEPARTMENT not in broken(on, "riv-dir", "fin-jr")
    assert broken(on, "cto", "fin-jr") == set()
    both_finance = MatchingProblem(
        [leader("cfo")],
        [mentor("x", department="Finance", manager_chain=("ceo",))],
        MatchingPolicy(rules=HardRules(ban_same_department=True)),
    )
    assert broken(both_finance, "cfo", "x") == {Rule.SAME_DEPARTMENT}
    assert broken(off, "cto", "fin-jr") == set()


def test_same_organisation_ban() -> None:
    problem = cast(MatchingPolicy(rules=HardRules(ban_same_organisation=True)))
    assert Rule.SAME_ORGANISATION in broken(problem, "cto", "fin-jr")
    assert broken(problem, "riv-dir", "fin-jr") == set()
    assert broken(problem, "cfo", "riv-jr") == set()


def test_please_not_from_either_side() -> None:
    from_leader = MatchingProblem(
        [leader("cto", please_not=frozenset({"fin-jr"}))], [mentor("fin-jr"), mentor("riv-jr")]
    )
    assert broken(from_leader, "cto", "fin-jr") == {Rule.PLEASE_NOT}
    assert broken(from_leader, "cto", "riv-jr") == set()
    from_mentor = MatchingProblem(
        [leader("cto")], [mentor("fin-jr", please_not=frozenset({"cto"}))]
    )
    check = from_mentor.check_pair("cto", "fin-jr")
    assert {b.rule for b in check.breaches} == {Rule.PLEASE_NOT}
    # The sentence does not say who asked.
    assert check.breaches[0].text == "one of them asked not to be paired with the other"


def test_shared_language() -> None:
    problem = cast(languages=frozenset({"Spanish"}))
    assert broken(problem, "cto", "fin-jr") == {Rule.LANGUAGE}
    unknown = cast(languages=frozenset())
    assert broken(unknown, "cto", "fin-jr") == set()  # not given: the rule does not apply
    lifted = cast(
        MatchingPolicy(rules=HardRules(require_shared_language=False)),
        languages=frozenset({"Spanish"}),
    )
    assert broken(lifted, "cto", "fin-jr") == set()


def test_minimum_common_availability() -> None:
    sydney = weekly_slots(10, days=range(5), start=9, end=17)  # no overlap with London hours
    problem = cast(MatchingPolicy(rules=HardRules(min_common_hours=2)), availability=sydney)
    assert broken(problem, "cto", "fin-jr") == {Rule.AVAILABILITY}
    assert (
        "only 0 hour(s) of common availability"
        in problem.check_pair("cto", "fin-jr").breaches[0].text
    )
    overlap = weekly_slots(2, days=range(5), start=9, end=12)  # 07-10 UTC: one hour a day
    some = cast(MatchingPolicy(rules=HardRules(min_common_hours=5)), availability=overlap)
    assert broken(some, "cto", "fin-jr") == set()  # five hours a week
    strict = cast(MatchingPolicy(rules=HardRules(min_common_hours=6)), availability=overlap)
    assert broken(strict, "cto", "fin-jr") == {Rule.AVAILABILITY}
    unknown = cast(MatchingPolicy(rules=HardRules(min_common_hours=2)), availability=None)
    assert broken(unknown, "cto", "fin-jr") == set()


def test_capacity() -> None:
    full = cast(capacity=0)
    assert broken(full, "cto", "fin-jr") == {Rule.CAPACITY}
    problem = cast(capacity=2)
    assert broken(problem, "cto", "fin-jr", mentor_load=1) == set()
    assert broken(problem, "cto", "fin-jr", mentor_load=2) == {Rule.CAPACITY}


def test_excluded_pairs() -> None:
    problem = cast()
    assert broken(problem, "cto", "fin-jr", excluded=[("cto", "fin-jr")]) == {Rule.EXCLUDED}


def test_several_rules_reported_together() -> None:
    problem = cast(MatchingPolicy(rules=HardRules(ban_same_organisation=True)), languages={"Welsh"})
    assert broken(problem, "cfo", "fin-jr") == {
        Rule.REPORTING_LINE,
        Rule.SAME_ORGANISATION,
        Rule.LANGUAGE,
    }


@pytest.mark.parametrize(
    "policy",
    [
        MatchingPolicy(),
        MatchingPolicy(
            rules=HardRules(
                ban_same_department=True, ban_same_organisation=True, min_common_hours=3
            )
        ),
        MatchingPolicy(rules=HardRules(no_reporting_line=False, min_grade_gap=None)),
    ],
)
def test_block_and_pair_paths_agree(policy: MatchingPolicy) -> None:
    prog = generate(400, seed=3, organisations=2)
    problem = MatchingProblem(prog.leaders, prog.mentors, policy)
    scorer = problem.scorer(excluded=[(prog.leaders[0].id, prog.mentors[0].id)])
    n_l, n_m = len(prog.leaders), len(prog.mentors)
    li = np.arange(n_l)
    block = scorer.block(li, scorer.mentor_view(None))
    ll, mm = np.meshgrid(li, np.arange(n_m), indexing="ij")
    allowed = scorer.pair_allowed(ll.ravel(), mm.ravel()).reshape(n_l, n_m)
    assert np.array_equal(np.isfinite(block), allowed)
    values = scorer.pair_values(ll.ravel(), mm.ravel())
    exact = scorer.pair_scores(values).reshape(n_l, n_m)
    assert np.allclose(block[allowed], exact[allowed], atol=1e-3)
    # A subset of mentors gives the same numbers as the full view.
    subset = np.arange(0, n_m, 3)
    part = scorer.block(li, scorer.mentor_view(subset))
    assert np.array_equal(np.isfinite(part), np.isfinite(block[:, subset]))
    assert np.allclose(part[np.isfinite(part)], block[:, subset][np.isfinite(part)], atol=1e-4)
    # Rules are really applied: some pairs are forbidden, most are not.
    assert 0 < (~allowed).sum() < allowed.size
