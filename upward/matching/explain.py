"""Plain-words explanations: why a pair scores what it does, why a pair is not allowed, and
why someone was left without a partner.

Explanations name topics, objectives, languages and the identity *dimensions* on which two
people differ, never anyone's identity values, and never who asked for a "please not".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from upward.matching.arrays import F64, I64, sorted_unique
from upward.matching.model import PersonId, Side
from upward.matching.policy import CRITERIA, CRITERION_LABELS, Criterion, MatchingPolicy
from upward.matching.reciprocity import both_ways_sentence
from upward.matching.scoring import RULES, Rule, Scorer
from upward.matching.similarity import Themes, themes_in_common, themes_of
from upward.matching.style import sentence as style_sentence


class Contribution(NamedTuple):
    """One criterion's part of a pair's score.

    ``value`` is in [0, 1]; ``share`` is the most points the criterion can give;
    ``points = value * share``.
    """

    criterion: Criterion
    label: str
    value: float
    share: float
    points: float
    sentence: str

    def line(self) -> str:
        return f"{self.label}: {self.sentence} ({self.points:.1f} of {self.share:.0f} points)"


@dataclass(frozen=True, slots=True)
class Explanation:
    """A pair's score and what it is made of.

    ``standing`` places the score against the programme: the share (0 to 1) of the leader's
    other possible partners whom this mentor outscores, or None when not worked out.
    """

    score: float
    contributions: tuple[Contribution, ...]
    standing: float | None = None

    def lines(self) -> list[str]:
        """One line per criterion in use, e.g. ``Topics: shares 3 of 4 ... (22.5 of 30 points)``."""
        return [c.line() for c in self.contributions]

    def summary(self) -> str:
        """The score and the three criteria that gave the most points."""
        top = sorted(self.contributions, key=lambda c: -c.points)[:3]
        reasons = "; ".join(c.sentence for c in top if c.points > 0)
        place = standing_words(self.standing)
        head = f"Score {self.score:.1f} of 100" + (f", {place}" if place else "")
        return head + (f": {reasons}" if reasons else "")

    def as_dict(self) -> dict[str, Any]:
        return {
            "score": round(self.score, 4),
            "standing": None if self.standing is None else round(self.standing, 4),
            "criteria": [
                {
                    "criterion": c.criterion.value,
                    "label": c.label,
                    "value": round(c.value, 4),
                    "points": round(c.points, 4),
                    "max_points": round(c.share, 4),
                    "sentence": c.sentence,
                }
                for c in self.contributions
            ],
        }


@dataclass(frozen=True)
class RuleBreach:
    """A hard rule a proposed pair breaks, in plain words."""

    rule: Rule
    text: str


class ReasonCode(StrEnum):
    """Why someone has no partner."""

    REPORTING_LINE = "reporting_line"
    PLEASE_NOT = "please_not"
    LANGUAGE = "language"
    AVAILABILITY = "availability"
    GRADE_GAP = "grade_gap"
    SAME_DEPARTMENT = "same_department"
    SAME_ORGANISATION = "same_organisation"
    EXCLUDED = "excluded"
    CAPACITY = "capacity"
    NO_FREE_PLACE = "no_free_place"
    COMBINED = "combined"
    TAKEN = "taken"


@dataclass(frozen=True)
class UnmatchedReason:
    """Why one person was left without a partner.

    ``compatible`` counts the people on the other side who pass every hard rule with them
    (-1 when not counted); ``blocked`` counts, per rule, the people that rule alone rules out.
    """

    person_id: PersonId
    side: Side
    code: ReasonCode
    text: str
    compatible: int = -1
    blocked: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "person_id": self.person_id,
            "side": self.side.value,
            "code": self.code.value,
            "text": self.text,
            "compatible": self.compatible,
            "blocked": dict(self.blocked),
        }


# ----------------------------------------------------------------------------------------------
# Pair explanations


def explain_pairs(
    scorer: Scorer,
    li: npt.ArrayLike,
    mj: npt.ArrayLike,
    values: F64,
    *,
    standing: bool = True,
) -> list[Explanation]:
    """Explanations for the pairs ``(li[i], mj[i])`` whose criterion values are ``values``.

    With ``standing=False`` no pair's standing is worked out (a caller explaining a long list
    part by part decides once for the whole list, see :func:`standing_fits`).
    """
    li_a = np.asarray(li, dtype=np.int64)
    mj_a = np.asarray(mj, dtype=np.int64)
    active = [(CRITERIA.index(c), c, scorer.share[c]) for c in CRITERIA if scorer.share[c] > 0]
    facts = _PairFacts(scorer, li_a, mj_a, values)
    scores = scorer.pair_scores(values).tolist()
    places = _standing(scorer, li_a, mj_a, scores) if standing else [None] * li_a.size
    n = li_a.size
    # One criterion at a time over every pair, then each pair's contributions in order.
    columns: list[list[Contribution]] = []
    for j, c, share in active:
        sentence, label = _SENTENCES[c], CRITERION_LABELS[c]
        column = values[:, j]
        columns.append(
            [
                Contribution(c, label, value, share, points, sentence(facts, i))
                for i, value, points in zip(
                    range(n), column.tolist(), (column * share).tolist(), strict=True
                )
            ]
        )
    by_pair: list[tuple[Contribution, ...]] = (
        list(zip(*columns, strict=True)) if columns else [()] * n
    )
    return [
        Explanation(score=score, contributions=contributions, standing=place)
        for score, contributions, place in zip(scores, by_pair, places, strict=True)
    ]


class _PairFacts:
    """What the sentences need about a list of pairs, computed for all of them at once."""

    def __init__(self, scorer: Scorer, li: I64, mj: I64, values: F64) -> None:
        a = scorer.arrays
        self.complementary = scorer.policy.complementary_traits
        self.leaders = [a.leaders.people[i] for i in li.tolist()]
        self.mentors = [a.mentors.people[j] for j in mj.tolist()]
        self.gap = (a.leaders.grade[li].astype(np.int64) - a.mentors.grade[mj]).tolist()
        self.hours = scorer.common_hours(li, mj).tolist()
        self.avail_known = (a.leaders.avail_known[li] & a.mentors.avail_known[mj]).tolist()
        self.similarity = values[:, CRITERIA.index(Criterion.TEXT)].tolist()
        self.words = _shared_words(scorer, li, mj)
        dims = a.dimensions
        self.dimensions = [d.replace("_", " ") for d in dims]
        if dims:
            cl, cm = a.leaders.identity[li], a.mentors.identity[mj]
            known = (cl >= 0) & (cm >= 0)
            self.known = known.sum(axis=1).tolist()
            self.differ = (known & (cl != cm)).tolist()
        else:
            self.known = [0] * li.size
            self.differ = [[] for _ in range(li.size)]
        found, _ = a.wishes.table.lookup(li, mj)
        pos = np.searchsorted(a.wishes.table.keys, li * a.mentors.n + mj)
        pos = np.minimum(pos, max(a.wishes.table.keys.size - 1, 0))
        if a.wishes.table.keys.size:
            self.wish_l = np.where(found, a.wishes.leader_rank[pos], 0).tolist()
            self.wish_m = np.where(found, a.wishes.mentor_rank[pos], 0).tolist()
        else:
            self.wish_l = self.wish_m = [0] * li.size


def _shared_words(scorer: Scorer, li: I64, mj: I64, limit: int = 3) -> list[list[str]]:
    """For each pair, the phrases and words that carry meaning in both texts."""
    leaders, mentors = scorer.arrays.leaders.people, scorer.arrays.mentors.people
    # A mentor with several places appears in several pairs: their text is read once.
    offers: dict[int, Themes] = {}
    out: list[list[str]] = []
    for i, j in zip(li.tolist(), mj.tolist(), strict=True):
        offer = offers.get(j)
        if offer is None:
            offer = offers[j] = themes_of(mentors[j].can_share)
        out.append(themes_in_common(themes_of(leaders[i].hopes_to_learn), offer, limit))
    return out


# Standing is worked out only when every leader in the list can be scored against every mentor
# within this many cells (about 80 MB of float32 scores, a block at a time).
STANDING_CELLS = 20_000_000
_STANDING_BLOCK = 1 << 22


def standing_fits(scorer: Scorer, li: npt.ArrayLike) -> bool:
    """Whether the standing of pairs with these leaders is worked out: every one of them can
    be scored against every mentor within ``STANDING_CELLS``."""
    leaders = sorted_unique(li)
    return bool(leaders.size) and leaders.size * scorer.arrays.mentors.n <= STANDING_CELLS


def _standing(scorer: Scorer, li: I64, mj: I64, scores: list[float]) -> list[float | None]:
    """For each pair, the share of the leader's other possible partners (every mentor the hard
    rules allow) whom this pair's mentor outscores; None when there is no other, or the
    programme is too large to score every possible pair here."""
    n_m = scorer.arrays.mentors.n
    leaders = sorted_unique(li)
    out: list[float | None] = [None] * li.size
    if not standing_fits(scorer, leaders):
        return out
    view = scorer.mentor_view()
    rows = max(1, _STANDING_BLOCK // max(n_m, 1))
    where = {int(leader): k for k, leader in enumerate(leaders.tolist())}
    pairs_of: dict[int, list[int]] = {}
    for i, leader in enumerate(li.tolist()):
        pairs_of.setdefault(int(leader), []).append(i)
    for start in range(0, leaders.size, rows):
        part = leaders[start : start + rows]
        block = scorer.block(part, view)
        for leader in part.tolist():
            row = block[where[leader] - start]
            possible = row[np.isfinite(row)]
            for i in pairs_of[leader]:
                own = row[int(mj[i])]
                others = possible.size - (1 if np.isfinite(own) else 0)
                if others <= 0:
                    continue
                below = int(np.count_nonzero(possible < np.float32(scores[i]) - 1e-3))
                out[i] = below / others
    return out


def standing_words(standing: float | None) -> str:
    """The pair against the leader's other possible partners, in words."""
    if standing is None:
        return ""
    share = int(standing * 100)
    if share >= 50:
        return f"a stronger fit than {share}% of the leader's possible partners"
    return f"a weaker fit than {100 - share}% of the leader's possible partners"


def _by_weight(item: tuple[float, int]) -> tuple[float, int]:
    """Largest weight first, then the term's position in the vocabulary."""
    return (-item[0], item[1])


def _names(items: set[str] | frozenset[str], limit: int = 4) -> str:
    ordered = sorted(items)
    text = ", ".join(ordered[:limit])
    if len(ordered) > limit:
        text += f" and {len(ordered) - limit} more"
    return text


def _topics_sentence(f: _PairFacts, i: int) -> str:
    leader, mentor = f.leaders[i], f.mentors[i]
    parts: list[str] = []
    if leader.topics_sought:
        shared = leader.topics_sought & mentor.topics_offered
        text = f"shares {len(shared)} of {len(leader.topics_sought)} topics sought"
        if mentor.topics_sought:
            text += " by the leader"
        if shared:
            text += f" ({_names(shared)})"
        parts.append(text)
    if mentor.topics_sought:
        shared_back = mentor.topics_sought & leader.topics_offered
        text = f"{len(shared_back)} of {len(mentor.topics_sought)} sought by the mentor"
        if shared_back:
            text += f" ({_names(shared_back)})"
        parts.append(text if parts else "shares " + text)
    return "; ".join(parts) if parts else "no topics sought"


def _text_sentence(f: _PairFacts, i: int) -> str:
    if not f.leaders[i].hopes_to_learn.strip() or not f.mentors[i].can_share.strip():
        return "no text to compare"
    if f.similarity[i] <= 0:
        return "what they wrote has no words in common"
    if not f.words[i]:
        return f"what they wrote is {f.similarity[i]:.0%} similar, in everyday words only"
    return f"what they wrote is {f.similarity[i]:.0%} similar; both mention {', '.join(f.words[i])}"


def _objectives_sentence(f: _PairFacts, i: int) -> str:
    mine = f.leaders[i].objectives
    theirs = f.mentors[i].objectives
    shared = mine & theirs
    if not shared:
        return "no programme objective in common"
    return (
        f"both chose {_names(shared)} ({len(shared)} of the leader's {len(mine)} and "
        f"{len(shared)} of the mentor's {len(theirs)} programme objectives)"
    )


def _grades(n: int) -> str:
    return f"{n} grade" if n == 1 else f"{n} grades"


def _seniority_sentence(f: _PairFacts, i: int) -> str:
    gap = f.gap[i]
    if gap > 0:
        return f"{_grades(gap)} apart"
    if gap == 0:
        return "same grade"
    return f"the mentor is {_grades(-gap)} more senior"


def _difference_sentence(f: _PairFacts, i: int) -> str:
    if not f.known[i]:
        return "no consented data to compare"
    differ = [d for d, flag in zip(f.dimensions, f.differ[i], strict=True) if flag]
    if not differ:
        return f"no difference on the {f.known[i]} dimension(s) both shared"
    return (
        f"differ on {len(differ)} of {len(f.dimensions)} dimensions the programme seeks "
        f"difference on ({', '.join(differ)})"
    )


def _availability_sentence(f: _PairFacts, i: int) -> str:
    if not f.avail_known[i]:
        return "availability not given"
    hours = f.hours[i]
    if hours == 0:
        return "no common availability"
    unit = "hour" if hours == 1 else "hours"
    return f"{hours} {unit} of common availability a week"


def _culture_sentence(f: _PairFacts, i: int) -> str:
    count = f.mentors[i].culture_change
    if count == 0:
        return "no culture-change history recorded for the mentor"
    noun = "activity" if count == 1 else "activities"
    return f"the mentor has taken part in {count} culture-change {noun}"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _preferences_sentence(f: _PairFacts, i: int) -> str:
    parts = []
    if f.wish_l[i]:
        parts.append(f"the leader's {_ordinal(f.wish_l[i])} choice")
    if f.wish_m[i]:
        parts.append(f"the mentor's {_ordinal(f.wish_m[i])} choice")
    return "; ".join(parts) if parts else "neither asked for the other"


def _reciprocity_sentence(f: _PairFacts, i: int) -> str:
    return both_ways_sentence(f.leaders[i], f.mentors[i])


def _style_sentence(f: _PairFacts, i: int) -> str:
    return style_sentence(f.leaders[i].working_style, f.mentors[i].working_style, f.complementary)


_SENTENCES: dict[Criterion, Callable[[_PairFacts, int], str]] = {
    Criterion.TOPICS: _topics_sentence,
    Criterion.TEXT: _text_sentence,
    Criterion.OBJECTIVES: _objectives_sentence,
    Criterion.SENIORITY: _seniority_sentence,
    Criterion.DIFFERENCE: _difference_sentence,
    Criterion.AVAILABILITY: _availability_sentence,
    Criterion.CULTURE_CHANGE: _culture_sentence,
    Criterion.PREFERENCES: _preferences_sentence,
    Criterion.RECIPROCITY: _reciprocity_sentence,
    Criterion.WORKING_STYLE: _style_sentence,
}


# ----------------------------------------------------------------------------------------------
# Broken rules for one proposed pair


def breaches(
    scorer: Scorer, l_idx: int, m_idx: int, *, mentor_load: int = 0
) -> tuple[RuleBreach, ...]:
    """The hard rules a pair breaks, with a sentence each (empty when allowed)."""
    a = scorer.arrays
    li = np.asarray([l_idx], dtype=np.int64)
    mj = np.asarray([m_idx], dtype=np.int64)
    passes = scorer.pair_rule_pass(li, mj, mentor_load=np.asarray([mentor_load]))
    leader = a.leaders.people[l_idx]
    mentor = a.mentors.people[m_idx]
    rules = scorer.policy.rules
    out: list[RuleBreach] = []
    for rule in RULES:
        if rule not in passes or bool(passes[rule][0]):
            continue
        if rule is Rule.REPORTING_LINE:
            tree = a.tree
            down = tree.levels_between(int(a.leaders.node[l_idx]), int(a.mentors.node[m_idx]))
            up = tree.levels_between(int(a.mentors.node[m_idx]), int(a.leaders.node[l_idx]))
            if down:
                text = (
                    "the mentor reports to the leader"
                    if down == 1
                    else f"the mentor is in the leader's reporting line ({down} levels below)"
                )
            else:
                text = (
                    "the leader reports to the mentor"
                    if up == 1
                    else f"the leader is in the mentor's reporting line ({up} levels below)"
                )
        elif rule is Rule.GRADE_GAP:
            gap = leader.grade - mentor.grade
            text = (
                f"the leader is {_gap_words(gap)}; the policy asks for at least "
                f"{_grades(rules.min_grade_gap or 0)}"
            )
        elif rule is Rule.SAME_DEPARTMENT:
            text = f"both work in the same department ({leader.department})"
        elif rule is Rule.SAME_ORGANISATION:
            text = f"both work for the same organisation ({leader.organisation})"
        elif rule is Rule.PLEASE_NOT:
            text = "one of them asked not to be paired with the other"
        elif rule is Rule.LANGUAGE:
            text = (
                f"they share no language (leader: {_names(leader.languages)}; "
                f"mentor: {_names(mentor.languages)})"
            )
        elif rule is Rule.AVAILABILITY:
            hours = int(scorer.common_hours(li, mj)[0])
            text = (
                f"only {hours} hour(s) of common availability a week; the policy asks for "
                f"at least {rules.min_common_hours:g}"
            )
        elif rule is Rule.EXCLUDED:
            text = "this pair was excluded (declined or set aside by the coordinator)"
        else:
            text = (
                f"the mentor has no free place (capacity {mentor.capacity}, "
                f"already paired with {mentor_load})"
            )
        out.append(RuleBreach(rule=rule, text=text))
    return tuple(out)


def _gap_words(gap: int) -> str:
    if gap > 0:
        return f"only {_grades(gap)} above the mentor"
    if gap == 0:
        return "at the same grade as the mentor"
    return f"{_grades(-gap)} below the mentor"


# ----------------------------------------------------------------------------------------------
# Unmatched people


_LEADER_REASONS = {
    Rule.REPORTING_LINE: "every possible mentor is in their reporting line",
    Rule.PLEASE_NOT: "every possible mentor is on a 'please not' list with them",
    Rule.LANGUAGE: "no mentor speaks a language they speak",
    Rule.AVAILABILITY: "no mentor has enough common availability with them",
    Rule.GRADE_GAP: "no mentor is enough grades below them",
    Rule.SAME_DEPARTMENT: "every mentor is in their own department",
    Rule.SAME_ORGANISATION: "every mentor is in their own organisation",
    Rule.EXCLUDED: "every possible mentor was excluded (declined or set aside)",
    Rule.CAPACITY: "no mentor has a free place",
}
_MENTOR_REASONS = {
    Rule.REPORTING_LINE: "every possible leader is in their reporting line",
    Rule.PLEASE_NOT: "every possible leader is on a 'please not' list with them",
    Rule.LANGUAGE: "no leader speaks a language they speak",
    Rule.AVAILABILITY: "no leader has enough common availability with them",
    Rule.GRADE_GAP: "no leader is enough grades above them",
    Rule.SAME_DEPARTMENT: "every leader is in their own department",
    Rule.SAME_ORGANISATION: "every leader is in their own organisation",
    Rule.EXCLUDED: "every possible leader was excluded (declined or set aside)",
    Rule.CAPACITY: "they have no free place (capacity 0)",
}
_SHORT = {
    Rule.REPORTING_LINE: "{n} in their reporting line",
    Rule.PLEASE_NOT: "{n} on a 'please not' list",
    Rule.LANGUAGE: "{n} with no shared language",
    Rule.AVAILABILITY: "{n} with too little common availability",
    Rule.GRADE_GAP: "{n} with too small a grade gap",
    Rule.SAME_DEPARTMENT: "{n} in the same department",
    Rule.SAME_ORGANISATION: "{n} in the same organisation",
    Rule.EXCLUDED: "{n} excluded",
    Rule.CAPACITY: "{n} with no free place",
}


def reason_without_partner(
    side: Side, person_id: PersonId, blocked: dict[Rule, int], n_others: int, policy: MatchingPolicy
) -> UnmatchedReason:
    """Reason for someone who passes the rules with nobody on the other side.

    ``blocked[rule]`` counts the people on the other side that fail ``rule`` with them.
    """
    table = _LEADER_REASONS if side is Side.LEADER else _MENTOR_REASONS
    counts = {r.value: int(n) for r, n in blocked.items() if n > 0}
    if side is Side.MENTOR and blocked.get(Rule.CAPACITY, 0) == n_others:
        text = table[Rule.CAPACITY]
        return UnmatchedReason(person_id, side, ReasonCode.CAPACITY, text, 0, counts)
    for rule in RULES:
        if blocked.get(rule, 0) == n_others and n_others > 0:
            text = table[rule]
            if rule is Rule.AVAILABILITY:
                hours = policy.rules.min_common_hours
                text += f" (at least {hours:g} hour{'' if hours == 1 else 's'} a week)"
            if rule is Rule.GRADE_GAP and policy.rules.min_grade_gap is not None:
                text += f" (at least {_grades(policy.rules.min_grade_gap)})"
            return UnmatchedReason(person_id, side, ReasonCode(rule.value), text, 0, counts)
    other = "mentor" if side is Side.LEADER else "leader"
    ranked = sorted(
        ((n, RULES.index(r), r) for r, n in blocked.items() if n > 0), key=lambda t: (-t[0], t[1])
    )
    detail = ", ".join(_SHORT[r].format(n=n) for n, _, r in ranked[:3])
    text = f"no {other} meets every rule at once" + (f" ({detail})" if detail else "")
    return UnmatchedReason(person_id, side, ReasonCode.COMBINED, text, 0, counts)


def reason_taken(side: Side, person_id: PersonId, compatible: int) -> UnmatchedReason:
    """Reason for someone who has compatible partners, all of them paired elsewhere.

    ``compatible`` is the number of such partners, or 0 when it was not counted. The same
    sentence fits both methods: with stable matching too, every compatible mentor of an
    unmatched leader is full.
    """
    if side is Side.LEADER:
        if compatible == 1:
            text = "their only compatible mentor is at capacity with other leaders"
        elif compatible > 1:
            text = f"all {compatible} compatible mentors are at capacity with other leaders"
        else:
            text = "every compatible mentor is at capacity with other leaders"
        return UnmatchedReason(person_id, side, ReasonCode.TAKEN, text, compatible)
    if compatible == 1:
        text = "their only compatible leader was paired with another mentor"
    elif compatible > 1:
        text = f"all {compatible} compatible leaders were paired with other mentors"
    else:
        text = "every compatible leader was paired with another mentor"
    return UnmatchedReason(person_id, side, ReasonCode.TAKEN, text, compatible)
