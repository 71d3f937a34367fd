"""What a pair waits for before it can become active, read for many pairs at once.

Requirements: each person's required training (every module of the required tracks for their
audience) and each person's signature on the current agreement. A coordinator may waive any
of them. A fixed number of queries, whatever the number of pairs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from upward.pairs.models import Pair

from .models import Agreement, Audience, Module, ModuleCompletion, Waiver

REQUIREMENTS = ("training:leader", "training:mentor", "signature:leader", "signature:mentor")


def audiences_for(side: str, reciprocal: bool) -> set[str]:
    """The tracks a person must take: in a reciprocal programme both people are mentor and
    mentee, so they take both."""
    if reciprocal:
        return {Audience.MENTORS, Audience.LEADERS, Audience.EVERYONE}
    return {Audience.LEADERS if side == "leader" else Audience.MENTORS, Audience.EVERYONE}


@dataclass
class PairStatus:
    waits_for: list[str] = field(default_factory=list)
    waived: dict[str, str] = field(default_factory=dict)  # requirement -> reason
    modules_done: dict[str, tuple[int, int]] = field(default_factory=dict)  # side -> (done, of)
    agreement: Agreement | None = None

    @property
    def ready(self) -> bool:
        return not self.waits_for


def statuses(pairs: Iterable[Pair]) -> dict[int, PairStatus]:
    pairs = list(pairs)
    if not pairs:
        return {}
    programme_ids = {p.programme_id for p in pairs}
    modules: dict[tuple[int, str], set[int]] = defaultdict(set)
    for module_id, programme_id, audience in Module.objects.filter(
        track__programme_id__in=programme_ids, track__required=True
    ).values_list("pk", "track__programme_id", "track__audience"):
        modules[(programme_id, audience)].add(module_id)
    user_ids = {p.leader.user_id for p in pairs} | {p.mentor.user_id for p in pairs}
    all_modules = {m for ids in modules.values() for m in ids}
    done: dict[int, set[int]] = defaultdict(set)
    for module_id, user_id in ModuleCompletion.objects.filter(
        module_id__in=all_modules, user_id__in=user_ids
    ).values_list("module_id", "user_id"):
        done[user_id].add(module_id)
    current: dict[int, Agreement] = {}
    for agreement in Agreement.objects.filter(pair__in=pairs).order_by("pair_id", "-number"):
        current.setdefault(agreement.pair_id, agreement)
    waived: dict[int, dict[str, str]] = defaultdict(dict)
    for pair_id, requirement, reason in Waiver.objects.filter(pair__in=pairs).values_list(
        "pair_id", "requirement", "reason"
    ):
        waived[pair_id][requirement] = reason

    out: dict[int, PairStatus] = {}
    for pair in pairs:
        status = PairStatus(waived=waived[pair.pk], agreement=current.get(pair.pk))
        for side, application in (("leader", pair.leader), ("mentor", pair.mentor)):
            need: set[int] = set()
            for audience in audiences_for(side, pair.reciprocal):
                need |= modules[(pair.programme_id, audience)]
            have = len(need & done[application.user_id])
            status.modules_done[side] = (have, len(need))
            if have < len(need) and f"training:{side}" not in status.waived:
                status.waits_for.append(f"training:{side}")
        for side in ("leader", "mentor"):
            signed = status.agreement is not None and getattr(status.agreement, f"{side}_signed_at")
            if not signed and f"signature:{side}" not in status.waived:
                status.waits_for.append(f"signature:{side}")
        out[pair.pk] = status
    return out


def status_of(pair: Pair) -> PairStatus:
    return statuses([pair])[pair.pk]


def requirement_words(pair: Pair, requirement: str) -> str:
    """'Asha Patel's training', 'Sam Lee's signature'."""
    kind, side = requirement.split(":")
    person = (pair.leader if side == "leader" else pair.mentor).person
    return f"{person.name}'s {'training' if kind == 'training' else 'signature'}"
