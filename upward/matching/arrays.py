"""Participants turned into arrays, once, so that rules and scores run on whole blocks.

Sets (topics, objectives, languages, availability slots) are stored twice: as 0/1 float32
matrices for block scoring by matrix products, and as packed 64-bit words for exact per-pair
counts by ``bitwise_count``. Free text becomes TF-IDF rows (scikit-learn).
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp  # type: ignore[import-untyped, unused-ignore]
from sklearn.feature_extraction.text import (  # type: ignore[import-untyped, unused-ignore]
    TfidfVectorizer,
)

from upward.matching.errors import MatchingInputError
from upward.matching.model import HOURS_PER_WEEK, Participant, PersonId, Side
from upward.matching.orgtree import OrgTree
from upward.matching.policy import MatchingPolicy
from upward.matching.style import codes as style_codes

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]
I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]
U64 = npt.NDArray[np.uint64]
Bool = npt.NDArray[np.bool_]


def sorted_unique(values: npt.ArrayLike) -> I64:
    """The distinct values of a list of integers (pair keys, indices), in increasing order.

    A sort and one comparison: for the hundreds of thousands of pair keys of a large
    programme this is many times faster than ``np.unique``, whose hash table does not pay off
    on keys that are nearly all distinct.
    """
    out: I64 = np.sort(np.asarray(values, dtype=np.int64).ravel())
    if out.size > 1:
        keep = np.empty(out.size, dtype=bool)
        keep[0] = True
        np.not_equal(out[1:], out[:-1], out=keep[1:])
        out = out[keep]
    return out


@dataclass
class SetColumn:
    """A set-valued attribute of one side: 0/1 matrix, packed bits and set sizes."""

    dense: F32
    bits: U64
    size: F32


@dataclass
class SideArrays:
    """One side (leaders or mentors) as arrays; row ``i`` is ``people[i]``."""

    side: Side
    people: list[Participant]
    ids: list[PersonId]
    index: dict[PersonId, int]
    org: I32
    dept: I32
    grade: I32
    node: I64
    tin: I64
    tout: I64
    sought: SetColumn
    offered: SetColumn
    objectives: SetColumn
    languages: SetColumn
    lang_known: Bool
    avail: SetColumn
    avail_known: Bool
    identity: I32
    culture: F32
    capacity: I64
    style: I32

    @property
    def n(self) -> int:
        return len(self.ids)


@dataclass
class PairTable:
    """A sparse set of leader-mentor pairs keyed by ``leader * n_mentors + mentor``.

    ``keys`` is sorted; ``ptr`` gives, for each leader, the slice of ``keys`` for that leader.
    """

    keys: I64
    values: F64
    ptr: I64
    n_mentors: int

    @classmethod
    def build(
        cls, leaders: I64, mentors: I64, values: F64 | None, n_leaders: int, n_mentors: int
    ) -> PairTable:
        keys = leaders * n_mentors + mentors
        vals = np.ones(keys.size) if values is None else np.asarray(values, dtype=np.float64)
        order = np.argsort(keys, kind="stable")
        keys, vals = keys[order], vals[order]
        if keys.size:
            first = np.concatenate([[True], keys[1:] != keys[:-1]])
            keys, vals = keys[first], vals[first]
        ptr = np.searchsorted(keys, np.arange(n_leaders + 1, dtype=np.int64) * n_mentors)
        return cls(keys.astype(np.int64), vals, ptr.astype(np.int64), n_mentors)

    @classmethod
    def empty(cls, n_leaders: int, n_mentors: int) -> PairTable:
        z = np.zeros(0, dtype=np.int64)
        return cls.build(z, z, None, n_leaders, n_mentors)

    def __len__(self) -> int:
        return int(self.keys.size)

    def lookup(self, leaders: I64, mentors: I64) -> tuple[Bool, F64]:
        """Whether each pair is present, and its value (0 where absent)."""
        q = leaders * self.n_mentors + mentors
        if self.keys.size == 0:
            return np.zeros(q.size, dtype=bool), np.zeros(q.size)
        pos = np.minimum(np.searchsorted(self.keys, q), self.keys.size - 1)
        found = self.keys[pos] == q
        return found, np.where(found, self.values[pos], 0.0)

    def rows(self, leaders: I64) -> tuple[I64, I64, F64]:
        """Entries of the given leaders: (position in ``leaders``, mentor, value)."""
        starts, ends = self.ptr[leaders], self.ptr[leaders + 1]
        counts = ends - starts
        total = int(counts.sum())
        if total == 0:
            z = np.zeros(0, dtype=np.int64)
            return z, z, np.zeros(0)
        owner = np.repeat(np.arange(leaders.size, dtype=np.int64), counts)
        offsets = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
        pos = starts[owner] + offsets
        return owner, self.keys[pos] % self.n_mentors, self.values[pos]

    def union(self, other: PairTable) -> PairTable:
        n_leaders = self.ptr.size - 1
        keys = np.concatenate([self.keys, other.keys])
        vals = np.concatenate([self.values, other.values])
        return PairTable.build(
            keys // self.n_mentors, keys % self.n_mentors, vals, n_leaders, self.n_mentors
        )


@dataclass
class TextModel:
    """TF-IDF rows (unit length) of leaders' hopes and mentors' offers."""

    leaders: sp.csr_array
    mentors: sp.csr_array
    leaders32: sp.csr_array
    mentors32: sp.csr_array
    terms: npt.NDArray[np.str_]

    @property
    def empty(self) -> bool:
        return self.terms.size == 0


@dataclass
class Wishes:
    """Ranked wishes of both sides. Values are 0.5 * leader's + 0.5 * mentor's wish strength.

    ``leader_rank`` / ``mentor_rank`` hold each pair's 1-based rank in the wisher's list
    (0 when not listed).
    """

    table: PairTable
    leader_rank: I64
    mentor_rank: I64


@dataclass
class ProblemArrays:
    """Everything about a set of leaders and mentors that rules and scores need."""

    leaders: SideArrays
    mentors: SideArrays
    tree: OrgTree
    text: TextModel
    wishes: Wishes
    please_not: PairTable
    topic_names: list[str]
    objective_names: list[str]
    language_names: list[str]
    dimensions: tuple[str, ...]
    organisations: list[str]
    departments: list[tuple[str, str]]


def build_arrays(
    leaders: Sequence[Participant],
    mentors: Sequence[Participant],
    policy: MatchingPolicy,
    *,
    org_tree: OrgTree | None = None,
) -> ProblemArrays:
    """Check the participants and turn them into arrays."""
    leaders = list(leaders)
    mentors = list(mentors)
    if not leaders:
        raise MatchingInputError("there are no leaders to match")
    if not mentors:
        raise MatchingInputError("there are no mentors to match with")
    seen: dict[PersonId, Side] = {}
    for expected, people in ((Side.LEADER, leaders), (Side.MENTOR, mentors)):
        for p in people:
            if not isinstance(p, Participant):
                raise MatchingInputError(f"expected Participant objects, got {type(p).__name__}")
            if p.side is not expected:
                raise MatchingInputError(
                    f"participant {p.id!r} is a {p.side.value} but was passed as a {expected.value}"
                )
            if p.id in seen:
                raise MatchingInputError(f"participant id {p.id!r} appears more than once")
            seen[p.id] = p.side

    tree = org_tree if org_tree is not None else _tree_from_chains([*leaders, *mentors])
    everyone = [*leaders, *mentors]
    missing = [p.id for p in everyone if p.id not in tree]
    if missing:
        raise MatchingInputError(f"participant {missing[0]!r} is not in the organisation tree")

    topic_names = sorted({t for p in everyone for t in (*p.topics_sought, *p.topics_offered)})
    objective_names = sorted({o for p in everyone for o in p.objectives})
    language_names = sorted({lang for p in everyone for lang in p.languages})
    organisations = sorted({p.organisation for p in everyone if p.organisation})
    departments = sorted({(p.organisation, p.department) for p in everyone if p.department})
    dims = policy.difference_dimensions
    dim_values = [sorted({p.identity[d] for p in everyone if d in p.identity}) for d in dims]

    vocab = _Vocab(
        topics={t: i for i, t in enumerate(topic_names)},
        objectives={o: i for i, o in enumerate(objective_names)},
        languages={x: i for i, x in enumerate(language_names)},
        orgs={o: i for i, o in enumerate(organisations)},
        depts={d: i for i, d in enumerate(departments)},
        dims=dims,
        dim_values=[{v: i for i, v in enumerate(vals)} for vals in dim_values],
    )
    side_l = _side_arrays(Side.LEADER, leaders, vocab, tree)
    side_m = _side_arrays(Side.MENTOR, mentors, vocab, tree)
    return ProblemArrays(
        leaders=side_l,
        mentors=side_m,
        tree=tree,
        text=_text_model(leaders, mentors),
        wishes=_wishes(side_l, side_m),
        please_not=_please_not(side_l, side_m),
        topic_names=topic_names,
        objective_names=objective_names,
        language_names=language_names,
        dimensions=dims,
        organisations=organisations,
        departments=departments,
    )


@dataclass
class _Vocab:
    topics: dict[str, int]
    objectives: dict[str, int]
    languages: dict[str, int]
    orgs: dict[str, int]
    depts: dict[tuple[str, str], int]
    dims: tuple[str, ...]
    dim_values: list[dict[str, int]]


def _tree_from_chains(people: Sequence[Participant]) -> OrgTree:
    chains: dict[Hashable, Sequence[Hashable]] = {p.id: p.manager_chain for p in people}
    return OrgTree.from_chains(chains)


def _set_column(sets: Iterable[Iterable[str]], vocab: dict[str, int], n: int) -> SetColumn:
    items = [list(s) for s in sets]
    sizes = np.fromiter(map(len, items), dtype=np.int64, count=n)
    rows = np.repeat(np.arange(n, dtype=np.int64), sizes)
    cols = np.fromiter(
        map(vocab.__getitem__, itertools.chain.from_iterable(items)),
        dtype=np.int64,
        count=int(sizes.sum()),
    )
    return _set_column_from_indices(rows, cols, n, len(vocab))


def _set_column_from_indices(rows: I64, cols: I64, n: int, width: int) -> SetColumn:
    dense = np.zeros((n, max(width, 1)), dtype=np.float32)
    words = max(1, (width + 63) // 64)
    bits = np.zeros((n, words), dtype=np.uint64)
    if rows.size:
        dense[rows, cols] = 1.0
        # Each (row, column) appears once (the inputs are sets), so adding the bits of a word
        # is the same as OR-ing them.
        np.add.at(
            bits, (rows, cols // 64), np.left_shift(np.uint64(1), (cols % 64).astype(np.uint64))
        )
    return SetColumn(dense=dense, bits=bits, size=dense.sum(axis=1).astype(np.float32))


def _side_arrays(side: Side, people: list[Participant], vocab: _Vocab, tree: OrgTree) -> SideArrays:
    n = len(people)
    node = tree.indices(p.id for p in people)
    avail_known = np.fromiter((p.availability is not None for p in people), dtype=bool, count=n)
    slot_rows: list[int] = []
    slot_cols: list[int] = []
    for i, p in enumerate(people):
        if p.availability:
            slot_rows.extend([i] * len(p.availability))
            slot_cols.extend(sorted(p.availability))
    identity = np.full((n, len(vocab.dims)), -1, dtype=np.int32)
    for j, dim in enumerate(vocab.dims):
        values = vocab.dim_values[j]
        for i, p in enumerate(people):
            if dim in p.identity:
                identity[i, j] = values[p.identity[dim]]
    return SideArrays(
        side=side,
        people=people,
        ids=[p.id for p in people],
        index={p.id: i for i, p in enumerate(people)},
        org=np.fromiter(
            (vocab.orgs.get(p.organisation, -1) for p in people), dtype=np.int32, count=n
        ),
        dept=np.fromiter(
            (vocab.depts.get((p.organisation, p.department), -1) for p in people),
            dtype=np.int32,
            count=n,
        ),
        grade=np.fromiter((p.grade for p in people), dtype=np.int32, count=n),
        node=node,
        tin=tree.tin[node],
        tout=tree.tout[node],
        sought=_set_column((p.topics_sought for p in people), vocab.topics, n),
        offered=_set_column((p.topics_offered for p in people), vocab.topics, n),
        objectives=_set_column((p.objectives for p in people), vocab.objectives, n),
        languages=_set_column((p.languages for p in people), vocab.languages, n),
        lang_known=np.fromiter((bool(p.languages) for p in people), dtype=bool, count=n),
        avail=_set_column_from_indices(
            np.asarray(slot_rows, dtype=np.int64),
            np.asarray(slot_cols, dtype=np.int64),
            n,
            HOURS_PER_WEEK,
        ),
        avail_known=avail_known,
        identity=identity,
        culture=np.fromiter((p.culture_change for p in people), dtype=np.float32, count=n),
        capacity=np.fromiter(
            (p.capacity if side is Side.MENTOR else 1 for p in people), dtype=np.int64, count=n
        ),
        style=style_codes([p.working_style for p in people]),
    )


def _text_model(leaders: list[Participant], mentors: list[Participant]) -> TextModel:
    docs = [p.hopes_to_learn for p in leaders] + [p.can_share for p in mentors]
    n_l = len(leaders)
    vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english", dtype=np.float64)
    try:
        matrix = sp.csr_array(vectorizer.fit_transform(docs))
        terms = np.asarray(vectorizer.get_feature_names_out(), dtype=np.str_)
    except ValueError:  # every text is empty or only stop words
        matrix = sp.csr_array((len(docs), 0), dtype=np.float64)
        terms = np.zeros(0, dtype=np.str_)
    matrix.sort_indices()
    lead = sp.csr_array(matrix[:n_l])
    ment = sp.csr_array(matrix[n_l:])
    return TextModel(
        leaders=lead,
        mentors=ment,
        leaders32=sp.csr_array(lead.astype(np.float32)),
        mentors32=sp.csr_array(ment.astype(np.float32)),
        terms=terms,
    )


def _wish_entries(
    wishers: SideArrays, others: SideArrays
) -> tuple[list[int], list[int], list[float], list[int]]:
    """(wisher, other, strength, 1-based rank) for every wish naming someone on the other side."""
    owner: list[int] = []
    target: list[int] = []
    strength: list[float] = []
    rank: list[int] = []
    for i, p in enumerate(wishers.people):
        valid = []
        for pid in p.wishes:
            j = others.index.get(pid)
            if j is not None and j not in valid:
                valid.append(j)
        for r, j in enumerate(valid):
            owner.append(i)
            target.append(j)
            strength.append((len(valid) - r) / len(valid))
            rank.append(r + 1)
    return owner, target, strength, rank


def _wishes(leaders: SideArrays, mentors: SideArrays) -> Wishes:
    n_l, n_m = leaders.n, mentors.n
    lo, lt, ls, lr = _wish_entries(leaders, mentors)
    mo, mt, ms, mr = _wish_entries(mentors, leaders)
    li = np.asarray(lo + mt, dtype=np.int64)
    mi = np.asarray(lt + mo, dtype=np.int64)
    values = np.asarray([0.5 * s for s in ls] + [0.5 * s for s in ms], dtype=np.float64)
    l_rank = np.asarray(lr + [0] * len(mr), dtype=np.int64)
    m_rank = np.asarray([0] * len(lr) + mr, dtype=np.int64)
    keys = li * n_m + mi
    order = np.argsort(keys, kind="stable")
    keys, values, l_rank, m_rank = keys[order], values[order], l_rank[order], m_rank[order]
    if keys.size:
        # Merge a leader's and a mentor's wish for the same pair.
        uniq, start = np.unique(keys, return_index=True)
        values = np.add.reduceat(values, start)
        l_rank = np.maximum.reduceat(l_rank, start)
        m_rank = np.maximum.reduceat(m_rank, start)
        keys = uniq
    table = PairTable.build(keys // n_m, keys % n_m, values, n_l, n_m)
    return Wishes(table=table, leader_rank=l_rank, mentor_rank=m_rank)


def _please_not(leaders: SideArrays, mentors: SideArrays) -> PairTable:
    li: list[int] = []
    mi: list[int] = []
    for i, p in enumerate(leaders.people):
        for pid in p.please_not:
            j = mentors.index.get(pid)
            if j is not None:
                li.append(i)
                mi.append(j)
    for j, p in enumerate(mentors.people):
        for pid in p.please_not:
            found = leaders.index.get(pid)
            if found is not None:
                li.append(found)
                mi.append(j)
    return PairTable.build(
        np.asarray(li, dtype=np.int64),
        np.asarray(mi, dtype=np.int64),
        None,
        leaders.n,
        mentors.n,
    )
