"""Stable matching with capacities (the hospital/resident problem), array based.

Residents (leaders) have capacity one; hospitals (mentors) have a capacity each. A pair is
acceptable only when each side ranks the other. A matching is stable when no acceptable pair
``(r, h)`` would both rather be together: ``r`` is unmatched or prefers ``h`` to their match,
and ``h`` has a free place or prefers ``r`` to one of its residents.

``stable_match(..., optimal="resident")`` runs resident-proposing deferred acceptance and gives
the stable matching every resident likes best; ``optimal="hospital"`` runs the
hospital-proposing version and gives the one every hospital likes best (Gusfield and Irving,
*The Stable Marriage Problem*, 1989, section 1.6). By the "rural hospitals" theorem both match
the same residents and fill each hospital to the same count.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from upward.matching.errors import MatchingInputError

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class StableMatching:
    """A stable matching.

    ``resident_match[r]`` is the hospital of resident ``r`` or -1; ``hospital_residents[h]``
    lists hospital ``h``'s residents in the hospital's order of preference; ``proposals``
    counts the offers made while running the algorithm.
    """

    resident_match: IntArray
    hospital_residents: list[list[int]]
    optimal: str
    proposals: int

    @property
    def pairs(self) -> list[tuple[int, int]]:
        """Matched ``(resident, hospital)`` pairs sorted by resident."""
        matched = np.flatnonzero(self.resident_match >= 0)
        return list(zip(matched.tolist(), self.resident_match[matched].tolist(), strict=True))

    @property
    def unmatched(self) -> list[int]:
        """Residents left without a hospital."""
        return np.flatnonzero(self.resident_match < 0).tolist()


@dataclass(frozen=True)
class _Tables:
    """Preference lists restricted to mutually acceptable pairs, in CSR form.

    For residents: ``r_ptr`` (length n_r + 1), ``r_hosp`` (hospitals in the resident's order)
    and ``r_hrank`` (the hospital's rank of that resident). For hospitals: ``h_ptr``, ``h_res``
    and ``h_rrank`` (the resident's rank of that hospital).
    """

    n_r: int
    n_h: int
    r_ptr: IntArray
    r_hosp: IntArray
    r_hrank: IntArray
    h_ptr: IntArray
    h_res: IntArray
    h_rrank: IntArray


def stable_match(
    resident_prefs: Sequence[Sequence[int]],
    hospital_prefs: Sequence[Sequence[int]],
    capacity: npt.ArrayLike | None = None,
    *,
    optimal: Literal["resident", "hospital"] = "resident",
) -> StableMatching:
    """Deferred acceptance for residents (capacity 1) and hospitals (``capacity``, default 1).

    ``resident_prefs[r]`` lists hospital indices, best first; ``hospital_prefs[h]`` lists
    resident indices, best first. Pairs listed by only one side are ignored.
    """
    if optimal not in ("resident", "hospital"):
        raise MatchingInputError(f"optimal must be 'resident' or 'hospital', got {optimal!r}")
    tables = _tables(resident_prefs, hospital_prefs)
    cap = _capacity(capacity, tables.n_h)
    if optimal == "resident":
        match, proposals = _resident_proposing(tables, cap)
    else:
        match, proposals = _hospital_proposing(tables, cap)
    return StableMatching(
        resident_match=match,
        hospital_residents=_hospital_lists(tables, match),
        optimal=optimal,
        proposals=proposals,
    )


def blocking_pairs(
    resident_prefs: Sequence[Sequence[int]],
    hospital_prefs: Sequence[Sequence[int]],
    capacity: npt.ArrayLike | None,
    resident_match: npt.ArrayLike,
) -> list[tuple[int, int]]:
    """Acceptable pairs ``(resident, hospital)`` that block ``resident_match`` (empty if stable).

    Also checks that the matching itself only uses acceptable pairs and respects capacities.
    """
    t = _tables(resident_prefs, hospital_prefs)
    cap = _capacity(capacity, t.n_h)
    match = np.asarray(resident_match, dtype=np.int64)
    if match.shape != (t.n_r,):
        raise MatchingInputError("resident_match needs one entry per resident")
    r_of_entry = np.repeat(np.arange(t.n_r), np.diff(t.r_ptr))
    rank_in_list = np.arange(t.r_hosp.size) - t.r_ptr[r_of_entry]
    # Rank each resident gives to their own match (n_h if unmatched).
    own_rank = np.full(t.n_r, np.iinfo(np.int64).max)
    is_own = t.r_hosp == match[r_of_entry]
    own_rank[r_of_entry[is_own]] = rank_in_list[is_own]
    matched = match >= 0
    if np.any(matched & (own_rank == np.iinfo(np.int64).max)):
        raise MatchingInputError("resident_match uses a pair that is not mutually acceptable")
    load = np.bincount(match[matched], minlength=t.n_h)
    if np.any(load > cap):
        raise MatchingInputError("resident_match exceeds a hospital's capacity")
    # Worst rank (hospital's view) among each hospital's residents.
    worst = np.full(t.n_h, -1, dtype=np.int64)
    np.maximum.at(worst, t.r_hosp[is_own], t.r_hrank[is_own])
    prefers_h = rank_in_list < own_rank[r_of_entry]
    h = t.r_hosp
    h_wants = (load[h] < cap[h]) | (t.r_hrank < worst[h])
    block = prefers_h & h_wants & (cap[h] > 0)
    return list(zip(r_of_entry[block].tolist(), h[block].tolist(), strict=True))


# ----------------------------------------------------------------------------------------------


def _resident_proposing(t: _Tables, cap: IntArray) -> tuple[IntArray, int]:
    match = np.full(t.n_r, -1, dtype=np.int64)
    nxt = t.r_ptr[:-1].tolist()
    end = t.r_ptr[1:].tolist()
    hosp = t.r_hosp.tolist()
    hrank = t.r_hrank.tolist()
    capl = cap.tolist()
    held: list[list[tuple[int, int]]] = [[] for _ in range(t.n_h)]  # max-heap via -rank
    free = deque(r for r in range(t.n_r) if nxt[r] < end[r])
    proposals = 0
    while free:
        r = free.popleft()
        while nxt[r] < end[r]:
            e = nxt[r]
            nxt[r] = e + 1
            h, rank = hosp[e], hrank[e]
            proposals += 1
            if capl[h] == 0:
                continue
            heap = held[h]
            if len(heap) < capl[h]:
                heapq.heappush(heap, (-rank, r))
                match[r] = h
                break
            if rank < -heap[0][0]:
                _, dropped = heapq.heapreplace(heap, (-rank, r))
                match[r] = h
                match[dropped] = -1
                free.append(dropped)
                break
    return match, proposals


def _hospital_proposing(t: _Tables, cap: IntArray) -> tuple[IntArray, int]:
    match = np.full(t.n_r, -1, dtype=np.int64)
    current_rank = [0] * t.n_r
    nxt = t.h_ptr[:-1].tolist()
    end = t.h_ptr[1:].tolist()
    res = t.h_res.tolist()
    rrank = t.h_rrank.tolist()
    capl = cap.tolist()
    held = [0] * t.n_h
    queue = deque(h for h in range(t.n_h) if capl[h] > 0 and nxt[h] < end[h])
    queued = [False] * t.n_h
    for h in queue:
        queued[h] = True
    proposals = 0
    while queue:
        h = queue.popleft()
        queued[h] = False
        while held[h] < capl[h] and nxt[h] < end[h]:
            e = nxt[h]
            nxt[h] = e + 1
            r, rank = res[e], rrank[e]
            proposals += 1
            cur = int(match[r])
            if cur == -1 or rank < current_rank[r]:
                match[r] = h
                current_rank[r] = rank
                held[h] += 1
                if cur != -1:
                    held[cur] -= 1
                    if not queued[cur] and nxt[cur] < end[cur]:
                        queue.append(cur)
                        queued[cur] = True
    return match, proposals


def _hospital_lists(t: _Tables, match: IntArray) -> list[list[int]]:
    r_of_entry = np.repeat(np.arange(t.n_r), np.diff(t.r_ptr))
    own = t.r_hosp == match[r_of_entry]
    residents, hospitals, ranks = r_of_entry[own], t.r_hosp[own], t.r_hrank[own]
    order = np.lexsort((ranks, hospitals))
    out: list[list[int]] = [[] for _ in range(t.n_h)]
    for r, h in zip(residents[order].tolist(), hospitals[order].tolist(), strict=True):
        out[h].append(r)
    return out


def _flatten(prefs: Sequence[Sequence[int]], name: str, bound: int) -> tuple[IntArray, IntArray]:
    """Owner and target arrays of a list of preference lists, checked."""
    lengths = np.fromiter((len(p) for p in prefs), dtype=np.int64, count=len(prefs))
    owners = np.repeat(np.arange(len(prefs), dtype=np.int64), lengths)
    flat = [x for p in prefs for x in p]
    try:
        targets = np.asarray(flat, dtype=np.int64) if flat else np.zeros(0, dtype=np.int64)
    except (TypeError, ValueError):
        raise MatchingInputError(f"{name} must hold integer indices") from None
    if targets.size and (targets.min() < 0 or targets.max() >= bound):
        raise MatchingInputError(f"{name} refers to an index outside 0..{bound - 1}")
    keys = owners * max(bound, 1) + targets
    if np.unique(keys).size != keys.size:
        raise MatchingInputError(f"{name} lists the same choice twice in one list")
    return owners, targets


def _tables(
    resident_prefs: Sequence[Sequence[int]], hospital_prefs: Sequence[Sequence[int]]
) -> _Tables:
    n_r, n_h = len(resident_prefs), len(hospital_prefs)
    if n_r == 0 or n_h == 0:
        raise MatchingInputError("stable matching needs at least one resident and one hospital")
    r_own, r_tgt = _flatten(resident_prefs, "resident_prefs", n_h)
    h_own, h_tgt = _flatten(hospital_prefs, "hospital_prefs", n_r)
    r_rank = _rank_in_list(r_own, n_r)
    h_rank = _rank_in_list(h_own, n_h)
    # Key every pair as resident * n_h + hospital on both sides.
    r_keys = r_own * n_h + r_tgt
    h_keys = h_tgt * n_h + h_own
    r_found, r_at = _lookup(h_keys, r_keys)
    h_found, h_at = _lookup(r_keys, h_keys)
    r_keep = np.flatnonzero(r_found)
    h_keep = np.flatnonzero(h_found)
    return _Tables(
        n_r=n_r,
        n_h=n_h,
        r_ptr=_pointers(r_own[r_keep], n_r),
        r_hosp=r_tgt[r_keep],
        r_hrank=h_rank[r_at[r_keep]],
        h_ptr=_pointers(h_own[h_keep], n_h),
        h_res=h_tgt[h_keep],
        h_rrank=r_rank[h_at[h_keep]],
    )


def _rank_in_list(owners: IntArray, n: int) -> IntArray:
    """Position of each entry within its owner's list (owners are grouped, in order)."""
    starts = _pointers(owners, n)[:-1]
    return np.arange(owners.size, dtype=np.int64) - starts[owners]


def _pointers(owners: IntArray, n: int) -> IntArray:
    return np.concatenate([[0], np.cumsum(np.bincount(owners, minlength=n))]).astype(np.int64)


def _lookup(keys: IntArray, queries: IntArray) -> tuple[npt.NDArray[np.bool_], IntArray]:
    """For each query: whether it is among ``keys`` and, if so, its index in ``keys``."""
    if keys.size == 0:
        return np.zeros(queries.size, dtype=bool), np.zeros(queries.size, dtype=np.int64)
    order = np.argsort(keys, kind="stable")
    pos = np.minimum(np.searchsorted(keys[order], queries), keys.size - 1)
    return keys[order][pos] == queries, order[pos]


def _capacity(capacity: npt.ArrayLike | None, n_h: int) -> IntArray:
    if capacity is None:
        return np.ones(n_h, dtype=np.int64)
    arr = np.asarray(capacity)
    if arr.ndim == 0:
        arr = np.full(n_h, arr)
    if arr.shape != (n_h,) or arr.dtype.kind not in "iu":
        raise MatchingInputError(f"capacity must be {n_h} whole numbers, one per hospital")
    out = arr.astype(np.int64)
    if (out < 0).any():
        raise MatchingInputError("capacity must not be negative")
    return out
