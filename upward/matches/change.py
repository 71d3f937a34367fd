"""Planning a change of partner in a run: who moves where, the score change, and the rules a
change would break. The preview page shows the plan; the service applies it only when no hard
rule is broken (hard rules are never broken, not even by a coordinator).

Four kinds of change, for leader L and mentor M:

- assign: L has no partner and M has a free place;
- move: L leaves their mentor for M, who has a free place;
- swap: M is full, so L and one of M's leaders trade mentors;
- replace: L has no partner and M is full, so one of M's leaders gives up their place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from upward.directory.selectors import in_reporting_line
from upward.matching import PairCheck
from upward.programmes.models import Application

from . import problem as run_problem
from .errors import MatchRuleBroken
from .models import MatchingRun, ProposedPair, UnmatchedPerson
from .words import stored_criteria


@dataclass
class ChangeRow:
    leader: Application
    before: Application | None
    after: Application | None
    score_before: float | None
    score_after: float | None
    breaches: list[str] = field(default_factory=list)
    criteria: list[dict[str, Any]] = field(default_factory=list)

    @property
    def delta(self) -> float:
        return (self.score_after or 0.0) - (self.score_before or 0.0)


@dataclass
class ChangePlan:
    kind: str
    leader: Application
    mentor: Application
    current: ProposedPair | None
    displaced: ProposedPair | None
    rows: list[ChangeRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    options: list[ProposedPair] = field(default_factory=list)
    free_places: int = 0

    @property
    def allowed(self) -> bool:
        return not self.problems and not any(row.breaches for row in self.rows)

    @property
    def delta(self) -> float:
        return sum(row.delta for row in self.rows)

    @property
    def breaches(self) -> list[str]:
        return [b for row in self.rows for b in row.breaches]


def _people(run: MatchingRun, application_id: int, side: str) -> Application:
    in_run = (
        ProposedPair.objects.filter(run=run).filter(**{f"{side}_id": application_id}).exists()
        or UnmatchedPerson.objects.filter(
            run=run, application_id=application_id, side=side
        ).exists()
    )
    application = (
        Application.objects.filter(pk=application_id, programme=run.programme, side=side)
        .select_related("person__organisation")
        .first()
    )
    if application is None or not in_run:
        raise MatchRuleBroken(f"That {side} is not part of run {run.number}.")
    return application


def _check(
    rp: run_problem.RunProblem, leader: Application, mentor: Application, load: int
) -> tuple[PairCheck, list[str]]:
    lp, mp = rp.pair_ids(leader.pk, mentor.pk)
    check = rp.problem.check_pair(lp, mp, mentor_load=max(0, load), excluded=rp.excluded)
    broken = [b.text for b in check.breaches]
    # The engine enforces reporting lines; the directory is asked again, as a second lock.
    if in_reporting_line(leader.person, mentor.person) and not any("report" in b for b in broken):
        broken.append("they are in the same reporting line")
    return check, broken


def plan_change(
    run: MatchingRun,
    *,
    leader_id: int,
    mentor_id: int,
    displace_id: int | None = None,
    rp: run_problem.RunProblem | None = None,
) -> ChangePlan:
    """What pairing ``leader_id`` with ``mentor_id`` in the run would do (nothing is saved)."""
    leader = _people(run, leader_id, "leader")
    mentor = _people(run, mentor_id, "mentor")
    rp = rp or run_problem.build(run, resolve_locks=False)
    in_problem = {
        rp.input.application_of[int(p.id)] for p in (*rp.problem.leaders, *rp.problem.mentors)
    }
    for person, application in ((leader.person, leader), (mentor.person, mentor)):
        if application.pk not in in_problem:
            raise MatchRuleBroken(
                f"{person.name} is no longer among this run's accepted applicants (or already "
                "has a proposal outside it). Start a new run to use the latest applications."
            )
    related = ("leader__person__organisation", "mentor__person__organisation")
    current = ProposedPair.objects.filter(run=run, leader=leader).select_related(*related).first()
    if current is not None and current.mentor_id == mentor.pk:
        raise MatchRuleBroken(f"{leader.person.name} is already paired with {mentor.person.name}.")
    at_mentor = list(
        ProposedPair.objects.filter(run=run, mentor=mentor).select_related(*related).order_by("pk")
    )
    capacity = rp.input.capacity.get(mentor.pk, 0)
    free = capacity - len(at_mentor)
    plan = ChangePlan(
        kind="assign",
        leader=leader,
        mentor=mentor,
        current=current,
        displaced=None,
        free_places=max(0, free),
    )
    if current is not None and (current.leader_id, current.mentor_id) in rp.live:
        plan.problems.append(
            f"{leader.person.name}'s match has been proposed to both people; it changes only if "
            "one of them declines."
        )
    if free > 0:
        plan.kind = "move" if current is not None else "assign"
        displaced = None
    else:
        plan.options = sorted(at_mentor, key=lambda p: p.score)
        if displace_id is None:
            plan.kind = "swap" if current is not None else "replace"
            if capacity == 0:
                plan.problems.append(f"{mentor.person.name} has no places for this run.")
            else:
                plan.problems.append(
                    f"{mentor.person.name} has no free place: choose whose place "
                    f"{leader.person.name} takes."
                )
            # The rules of the pair itself show at once, before anyone chooses.
            check, broken = _check(rp, leader, mentor, max(0, len(at_mentor) - 1))
            plan.rows.append(
                ChangeRow(
                    leader=leader,
                    before=current.mentor if current else None,
                    after=mentor,
                    score_before=current.score if current else None,
                    score_after=check.score,
                    breaches=broken,
                    criteria=stored_criteria(check.explanation.as_dict()),
                )
            )
            return plan
        displaced = next((p for p in at_mentor if p.leader_id == displace_id), None)
        if displaced is None:
            raise MatchRuleBroken(
                f"That leader is not paired with {mentor.person.name} in run {run.number}."
            )
        plan.kind = "swap" if current is not None else "replace"
        plan.displaced = displaced
        if (displaced.leader_id, displaced.mentor_id) in rp.live:
            plan.problems.append(
                "That pair has been proposed to both people; it changes only if one of them "
                "declines."
            )
    load = len(at_mentor) - (1 if displaced is not None else 0)
    check, broken = _check(rp, leader, mentor, load)
    plan.rows.append(
        ChangeRow(
            leader=leader,
            before=current.mentor if current else None,
            after=mentor,
            score_before=current.score if current else None,
            score_after=check.score,
            breaches=broken,
            criteria=stored_criteria(check.explanation.as_dict()),
        )
    )
    if displaced is not None:
        other = displaced.leader
        if current is not None:
            old_load = ProposedPair.objects.filter(run=run, mentor_id=current.mentor_id).count() - 1
            check2, broken2 = _check(rp, other, current.mentor, old_load)
            plan.rows.append(
                ChangeRow(
                    leader=other,
                    before=mentor,
                    after=current.mentor,
                    score_before=displaced.score,
                    score_after=check2.score,
                    breaches=broken2,
                    criteria=stored_criteria(check2.explanation.as_dict()),
                )
            )
        else:
            plan.rows.append(
                ChangeRow(
                    leader=other,
                    before=mentor,
                    after=None,
                    score_before=displaced.score,
                    score_after=None,
                )
            )
    return plan
