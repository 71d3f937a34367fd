"""What a programme's phase means: what moving to a phase changes and for whom, and which moves
contradict the programme's state (with the reason and the way out).

Other apps add their own refusals with :func:`register_check` (matching refuses to go back to
sourcing once proposals are out), so this module needs to know nothing of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .models import Programme
from .selectors import readiness_of

Phase = Programme.Phase
ORDER: tuple[str, ...] = tuple(Phase.values)


@dataclass(frozen=True)
class Refusal:
    """Why a move contradicts the programme, and what to do instead."""

    reason: str
    way_out: str

    def __str__(self) -> str:
        return f"{self.reason} {self.way_out}"


@dataclass(frozen=True)
class Effect:
    """What a phase changes for one group of people."""

    who: str
    what: str


@dataclass(frozen=True)
class PhaseMove:
    programme: Programme
    phase: str
    effects: tuple[Effect, ...]
    refusals: tuple[Refusal, ...] = field(default_factory=tuple)

    @property
    def allowed(self) -> bool:
        return not self.refusals

    @property
    def label(self) -> str:
        return str(Phase(self.phase).label)

    @property
    def backwards(self) -> bool:
        return ORDER.index(self.phase) < ORDER.index(self.programme.phase)


EFFECTS: dict[str, tuple[Effect, ...]] = {
    Phase.READINESS: (
        Effect("Coordinators", "work through the readiness checklist and interviews."),
        Effect("Invited people", "see nothing new: no call for applications is shown."),
    ),
    Phase.SOURCING: (
        Effect("Coordinators", "send invitations, open applications and screen them."),
        Effect(
            "Invited people",
            "see the programme on their home page and can apply while applications are open.",
        ),
    ),
    Phase.MATCHING: (
        Effect("Coordinators", "run the matching, review the pairs and publish them."),
        Effect(
            "Applicants",
            "see that applications have closed and that matching is under way; accepted "
            "applicants hear about their proposed partner when pairs are published.",
        ),
    ),
    Phase.PREPARATION: (
        Effect("Coordinators", "run training and follow the agreements of confirmed pairs."),
        Effect("Matched people", "see their confirmed partner and prepare to meet."),
    ),
    Phase.RUNNING: (
        Effect("Pairs", "meet regularly; the programme's pages show the running programme."),
        Effect("Sponsors", "see the programme's overall figures as it runs."),
    ),
    Phase.MIDPOINT: (
        Effect("Pairs", "take stock of their goals halfway through."),
        Effect("Coordinators", "hold the mid-point check-in with each cohort."),
    ),
    Phase.CLOSE: (
        Effect("Pairs", "hold their last meetings and reflect on what changed."),
        Effect("Coordinators", "gather the closing surveys and stories."),
    ),
    Phase.CELEBRATION: (
        Effect("Everyone taking part", "is thanked; the programme's results are shared."),
    ),
}

Check = Callable[[Programme, str], list[Refusal]]
_CHECKS: list[Check] = []


def register_check(check: Check) -> Check:
    """Add a refusal rule from another app (called once, from its ``AppConfig.ready``)."""
    if check not in _CHECKS:
        _CHECKS.append(check)
    return check


def _after(phase: str, than: str) -> bool:
    return ORDER.index(phase) > ORDER.index(than)


def _own_checks(programme: Programme, phase: str) -> list[Refusal]:
    refusals: list[Refusal] = []
    if phase == programme.phase:
        refusals.append(
            Refusal(
                f"The programme is already in {programme.get_phase_display()}.",
                "Choose another phase.",
            )
        )
        return refusals
    if _after(phase, Phase.READINESS) and not readiness_of(programme).passed:
        refusals.append(
            Refusal(
                "The readiness checklist is not complete.",
                "Complete the checklist, or record an override with a reason, first.",
            )
        )
    if _after(phase, Phase.SOURCING) and programme.applications_open:
        refusals.append(
            Refusal(
                f"Applications are still open, so the programme cannot move to "
                f"{Phase(phase).label} while people may still apply.",
                "Close applications first (Applications page), or wait for the deadline.",
            )
        )
    if _after(phase, Phase.SOURCING) and programme.applications_opened_at is None:
        refusals.append(
            Refusal(
                "Applications have never been opened, so there is nobody to match.",
                "Open applications in Sourcing first.",
            )
        )
    if phase == Phase.READINESS and programme.applications.exists():
        refusals.append(
            Refusal(
                "People have already applied, so readiness is behind the programme.",
                "Stay in Sourcing; the readiness checklist can still be updated there.",
            )
        )
    return refusals


def phase_move(programme: Programme, phase: str) -> PhaseMove:
    """What moving ``programme`` to ``phase`` would change, and why it may not."""
    if phase not in ORDER:
        return PhaseMove(
            programme,
            programme.phase,
            (),
            (Refusal("That is not one of the programme's phases.", "Choose one from the list."),),
        )
    refusals = _own_checks(programme, phase)
    for check in _CHECKS:
        refusals.extend(check(programme, phase))
    return PhaseMove(programme, phase, EFFECTS.get(phase, ()), tuple(refusals))


def participant_stage(programme: Programme) -> str:
    """What the programme's phase means for someone taking part, in one sentence."""
    if programme.phase in (Phase.READINESS, Phase.SOURCING):
        if programme.applications_open:
            return "Applications are open."
        return "Applications are not open at the moment."
    if programme.phase == Phase.MATCHING:
        return (
            "Applications have closed and matching is under way: accepted applicants hear "
            "about their proposed partner when pairs are published."
        )
    if programme.phase == Phase.PREPARATION:
        return "Pairs are confirmed and preparing to meet."
    if programme.phase in (Phase.RUNNING, Phase.MIDPOINT):
        return "The programme is running: pairs meet regularly."
    return "The programme is drawing to a close."
