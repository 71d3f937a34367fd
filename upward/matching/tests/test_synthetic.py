"""The synthetic programme generator: deterministic and shaped like a real organisation."""

from __future__ import annotations

import numpy as np

from upward.matching import MatchingProblem, Side
from upward.matching.synthetic import generate


def test_same_seed_same_programme() -> None:
    a, b = generate(600, seed=4), generate(600, seed=4)
    assert a.leaders == b.leaders and a.mentors == b.mentors
    assert generate(600, seed=5).leaders != a.leaders


def test_shape_of_the_programme() -> None:
    prog = generate(3000, seed=1)
    assert len(prog.leaders) + len(prog.mentors) == 3000
    assert all(p.side is Side.LEADER and 6 <= p.grade <= 10 for p in prog.leaders)
    assert all(p.side is Side.MENTOR and 1 <= p.grade <= 4 for p in prog.mentors)
    assert {p.capacity for p in prog.mentors} == {1, 2}
    assert all(p.availability and p.languages and p.topics_sought for p in prog.leaders)
    assert any(p.wishes for p in prog.leaders) and any(p.please_not for p in prog.mentors)
    # Some mentors report (at some depth) to a leader: the reporting-line rule matters.
    leader_ids = {p.id for p in prog.leaders}
    assert any(leader_ids & set(m.manager_chain) for m in prog.mentors)
    # Several time zones.
    hours = {min(p.availability) % 24 for p in prog.mentors if p.availability}
    assert len(hours) > 5


def test_generated_programmes_are_valid_input() -> None:
    prog = generate(400, seed=8, organisations=2)
    problem = MatchingProblem(prog.leaders, prog.mentors, prog.policy)
    assert len({p.organisation for p in prog.leaders}) == 2
    scorer = problem.scorer()
    block = scorer.block(np.arange(len(prog.leaders)), scorer.mentor_view(None))
    assert np.isfinite(block).mean() > 0.2
