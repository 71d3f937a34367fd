"""One run's matching problem: the engine's input plus the pairs every run must respect.

- Live proposals (published, not declined) are kept as locked pairs: people were told.
- The coordinator's locks are kept where both people are still in the run.
- Exclusions (set aside by a coordinator, or declined) are never proposed.

A lock that can no longer hold (someone left, a rule now forbids it, the mentor has fewer free
places) is dropped with a note saying why, rather than failing the whole run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from upward.matching import MatchingInputError, MatchingProblem, Rule

from .errors import MatchRuleBroken
from .inputs import LIVE, EngineInput, load_input
from .models import MatchingRun, PairExclusion, PairLock, Proposal
from .words import note


@dataclass
class RunProblem:
    input: EngineInput
    problem: MatchingProblem
    locked: list[tuple[int, int]]  # (leader person, mentor person)
    excluded: list[tuple[int, int]]
    live: set[tuple[int, int]]  # (leader application, mentor application) of live proposals
    notes: list[dict[str, Any]] = field(default_factory=list)

    def pair_ids(self, leader_app: int, mentor_app: int) -> tuple[int, int]:
        return self.input.person_of[leader_app], self.input.person_of[mentor_app]


def build(run: MatchingRun, *, resolve_locks: bool = True) -> RunProblem:
    """The problem for a run, from today's data and the run's own settings."""
    inp = load_input(run.programme, cohort=run.cohort, settings=run.policy.get("settings"))
    notes = [note(text) for text in inp.notes]
    apps = inp.person_of
    live_rows = list(
        Proposal.objects.filter(programme=run.programme, status__in=LIVE).values_list(
            "leader_id", "mentor_id"
        )
    )
    live = {(lead, ment) for lead, ment in live_rows if lead in apps and ment in apps}
    # A leader whose live proposal is with someone outside this run keeps it: leave them out.
    away = {lead for lead, ment in live_rows if lead in apps and ment not in apps}
    if away:
        inp.leaders = [p for p in inp.leaders if inp.application_of[int(p.id)] not in away]
        notes.append(
            note(
                f"{len(away)} leader{'s' if len(away) != 1 else ''} already "
                f"{'have' if len(away) != 1 else 'has'} a proposed mentor outside this run and "
                f"{'were' if len(away) != 1 else 'was'} left out."
            )
        )
    for people, words in ((inp.leaders, "leaders"), (inp.mentors, "mentors")):
        if not people:
            raise MatchRuleBroken(
                f"There are no accepted {words} left to match in this run's scope: accept "
                "applications, or start a new run for the whole programme."
            )
    try:
        problem = MatchingProblem(inp.leaders, inp.mentors, inp.policy, org_tree=inp.tree)
    except MatchingInputError as exc:
        raise MatchRuleBroken(f"The matching cannot be prepared: {exc}.") from None
    in_problem = {inp.application_of[int(p.id)] for p in (*inp.leaders, *inp.mentors)}
    excluded = [
        (apps[lead], apps[ment])
        for lead, ment in PairExclusion.objects.filter(programme=run.programme).values_list(
            "leader_id", "mentor_id"
        )
        if lead in in_problem and ment in in_problem
    ]
    result = RunProblem(inp, problem, [], excluded, live, notes)
    if resolve_locks:
        _resolve_locks(run, result, in_problem)
    return result


def _resolve_locks(run: MatchingRun, rp: RunProblem, in_problem: set[int]) -> None:
    inp = rp.input
    wanted: dict[int, tuple[int, str]] = {lead: (ment, "live") for lead, ment in rp.live}
    for lock in PairLock.objects.filter(programme=run.programme).order_by("created_at", "pk"):
        inside = (lock.leader_id in in_problem) + (lock.mentor_id in in_problem)
        if inside == 0:
            continue  # a lock of another cohort's people: none of this run's business
        if inside == 1:
            rp.notes.append(
                note(
                    "The lock of {0} with {1} was not kept: one of them is not in this run (not "
                    "accepted, in another cohort, or already matched elsewhere).",
                    lock.leader_id,
                    lock.mentor_id,
                )
            )
            continue
        if lock.leader_id in wanted and wanted[lock.leader_id][0] != lock.mentor_id:
            rp.notes.append(
                note(
                    "The lock of {0} with {1} was not kept: {0} already has a published "
                    "proposal with someone else.",
                    lock.leader_id,
                    lock.mentor_id,
                )
            )
            continue
        wanted.setdefault(lock.leader_id, (lock.mentor_id, "lock"))
    load: dict[int, int] = {}
    # Published proposals first: they take a mentor's places before coordinator locks.
    ordered = sorted(wanted.items(), key=lambda kv: kv[1][1] != "live")
    for lead, (ment, kind) in ordered:
        leader_pid, mentor_pid = inp.person_of[lead], inp.person_of[ment]
        check = rp.problem.check_pair(leader_pid, mentor_pid, excluded=rp.excluded)
        broken = [b.text for b in check.breaches if b.rule is not Rule.CAPACITY]
        what = "published proposal" if kind == "live" else "lock"
        if broken:
            text = f"The {what} of {{0}} with {{1}} was not kept: {'; '.join(broken)}."
            rp.notes.append(note(text, lead, ment))
            continue
        if load.get(ment, 0) >= inp.capacity.get(ment, 0):
            text = f"The {what} of {{0}} with {{1}} was not kept: {{1}} has no free place left."
            rp.notes.append(note(text, lead, ment))
            continue
        load[ment] = load.get(ment, 0) + 1
        rp.locked.append((leader_pid, mentor_pid))
