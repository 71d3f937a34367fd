"""Reporting lines as a forest, with constant-time "is above" checks on whole arrays.

Each person gets an Euler-tour interval ``[tin, tout)`` from one depth-first walk of the
organisation tree: ``u`` is above ``v`` (an ancestor at any depth) exactly when
``tin[u] < tin[v] < tout[u]``. Checking a million pairs is then four vectorised comparisons,
whatever the depth of the hierarchy.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence

import numpy as np
import numpy.typing as npt

from upward.matching.errors import MatchingInputError

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


class OrgTree:
    """A forest of reporting lines over people identified by hashable ids."""

    def __init__(self, ids: Sequence[Hashable], parent: npt.ArrayLike) -> None:
        """Build from node ids and each node's parent index (-1 for someone with no manager)."""
        self.ids: list[Hashable] = list(ids)
        self._index: dict[Hashable, int] = {}
        for i, pid in enumerate(self.ids):
            if pid in self._index:
                raise MatchingInputError(f"person {pid!r} appears twice in the organisation tree")
            self._index[pid] = i
        n = len(self.ids)
        par = np.asarray(parent, dtype=np.int64)
        if par.shape != (n,):
            raise MatchingInputError("parent must have one entry per id")
        if n and (par.min() < -1 or par.max() >= n):
            raise MatchingInputError("parent refers to an index outside the tree")
        if n and np.any(par == np.arange(n)):
            who = self.ids[int(np.flatnonzero(par == np.arange(n))[0])]
            raise MatchingInputError(f"{who!r} is recorded as their own manager")
        self.parent = par
        self.tin, self.tout, self.depth = _euler_tour(par, self.ids)

    # -- construction helpers -----------------------------------------------------------------

    @classmethod
    def from_managers(cls, manager_of: Mapping[Hashable, Hashable | None]) -> OrgTree:
        """Build from a mapping person id -> direct manager id (``None`` at the top).

        Managers that are not keys themselves are added as people with no known manager.
        """
        ids: list[Hashable] = list(manager_of)
        index = {pid: i for i, pid in enumerate(ids)}
        for manager in manager_of.values():
            if manager is not None and manager not in index:
                index[manager] = len(ids)
                ids.append(manager)
        parent = np.full(len(ids), -1, dtype=np.int64)
        for pid, manager in manager_of.items():
            if manager is not None:
                parent[index[pid]] = index[manager]
        return cls(ids, parent)

    @classmethod
    def from_chains(cls, chains: Mapping[Hashable, Sequence[Hashable]]) -> OrgTree:
        """Build from each person's manager chain (direct manager first, then upwards).

        Chains may stop at any depth; they must not disagree about who someone's manager is.
        """
        manager_of: dict[Hashable, Hashable | None] = {}
        for person, chain in chains.items():
            lower = person
            for upper in _as_chain(chain, person):
                known = manager_of.get(lower)
                if known is None:
                    manager_of[lower] = upper
                elif known != upper:
                    raise MatchingInputError(
                        f"manager chains disagree: {lower!r} reports to {known!r} in one chain "
                        f"and to {upper!r} in another"
                    )
                lower = upper
            manager_of.setdefault(lower, None)
        for person in chains:
            manager_of.setdefault(person, None)
        return cls.from_managers(manager_of)

    # -- queries ------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, pid: object) -> bool:
        return pid in self._index

    def index(self, pid: Hashable) -> int:
        """Node index of ``pid``."""
        try:
            return self._index[pid]
        except KeyError:
            raise MatchingInputError(f"{pid!r} is not in the organisation tree") from None

    def indices(self, pids: Iterable[Hashable]) -> IntArray:
        """Node indices of many ids at once."""
        return np.fromiter((self.index(p) for p in pids), dtype=np.int64)

    def is_above(self, upper: npt.ArrayLike, lower: npt.ArrayLike) -> BoolArray:
        """Whether ``upper`` is an ancestor (at any depth) of ``lower``, element-wise.

        The arrays broadcast against each other, so a column of leaders against a row of
        mentors gives the whole block at once.
        """
        u = np.asarray(upper, dtype=np.int64)
        v = np.asarray(lower, dtype=np.int64)
        tin_v = self.tin[v]
        return (self.tin[u] < tin_v) & (tin_v < self.tout[u])

    def in_same_line(self, a: npt.ArrayLike, b: npt.ArrayLike) -> BoolArray:
        """Whether either person is above the other, element-wise (broadcasting)."""
        return self.is_above(a, b) | self.is_above(b, a)

    def levels_between(self, upper: int, lower: int) -> int:
        """How many levels ``upper`` sits above ``lower`` (0 if not above it)."""
        if not bool(self.is_above(upper, lower)):
            return 0
        return int(self.depth[lower] - self.depth[upper])


def _as_chain(chain: Sequence[Hashable], person: Hashable) -> list[Hashable]:
    if isinstance(chain, str | bytes):
        raise MatchingInputError(
            f"the manager chain of {person!r} must be a list of ids, not a single string"
        )
    out = list(chain)
    if person in out:
        raise MatchingInputError(f"{person!r} appears in their own manager chain")
    if len(set(out)) != len(out):
        raise MatchingInputError(f"the manager chain of {person!r} repeats someone")
    return out


def _euler_tour(parent: IntArray, ids: Sequence[Hashable]) -> tuple[IntArray, IntArray, IntArray]:
    """Entry/exit times and depths from an iterative depth-first walk of the forest."""
    n = parent.size
    tin = np.full(n, -1, dtype=np.int64)
    tout = np.full(n, -1, dtype=np.int64)
    depth = np.zeros(n, dtype=np.int64)
    if n == 0:
        return tin, tout, depth
    has_parent = parent >= 0
    children_order = np.argsort(parent, kind="stable")
    sorted_parent = parent[children_order]
    first = np.searchsorted(sorted_parent, np.arange(n), side="left")
    last = np.searchsorted(sorted_parent, np.arange(n), side="right")
    kids = children_order.tolist()
    first_l, last_l = first.tolist(), last.tolist()
    tin_l = [-1] * n
    tout_l = [-1] * n
    depth_l = [0] * n
    clock = 0
    for root in np.flatnonzero(~has_parent).tolist():
        tin_l[root] = clock
        clock += 1
        stack = [(root, first_l[root])]
        while stack:
            node, pos = stack[-1]
            if pos < last_l[node]:
                stack[-1] = (node, pos + 1)
                child = kids[pos]
                tin_l[child] = clock
                clock += 1
                depth_l[child] = depth_l[node] + 1
                stack.append((child, first_l[child]))
            else:
                tout_l[node] = clock
                stack.pop()
    tin[:] = tin_l
    tout[:] = tout_l
    depth[:] = depth_l
    if np.any(tin < 0):
        who = ids[int(np.flatnonzero(tin < 0)[0])]
        raise MatchingInputError(f"the reporting lines contain a cycle through {who!r}")
    return tin, tout, depth
