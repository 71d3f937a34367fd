"""Proof that the candidate graph lost nothing: LP duality on the full problem.

The solver only sees candidate pairs. To show that its answer is also optimal when every
allowed pair is considered, write the problem as a min-cost circulation

    source -> leader (capacity 1) -> mentor (candidate pairs) -> sink (capacity) -> source

where pairing ``l`` with ``m`` costs ``-(score + B)``: the bonus ``B`` (more than any total
score) makes the number of pairs count first, as in the solver. A flow is optimal exactly
when node potentials exist under which no arc of the residual graph has a negative reduced
cost; shortest-path distances in the residual graph are such potentials (Bellman-Ford,
vectorised). A pair that is not a candidate is then worth adding only if its reduced cost
``-(score + B) + pi_l - pi_m`` is negative, i.e. if ``score > pi_l - pi_m - B``. Scanning
every allowed pair against that bound either finds such pairs (they are added and the problem
is solved again) or proves that the candidate answer is optimal for the whole problem. Most
pairs need not even be scored: see :func:`improving_pairs`.

Potentials are floats; scores within ``TOLERANCE`` of the bound are added too, so rounding can
only add harmless candidates, never hide a better pair.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from upward.matching.arrays import F32, F64, I64, Bool, sorted_unique
from upward.matching.bounds import GROUP, STEPS_PER_POINT, BlockBounds, group_minimum
from upward.matching.candidates import blocks, one_blas_thread, run_blocks
from upward.matching.scoring import MentorView, Scorer

TOLERANCE = 1e-3
# Pairs this close to the bound are added too: they are the likely improvers of the next round.
MARGIN = 0.5
# The first round adds pairs from further below the bound: the first solution's duals move
# when its improving pairs are added, and pairs this close are the ones that then pass the new
# bound. Taking them at once usually leaves nothing to improve after one more solve, so the
# proof needs one re-solve instead of two or three (each a full solve of the candidates).
FIRST_MARGIN = 2.0
MAX_SCORE = 100.0


@dataclass(frozen=True)
class Potentials:
    """Dual values of leaders and mentors, and the per-pair bonus used."""

    leaders: F64
    mentors: F64
    bonus: float


def potentials(
    n_l: int,
    n_m: int,
    leaders: I64,
    mentors: I64,
    scores: F64,
    chosen: Bool,
    capacity: I64,
    active: Bool,
) -> Potentials:
    """Shortest-path potentials of the residual graph of an optimal candidate solution.

    ``leaders``/``mentors``/``scores`` list the candidate pairs, ``chosen`` marks those in the
    solution, ``capacity`` is what each mentor may still take and ``active`` marks the
    leaders being matched (locked leaders are left out).
    """
    n_active = int(active.sum())
    bonus = (n_active + 1) * (MAX_SCORE + 1.0)
    use = active[leaders]
    l_e, m_e, w_e, x_e = leaders[use], mentors[use], scores[use], chosen[use]
    cost = -(w_e + bonus)
    free = ~x_e
    # Unused pairs: leader -> mentor, grouped by mentor for a vectorised minimum.
    order = np.argsort(m_e[free], kind="stable")
    fl, fm, fc = l_e[free][order], m_e[free][order], cost[free][order]
    starts = np.flatnonzero(np.concatenate([[True], fm[1:] != fm[:-1]])) if fm.size else fm
    heads = fm[starts]
    # Used pairs: mentor -> leader with the opposite cost.
    ul, um, uc = l_e[x_e], m_e[x_e], -cost[x_e]
    matched = np.zeros(n_l, dtype=bool)
    matched[ul] = True
    load = np.bincount(um, minlength=n_m)
    spare = capacity > load
    loaded = load > 0
    unmatched = active & ~matched

    d_l = np.zeros(n_l)
    d_m = np.zeros(n_m)
    d_s = d_t = 0.0
    limit = 4 * (n_l + n_m) + 10
    for _ in range(limit):
        changed = False
        if fl.size:
            best = np.minimum.reduceat(d_l[fl] + fc, starts)
            better = best < d_m[heads]
            if better.any():
                d_m[heads[better]] = best[better]
                changed = True
        if ul.size:
            via = d_m[um] + uc
            better = via < d_l[ul]
            if better.any():
                d_l[ul[better]] = via[better]
                changed = True
        if unmatched.any():
            better = unmatched & (d_s < d_l)
            if better.any():
                d_l[better] = d_s
                changed = True
        if matched.any():
            low = float(d_l[matched].min())
            if low < d_s:
                d_s, changed = low, True
        if spare.any():
            low = float(d_m[spare].min())
            if low < d_t:
                d_t, changed = low, True
        if loaded.any():
            better = loaded & (d_t < d_m)
            if better.any():
                d_m[better] = d_t
                changed = True
        if d_t < d_s:
            d_s, changed = d_t, True
        if ul.size and d_s < d_t:
            d_t, changed = d_s, True
        if not changed:
            break
    return Potentials(leaders=d_l, mentors=d_m, bonus=bonus)


def improving_pairs(
    scorer: Scorer,
    pots: Potentials,
    active: Bool,
    known: I64,
    leader_kth: F32,
    workers: int,
) -> tuple[I64, I64, bool]:
    """Allowed pairs, not among the ``known`` keys, within ``MARGIN`` of the bound, and
    whether any of them could improve the solution (passes the bound within ``TOLERANCE``).

    Only pairs that can pass the bound are scored: a pair left out of the candidates scores
    at most its leader's k-th best (``leader_kth``), so it can only pass the bound with a
    mentor whose potential exceeds ``pi_l - B - kth_l``. Mentors are sorted by potential and
    each leader is scored against that prefix only; leaders with fewer than k allowed mentors
    have all of them among the candidates already and are skipped.
    """
    n_m = scorer.arrays.mentors.n
    kth = np.asarray(leader_kth, dtype=np.float64)
    cut = pots.leaders - pots.bonus - kth - MARGIN
    by_potential = np.argsort(-pots.mentors, kind="stable")
    descending = -pots.mentors[by_potential]
    need = np.searchsorted(descending, -cut, side="left")
    consider = active & np.isfinite(kth) & (need > 0)
    leaders = np.flatnonzero(consider)
    if leaders.size == 0:
        z = np.zeros(0, dtype=np.int64)
        return z, z, False
    leaders = leaders[np.argsort(-need[leaders], kind="stable")]
    plan: list[tuple[I64, I64 | None]] = []
    step = 128
    for s in range(0, leaders.size, step):
        group = leaders[s : s + step]
        prefix = int(need[group].max())
        mentors = None if prefix >= n_m else np.sort(by_potential[:prefix])
        plan.append((group, mentors))
    tasks = blocks(scorer, plan)
    found_l: list[I64] = []
    found_m: list[I64] = []
    found_gap: list[F64] = []

    def work(li: I64, view: MentorView) -> tuple[I64, I64, F64]:
        score = scorer.block(li, view)
        bound = (pots.leaders[li] - pots.bonus)[:, None] - pots.mentors[view.mj]
        excess = score - bound
        rows, cols = np.nonzero(excess > -MARGIN)
        return li[rows], view.mj[cols], excess[rows, cols].astype(np.float64)

    def merge(res: tuple[I64, I64, F64]) -> None:
        found_l.append(res[0])
        found_m.append(res[1])
        found_gap.append(res[2])

    run_blocks(tasks, work, merge, workers)
    z = np.zeros(0, dtype=np.int64)
    lead = np.concatenate(found_l) if found_l else z
    ment = np.concatenate(found_m) if found_m else z
    excess = np.concatenate(found_gap) if found_gap else np.zeros(0)
    fresh = ~np.isin(lead * n_m + ment, known)
    improving = bool((excess[fresh] > -TOLERANCE).any())
    return lead[fresh], ment[fresh], improving


def leader_potentials(
    n_l: int,
    n_m: int,
    leaders: I64,
    mentors: I64,
    scores: F64,
    chosen: Bool,
    capacity: I64,
    active: Bool,
) -> Potentials:
    """Potentials from shortest distances *to the sink* of the residual graph (same arguments
    as :func:`potentials`).

    Of all potentials that prove the candidate solution optimal, these give every leader the
    largest share ``u_l`` and every mentor the smallest ``v_m``: a mentor with a free place
    gets ``v_m = 0`` and a leader the most it could earn by moving along an alternating path to
    such a mentor. With many free places, that is the choice under which the fewest pairs
    outside the candidates pass the bound ``score <= u_l + v_m``. In the terms of
    :func:`potentials`, ``pi = -distance``. Nodes that cannot reach the sink (a mentor
    without a place left) get ``+inf``: no pair with them can improve the solution.
    """
    n_active = int(active.sum())
    bonus = (n_active + 1) * (MAX_SCORE + 1.0)
    use = active[leaders]
    l_e, m_e, w_e, x_e = leaders[use], mentors[use], scores[use], chosen[use]
    gain = w_e + bonus
    free = ~x_e
    # Unused pairs: leader -> mentor at cost -gain, grouped by leader.
    order = np.argsort(l_e[free], kind="stable")
    fl, fm, fc = l_e[free][order], m_e[free][order], -gain[free][order]
    f_starts = np.flatnonzero(np.concatenate([[True], fl[1:] != fl[:-1]])) if fl.size else fl
    f_heads = fl[f_starts]
    # Used pairs: mentor -> leader at cost +gain, grouped by mentor.
    order = np.argsort(m_e[x_e], kind="stable")
    ul, um, uc = l_e[x_e][order], m_e[x_e][order], gain[x_e][order]
    u_starts = np.flatnonzero(np.concatenate([[True], um[1:] != um[:-1]])) if um.size else um
    u_heads = um[u_starts]
    matched = np.zeros(n_l, dtype=bool)
    matched[ul] = True
    load = np.bincount(um, minlength=n_m)
    unmatched = active & ~matched

    dist_l = np.full(n_l, np.inf)
    dist_m = np.full(n_m, np.inf)
    dist_m[capacity > load] = 0.0  # mentor -> sink
    dist_s = 0.0 if ul.size else np.inf  # source -> sink (there is flow to send back)
    limit = 4 * (n_l + n_m) + 10
    for _ in range(limit):
        changed = False
        if fl.size:
            best = np.minimum.reduceat(fc + dist_m[fm], f_starts)
            better = best < dist_l[f_heads]
            if better.any():
                dist_l[f_heads[better]] = best[better]
                changed = True
        if ul.size:
            better = matched & (dist_s < dist_l)  # matched leader -> source
            if better.any():
                dist_l[better] = dist_s
                changed = True
            best = np.minimum.reduceat(uc + dist_l[ul], u_starts)
            better = best < dist_m[u_heads]
            if better.any():
                dist_m[u_heads[better]] = best[better]
                changed = True
        if unmatched.any():
            low = float(dist_l[unmatched].min())  # source -> unmatched leader
            if low < dist_s:
                dist_s, changed = low, True
        if not changed:
            break
    return Potentials(leaders=-dist_l, mentors=-dist_m, bonus=bonus)


def improving_pairs_bounded(
    scorer: Scorer,
    pots: Potentials,
    active: Bool,
    known: I64,
    bounds: BlockBounds,
    workers: int,
    margin: float = MARGIN,
) -> tuple[I64, I64, bool, int]:
    """As :func:`improving_pairs`, ruling out groups of pairs by their bounds first.

    With ``u_l = pi_l - B`` and ``v_m = -pi_m``, a pair outside the candidates can only
    improve the solution if its score exceeds ``u_l + v_m``. Every such pair is covered by
    ``bounds`` (``bounds.py``): by the maximum of its group of mentors in a scanned block
    (``cap``, with the float32 slack added), or by its own block score. So

    - a group is ruled out for a leader when ``cap <= u_l + min(v_m over the group) - reach``;
    - in a group that is not, a pair is ruled out when ``cap <= u_l + v_m - reach``;
    - only the pairs left are scored (:meth:`Scorer.pair_block_scores`), and those whose
      score comes within ``reach`` of their bound are returned (``reach`` is ``margin``, or
      the float32 slack when that is larger).

    ``known`` holds the candidates' keys, sorted. Returns the new pairs, whether any of them
    improves (decided on exact scores) and how many pairs were scored.
    """
    n_m = scorer.arrays.mentors.n
    u = pots.leaders - pots.bonus
    v = -pots.mentors
    # A pair whose block score is below its bound by more than ``reach`` cannot improve.
    reach = max(margin, bounds.slack + 2 * TOLERANCE)
    offsets = np.arange(GROUP, dtype=np.int64)

    def close(lead: I64, ment: I64) -> tuple[I64, I64, int]:
        """The listed allowed pairs whose block score comes within ``reach`` of their bound."""
        score = scorer.pair_block_scores(lead, ment, rules=False).astype(np.float64)
        with np.errstate(invalid="ignore"):
            near = score - (u[lead] + v[ment]) > -reach
        lead, ment, count = lead[near], ment[near], int(lead.size)
        allowed = scorer.pair_allowed(lead, ment)
        return lead[allowed], ment[allowed], count

    def steps(limit: F64) -> F64:
        """Stored bounds at or below these values rule their pairs out (``limit`` is the
        least dual bound of the pairs concerned)."""
        with np.errstate(invalid="ignore"):
            out: F64 = np.floor((limit - reach - bounds.slack) * STEPS_PER_POINT - 1e-6) + 1
        return out

    def work(b: int) -> tuple[I64, I64, int]:
        # u = -inf with v = +inf (neither can reach a free place) gives nan: never improving.
        with np.errstate(invalid="ignore"):
            return block_work(b)

    def block_work(b: int) -> tuple[I64, I64, int]:
        li, mj = bounds.leaders[b], bounds.mentors[b]
        group_v = group_minimum(v, mj)
        # Whole rows first: a row's largest bound against its least dual bound.
        rows = np.flatnonzero(
            active[li] & (bounds.row_maxima(b) > steps(u[li] + group_v.min(initial=np.inf)))
        )
        if rows.size == 0:
            z = np.zeros(0, dtype=np.int64)
            return z, z, 0
        stored = bounds.maxima[b][rows]
        fail = stored > steps(u[li[rows]][:, None] + group_v[None, :])
        hit, groups = np.nonzero(fail)
        rows = rows[hit]
        cols = groups[:, None] * GROUP + offsets[None, :]
        inside = cols < mj.size
        mentors = mj[np.minimum(cols, mj.size - 1)]
        need = inside & (stored[hit, groups][:, None] > steps(u[li[rows]][:, None] + v[mentors]))
        r, c = np.nonzero(need)
        return close(li[rows[r]], mentors[r, c])

    ll, lm, ls = bounds.left()
    with np.errstate(invalid="ignore"):
        near = active[ll] & (ls.astype(np.float64) + bounds.slack > u[ll] + v[lm] - reach)
    first = close(ll[near], lm[near])
    found_l, found_m, scored = [first[0]], [first[1]], first[2]
    with ThreadPoolExecutor(max_workers=workers) as pool, one_blas_thread():
        for lead, ment, count in pool.map(work, range(len(bounds))):
            found_l.append(lead)
            found_m.append(ment)
            scored += count
    keys = sorted_unique(np.concatenate(found_l) * n_m + np.concatenate(found_m))
    keys = keys[~_contains(known, keys)]
    lead, ment = keys // n_m, keys % n_m
    # Whether any of them improves is decided on exact scores.
    exact = scorer.scores_of(lead, ment)
    with np.errstate(invalid="ignore"):
        improving = bool((exact - (u[lead] + v[ment]) > -TOLERANCE).any())
    return lead, ment, improving, scored


def _contains(sorted_keys: I64, keys: I64) -> Bool:
    """Whether each key is in ``sorted_keys``."""
    if sorted_keys.size == 0:
        return np.zeros(keys.size, dtype=bool)
    pos = np.minimum(np.searchsorted(sorted_keys, keys), sorted_keys.size - 1)
    out: Bool = sorted_keys[pos] == keys
    return out


def potentials_hold(
    pots: Potentials,
    leaders: I64,
    mentors: I64,
    scores: F64,
    chosen: Bool,
    capacity: I64,
    active: Bool,
    tolerance: float = TOLERANCE,
) -> bool:
    """Whether the potentials are feasible on every arc of the candidate solution's residual
    graph (within ``tolerance``), which makes them a proof together with the pricing.

    The potentials come from shortest paths, which are feasible exactly when the candidate
    solution is optimal on the candidates; this check makes sure a solver's rounding or an
    unfinished Bellman-Ford can never turn into a wrong proof.
    """
    u = pots.leaders - pots.bonus
    v = -pots.mentors
    use = active[leaders]
    l_e, m_e, w_e, x_e = leaders[use], mentors[use], scores[use], chosen[use]
    with np.errstate(invalid="ignore"):
        excess = w_e - (u[l_e] + v[m_e])
    # Pairs not used must not beat their bound; pairs used must reach it.
    if (excess[~x_e] > tolerance).any() or (excess[x_e] < -tolerance).any():
        return False
    # Leaders: matched ones share at least what the source gives, unmatched ones at most.
    matched = np.zeros(active.size, dtype=bool)
    matched[l_e[x_e]] = True
    dist_l = -pots.leaders
    load = np.bincount(m_e[x_e], minlength=capacity.size)
    dist_m = -pots.mentors
    if x_e.any():
        # With flow, the source and the sink are tied: distance 0 from the source.
        if (dist_l[matched] > tolerance).any():
            return False
        if (dist_l[active & ~matched] < -tolerance).any():
            return False
    # Mentors with a free place reach the sink at no cost; mentors with leaders come from it.
    if (dist_m[capacity > load] > tolerance).any():
        return False
    return not (dist_m[load > 0] < -tolerance).any()
