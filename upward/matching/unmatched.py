"""Reasons for everyone left without a partner."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from upward.matching.arrays import I64, ProblemArrays
from upward.matching.candidates import BLOCK_ELEMENTS, CandidateSet
from upward.matching.explain import UnmatchedReason, reason_taken, reason_without_partner
from upward.matching.model import Side
from upward.matching.policy import MatchingPolicy
from upward.matching.scoring import RULES, Rule, Scorer


def unmatched_reasons(
    arrays: ProblemArrays,
    policy: MatchingPolicy,
    scorer: Scorer,
    cands: CandidateSet,
    chosen: I64,
    compatible_l: dict[int, int],
) -> list[UnmatchedReason]:
    """A reason for every leader and mentor left without a partner.

    People with no candidate pair pass the rules with nobody (candidate lists always hold
    an allowed partner when there is one): their reason names the rules. The others had
    compatible partners who were all paired elsewhere; ``compatible_l`` gives, for scanned
    leaders, how many mentors the rules allow.
    """
    a = arrays
    n_l, n_m = a.leaders.n, a.mentors.n
    matched_l = np.zeros(n_l, dtype=bool)
    matched_l[cands.leaders[chosen]] = True
    matched_m = np.zeros(n_m, dtype=bool)
    matched_m[cands.mentors[chosen]] = True
    has_cand_l = np.bincount(cands.leaders, minlength=n_l) > 0
    has_cand_m = np.bincount(cands.mentors, minlength=n_m) > 0
    out: list[UnmatchedReason] = []
    lonely_l = np.flatnonzero(~matched_l & ~has_cand_l)
    lonely_m = np.flatnonzero(~matched_m & ~has_cand_m)
    by_l = {
        r.person_id: r for r in reasons_without_partner(a, policy, scorer, lonely_l, Side.LEADER)
    }
    by_m = {
        r.person_id: r for r in reasons_without_partner(a, policy, scorer, lonely_m, Side.MENTOR)
    }
    for i in np.flatnonzero(~matched_l).tolist():
        pid = a.leaders.ids[i]
        if pid in by_l:
            out.append(by_l[pid])
        else:
            count = compatible_l.get(i)
            if count is None:
                # A leader's list holds every allowed mentor when it is shorter than k.
                listed = int(np.count_nonzero(cands.leaders == i))
                count = listed if listed < policy.candidates_per_person else 0
            out.append(reason_taken(Side.LEADER, pid, count))
    for j in np.flatnonzero(~matched_m).tolist():
        pid = a.mentors.ids[j]
        if pid in by_m:
            out.append(by_m[pid])
        else:
            # Mentor lists keep the best leader of each block, so they do not count every
            # compatible leader: no number is given.
            out.append(reason_taken(Side.MENTOR, pid, 0))
    return out


def reasons_without_partner(
    arrays: ProblemArrays, policy: MatchingPolicy, scorer: Scorer, people: I64, side: Side
) -> list[UnmatchedReason]:
    """Reasons for people who pass the rules with nobody (counts per rule)."""
    if people.size == 0:
        return []
    a = arrays
    n_l, n_m = a.leaders.n, a.mentors.n
    out: list[UnmatchedReason] = []
    if side is Side.LEADER:
        # Only mentors with a free place count as possible mentors.
        open_m = np.flatnonzero(a.mentors.capacity > 0)
        if open_m.size == 0:
            return [
                reason_without_partner(side, a.leaders.ids[i], {Rule.CAPACITY: n_m}, n_m, policy)
                for i in people.tolist()
            ]
        view = scorer.mentor_view(open_m)
        rows = max(1, BLOCK_ELEMENTS // open_m.size)
        for s in range(0, people.size, rows):
            li = people[s : s + rows]
            masks = scorer.rule_pass_block(li, view)
            counts = {r: (~masks[r]).sum(axis=1) for r in RULES if r in masks}
            for row, i in enumerate(li.tolist()):
                blocked = {r: int(c[row]) for r, c in counts.items()}
                out.append(
                    reason_without_partner(
                        side, a.leaders.ids[i], blocked, int(open_m.size), policy
                    )
                )
        return out
    all_l = np.arange(n_l, dtype=np.int64)
    totals = {r: np.zeros(people.size, dtype=np.int64) for r in RULES}
    rows = max(1, BLOCK_ELEMENTS // people.size)
    view = scorer.mentor_view(people)
    for s in range(0, n_l, rows):
        masks = scorer.rule_pass_block(all_l[s : s + rows], view)
        for r, mask in masks.items():
            totals[r] += (~mask).sum(axis=0)
    for col, j in enumerate(people.tolist()):
        blocked = {r: int(t[col]) for r, t in totals.items()}
        out.append(reason_without_partner(side, a.mentors.ids[j], blocked, n_l, policy))
    return out


def infeasible_message(reasons: Sequence[UnmatchedReason]) -> str:
    """One sentence for an :class:`InfeasibleError`: the most common reasons first."""
    counts: dict[str, int] = {}
    for r in reasons:
        counts[r.text] = counts.get(r.text, 0) + 1
    common = sorted(counts.items(), key=lambda kv: -kv[1])[:3]
    detail = "; ".join(f"{n} leader(s): {text}" for text, n in common)
    return f"nobody can be matched: no leader has an allowed mentor ({detail})"
