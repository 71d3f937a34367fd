"""The anonymity engine: which aggregates of a survey may be released, and which stay hidden.

Plain Python (numpy and scipy only, no Django), so it can be read and tested on its own. Every
results page, chart, export and API answer asks this module before it shows a number.

The rules
---------
* A score shows only with at least ``n`` respondents: the programme's threshold, default 5,
  never below 3 (``threshold_for``).
* Free-text comments need at least ``max(10, n)`` respondents, are shown shuffled, and carry no
  time finer than the campaign (``release_comments``).
* A segment (a filter such as ``side=mentor`` or ``side=mentor & organisation=Acme``) is refused
  when it, or its **remainder** (its parent minus the segment), has between 1 and ``n - 1``
  respondents. Its parent is the segment without its last filter, so a viewer who drills down
  one filter at a time meets the rule at every step.
* When a group among siblings is hidden, the next-smallest sibling is hidden with it, and so on
  until the hidden groups together hold at least ``n`` respondents (complementary suppression),
  so no subtraction of two results reveals a small group.

Why this holds across a sequence of filters
-------------------------------------------
The rules above look at one partition at a time; a viewer who combines several views (the
total, ``side=mentor``, ``organisation=Acme``, ``side=mentor & organisation=Acme``...) could still
add and subtract released counts and sums. So the engine does not answer queries one by one.
For each campaign it computes, once, a *release plan*: the fixed set of segments (a lattice of
the whole campaign, each dimension, and each pair of dimensions) that may ever be shown. The
plan depends only on the responses, never on what anyone asked before, and every answer to
anyone is read from it. Whatever sequence of filters a viewer tries, everything they can see
is a subset of the plan; so it is enough that the plan *as a whole* is safe.

The plan is built greedily in a fixed order. A candidate segment that passes the rules is
added only if, afterwards, no group of respondents with 1 to ``n - 1`` members can be computed
from the released figures by any linear combination (sums, differences, inclusion-exclusion...)
— the strongest thing an attacker can do with counts and sums. The check is exact linear
algebra: respondents are grouped into *atoms* (people who share every segment attribute, and so
cannot be told apart by any filter); a group's indicator vector lies in the span of the
released segments' indicator vectors iff it is orthogonal to the null space of the release
matrix. We test every union of atoms small enough to matter.

Free text is different: a comment is recognisable, so a viewer can also *intersect* the sets of
comments shown for two segments. What they can learn is then every cell of the Boolean algebra
the released segments generate; comments are released for a segment only if every such cell
holds at least ``max(10, n)`` respondents.

Results are released only once a campaign has closed (the caller's duty, see
``upward.evidence.selectors``): a figure that changes as responses arrive would otherwise reveal
the latest respondent by difference over time.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
from scipy.linalg import null_space

DEFAULT_THRESHOLD = 5
MINIMUM_THRESHOLD = 3
COMMENT_THRESHOLD = 10
DEFAULT_DEPTH = 2

# A segment is a sorted tuple of (dimension, value) filters; () is the whole campaign.
Filter = tuple[str, str]
Segment = tuple[Filter, ...]
# An atom is the full tuple of a respondent's segment attributes, in the order of the dimensions.
Atom = tuple[str, ...]


def threshold_for(programme_threshold: int | None) -> int:
    """The number of respondents a score needs: the programme's, default 5, never below 3."""
    if programme_threshold is None:
        return DEFAULT_THRESHOLD
    return max(MINIMUM_THRESHOLD, int(programme_threshold))


def comment_threshold_for(n: int) -> int:
    return max(COMMENT_THRESHOLD, n)


class Reason(StrEnum):
    TOO_FEW = "too few respondents"
    REMAINDER = "the rest of its group would be too small"
    SIBLING = "hidden with a smaller group beside it"
    PARENT = "the group it belongs to is hidden"
    DIFFERENCING = "would let a small group be worked out from other results"
    NO_RESPONSES = "no responses"


def make_segment(filters: Mapping[str, str] | Iterable[Filter]) -> Segment:
    items = filters.items() if isinstance(filters, Mapping) else filters
    return tuple(sorted((str(k), str(v)) for k, v in items))


def describe(segment: Segment) -> str:
    return " & ".join(f"{d} = {v}" for d, v in segment) or "everyone"


@dataclass(frozen=True)
class Population:
    """How many respondents share each combination of segment attributes."""

    dimensions: tuple[str, ...]
    atoms: Mapping[Atom, int]

    @classmethod
    def from_rows(cls, dimensions: Sequence[str], rows: Iterable[Mapping[str, str]]) -> Population:
        counts: dict[Atom, int] = {}
        for row in rows:
            atom = tuple(str(row.get(d, "")) for d in dimensions)
            counts[atom] = counts.get(atom, 0) + 1
        return cls(tuple(dimensions), counts)

    def matches(self, atom: Atom, segment: Segment) -> bool:
        index = {d: i for i, d in enumerate(self.dimensions)}
        return all(d in index and atom[index[d]] == v for d, v in segment)

    def count(self, segment: Segment) -> int:
        return sum(c for a, c in self.atoms.items() if self.matches(a, segment))

    def values(self, dimension: str) -> list[str]:
        """The values of a dimension among respondents; an empty value (not recorded, e.g. the
        side in a baseline of the wider organisation) is never offered as a filter."""
        i = self.dimensions.index(dimension)
        return sorted({a[i] for a, c in self.atoms.items() if c > 0 and a[i] != ""})

    @property
    def total(self) -> int:
        return sum(self.atoms.values())


@dataclass(frozen=True)
class Plan:
    """The fixed set of segments a campaign may show, and why the others are hidden."""

    n: int
    population: Population
    released: frozenset[Segment]
    hidden: Mapping[Segment, Reason]
    comments_released: frozenset[Segment] = field(default_factory=frozenset)

    def allows(self, segment: Segment) -> bool:
        return segment in self.released

    def allows_comments(self, segment: Segment) -> bool:
        return segment in self.comments_released

    def reason(self, segment: Segment) -> Reason:
        if segment in self.released:
            raise ValueError("segment is released")
        return self.hidden.get(segment, Reason.DIFFERENCING)


def candidate_segments(population: Population, depth: int = DEFAULT_DEPTH) -> list[Segment]:
    """The lattice, in the fixed order the plan is built: whole, single filters, pairs..."""
    dims = population.dimensions
    out: list[Segment] = [()]
    for k in range(1, min(depth, len(dims)) + 1):
        for combo in itertools.combinations(dims, k):
            for values in itertools.product(*(population.values(d) for d in combo)):
                out.append(make_segment(zip(combo, values, strict=True)))
    return out


def _parent_and_dimension(segment: Segment, dims: Sequence[str]) -> tuple[Segment, str]:
    """The parent is the segment without its last filter, in the order of the dimensions."""
    order = {d: i for i, d in enumerate(dims)}
    last = max(segment, key=lambda f: order[f[0]])
    return tuple(f for f in segment if f != last), last[0]


def rule_verdicts(
    population: Population, n: int, depth: int = DEFAULT_DEPTH
) -> dict[Segment, Reason]:
    """Apply the per-partition rules (size, remainder, sibling, parent); return what they hide."""
    hidden: dict[Segment, Reason] = {}
    total = population.total
    if total == 0:
        hidden[()] = Reason.NO_RESPONSES
    elif total < n:
        hidden[()] = Reason.TOO_FEW
    candidates = candidate_segments(population, depth)
    by_partition: dict[tuple[Segment, str], list[Segment]] = {}
    for seg in candidates[1:]:
        by_partition.setdefault(_parent_and_dimension(seg, population.dimensions), []).append(seg)
    # Partitions of a parent are visited after the parent itself (shorter segments first).
    for (parent, _dim), children in sorted(by_partition.items(), key=lambda kv: len(kv[0][0])):
        counts = {c: population.count(c) for c in children}
        if parent in hidden:
            for c in children:
                hidden.setdefault(c, Reason.PARENT)
            continue
        parent_count = population.count(parent)
        for c in children:
            if counts[c] == 0:
                hidden.setdefault(c, Reason.NO_RESPONSES)
            elif counts[c] < n:
                hidden.setdefault(c, Reason.TOO_FEW)
            elif 0 < parent_count - counts[c] < n:
                hidden.setdefault(c, Reason.REMAINDER)
        # Complementary suppression: hide the next-smallest sibling until the hidden groups
        # together are at least n (or nothing is left to hide).
        while True:
            hidden_sum = sum(counts[c] for c in children if c in hidden)
            visible = sorted(
                (c for c in children if c not in hidden and counts[c] > 0),
                key=lambda c: (counts[c], c),
            )
            if not (0 < hidden_sum < n) or not visible:
                break
            hidden[visible[0]] = Reason.SIBLING
    return hidden


class _Checker:
    """Decides whether a set of released segments lets a group below n be computed."""

    def __init__(self, population: Population, n: int) -> None:
        self.n = n
        self.atoms = [a for a, c in population.atoms.items() if c > 0]
        self.counts = np.array([population.atoms[a] for a in self.atoms], dtype=float)
        self.population = population

    def vector(self, segment: Segment) -> np.ndarray:
        return np.array([1.0 if self.population.matches(a, segment) else 0.0 for a in self.atoms])

    def classes(self, vectors: Sequence[np.ndarray]) -> list[tuple[list[int], int]]:
        """Atoms that every released vector treats alike, with their respondent counts."""
        groups: dict[tuple[float, ...], list[int]] = {}
        for i in range(len(self.atoms)):
            groups.setdefault(tuple(v[i] for v in vectors), []).append(i)
        return [(idx, int(sum(self.counts[i] for i in idx))) for idx in groups.values()]

    def linear_safe(self, vectors: Sequence[np.ndarray]) -> bool:
        """No union of atoms holding 1..n-1 respondents lies in the span of ``vectors``."""
        if not vectors or not self.atoms:
            return True
        classes = self.classes(vectors)
        matrix = np.array([[v[idx[0]] for idx, _ in classes] for v in vectors])
        null = null_space(matrix)  # columns span the null space; rows are per class
        small = [(k, c) for k, (_, c) in enumerate(classes) if c < self.n]
        if null.shape[1] == 0:
            return not small  # everything is determined: every class must be large
        rows = null

        def search(start: int, acc: np.ndarray, size: int) -> bool:
            for j in range(start, len(small)):
                k, c = small[j]
                if size + c >= self.n:
                    continue
                nxt = acc + rows[k]
                if np.allclose(nxt, 0.0, atol=1e-9):
                    return False
                if not search(j + 1, nxt, size + c):
                    return False
            return True

        return search(0, np.zeros(rows.shape[1]), 0)

    def boolean_safe(self, vectors: Sequence[np.ndarray], threshold: int) -> bool:
        """Every cell of the Boolean algebra the released sets generate is large enough."""
        for idx, count in self.classes(vectors):
            covered = any(v[idx[0]] > 0 for v in vectors)
            if covered and count < threshold:
                return False
        return True


def plan(population: Population, n: int, depth: int = DEFAULT_DEPTH) -> Plan:
    """Build the release plan of a campaign: the rules first, then the differencing check."""
    if n < MINIMUM_THRESHOLD:
        raise ValueError(f"the threshold is never below {MINIMUM_THRESHOLD}")
    hidden = rule_verdicts(population, n, depth)
    checker = _Checker(population, n)
    released: list[Segment] = []
    vectors: list[np.ndarray] = []
    for seg in candidate_segments(population, depth):
        if seg in hidden:
            continue
        v = checker.vector(seg)
        if checker.linear_safe([*vectors, v]):
            released.append(seg)
            vectors.append(v)
        else:
            hidden[seg] = Reason.DIFFERENCING
    m = comment_threshold_for(n)
    comments: list[Segment] = []
    comment_vectors: list[np.ndarray] = []
    for seg in released:
        v = checker.vector(seg)
        if checker.boolean_safe([*comment_vectors, v], m):
            comments.append(seg)
            comment_vectors.append(v)
    return Plan(n, population, frozenset(released), hidden, frozenset(comments))


@dataclass(frozen=True)
class Aggregate:
    segment: Segment
    respondents: int
    mean: float
    total: float


@dataclass(frozen=True)
class Hidden:
    segment: Segment
    reason: Reason


def aggregate(
    release: Plan, segment: Segment, rows: Iterable[tuple[Mapping[str, str], float]]
) -> Aggregate | Hidden:
    """The mean of ``rows`` (segment attributes, value) in ``segment``, if the plan allows it.

    Only respondents who answered count; a segment the plan hides answers ``Hidden``. The count
    used is the segment's respondents to this measure, which must be at least n as well.
    """
    if not release.allows(segment):
        return Hidden(segment, release.reason(segment))
    dims = release.population.dimensions
    values = [
        v
        for attrs, v in rows
        if release.population.matches(tuple(str(attrs.get(d, "")) for d in dims), segment)
    ]
    if len(values) < release.n:
        return Hidden(segment, Reason.TOO_FEW)
    return Aggregate(segment, len(values), sum(values) / len(values), float(sum(values)))


def release_comments(
    release: Plan,
    segment: Segment,
    rows: Iterable[tuple[Mapping[str, str], str]],
    *,
    seed: int,
) -> list[str] | Hidden:
    """The comments of a segment, shuffled, with no time attached, if the plan allows them."""
    if not release.allows_comments(segment):
        reason = Reason.TOO_FEW if release.allows(segment) else release.reason(segment)
        return Hidden(segment, reason)
    dims = release.population.dimensions
    texts = [
        t
        for attrs, t in rows
        if t.strip()
        and release.population.matches(tuple(str(attrs.get(d, "")) for d in dims), segment)
    ]
    texts.sort()  # drop the storage order before shuffling
    random.Random(seed).shuffle(texts)
    return texts


@dataclass(frozen=True)
class Reported:
    """An aggregate someone else computed (a historical survey): a segment, its size, a mean."""

    segment: Segment
    respondents: int
    mean: float


def suppress_reported(rows: Sequence[Reported], n: int) -> dict[Segment, Reason]:
    """The same rules for figures imported already aggregated, and a differencing check.

    Without the people behind the figures the exact search of ``plan`` cannot run, so the
    engine assumes the worst an attacker could know about how the groups overlap:

    * size: a group below ``n`` is hidden; if the whole is hidden, everything is;
    * remainder: a group whose whole minus it is 1 to ``n - 1`` people is hidden;
    * siblings: within one dimension the hidden groups, *together with the people the file
      puts in no group of that dimension* (the whole minus the dimension's groups), must hold
      ``n`` or more, else the next-smallest group is hidden too;
    * differencing across dimensions: any union of one dimension's shown groups (or of all its
      hidden ones, which is the whole minus the shown) could contain, or be contained in, any
      union of another dimension's; if two such unions differ by 1 to ``n - 1`` people, that
      difference could be a group of its own (departments inside organisations, say), so the
      smallest shown group of the two dimensions is hidden and the check runs again.

    Segments are compared with the whole (``()``) of the same measure and period, one dimension
    per segment. Returns the segments to hide, with why.
    """
    hidden: dict[Segment, Reason] = {}
    whole = next((r for r in rows if r.segment == ()), None)
    for r in rows:
        if r.respondents < n:
            hidden[r.segment] = Reason.TOO_FEW
    if whole is not None and whole.segment in hidden:
        for r in rows:
            hidden.setdefault(r.segment, Reason.PARENT)
        return hidden
    by_dimension: dict[tuple[str, ...], list[Reported]] = {}
    for r in rows:
        if r.segment:
            by_dimension.setdefault(tuple(d for d, _ in r.segment), []).append(r)
    if whole is not None:
        for siblings in by_dimension.values():
            for r in siblings:
                if 0 < whole.respondents - r.respondents < n:
                    hidden.setdefault(r.segment, Reason.REMAINDER)

    def rest(siblings: list[Reported]) -> int:
        """People of the whole the dimension puts in no group (unknown without a whole)."""
        if whole is None:
            return 0
        return max(0, whole.respondents - sum(r.respondents for r in siblings))

    def complete_siblings(hidden: dict[Segment, Reason]) -> dict[Segment, Reason]:
        for siblings in by_dimension.values():
            while True:
                hidden_sum = rest(siblings) + sum(
                    r.respondents for r in siblings if r.segment in hidden
                )
                visible = sorted(
                    (r for r in siblings if r.segment not in hidden),
                    key=lambda r: (r.respondents, r.segment),
                )
                if not (0 < hidden_sum < n) or not visible:
                    break
                hidden[visible[0].segment] = Reason.SIBLING
        return hidden

    def differ(hidden: Mapping[Segment, Reason], x: tuple[str, ...], y: tuple[str, ...]) -> bool:
        return _unions_differ_by_a_few(
            _union_sums(by_dimension[x], hidden, whole),
            _union_sums(by_dimension[y], hidden, whole),
            n,
        )

    complete_siblings(hidden)
    dims = sorted(by_dimension)
    changed = True
    while changed:
        changed = False
        for x, y in itertools.combinations(dims, 2):
            if not differ(hidden, x, y):
                continue
            shown = sorted(
                (r for r in by_dimension[x] + by_dimension[y] if r.segment not in hidden),
                key=lambda r: (r.respondents, r.segment),
            )
            # Hide the smallest group whose hiding settles the pair; else the smallest.
            chosen = next(
                (
                    r.segment
                    for r in shown
                    if not differ(
                        complete_siblings({**hidden, r.segment: Reason.DIFFERENCING}), x, y
                    )
                ),
                shown[0].segment,
            )
            hidden[chosen] = Reason.DIFFERENCING
            complete_siblings(hidden)
            changed = True
            break
    return hidden


def _union_sums(
    siblings: Sequence[Reported], hidden: Mapping[Segment, Reason], whole: Reported | None
) -> int:
    """Every size a union of the dimension's computable blocks can have, as a bitset: the
    shown groups, and (with a whole) everyone else of the dimension taken as one block."""
    blocks = [r.respondents for r in siblings if r.segment not in hidden]
    if whole is not None:
        blocks.append(max(0, whole.respondents - sum(blocks)))
    sums = 1  # bit k set: some union holds k people
    for b in blocks:
        if b > 0:
            sums |= sums << b
    return sums


def _unions_differ_by_a_few(a: int, b: int, n: int) -> bool:
    """Some union of one side and some union of the other differ by 1 to n - 1 people."""
    return any((a << d) & b or (b << d) & a for d in range(1, n))
