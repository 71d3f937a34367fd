"""Starting, running and cancelling matching runs.

A run is created queued and handed to the task worker once the transaction commits; the worker
calls :func:`run_execute`, which writes the stage and progress as the engine reports them and
stops at the next report once a coordinator asks to cancel.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from upward.matching import InfeasibleError, MatchingInputError, MatchResult, Side
from upward.matching.engine import STAGE_CANDIDATES, STAGE_EXPLAINING, STAGE_SOLVING
from upward.programmes.models import Application, Cohort, Programme
from upward.programmes.models import Side as AppSide

from .. import problem as run_problem
from ..errors import MatchRuleBroken
from ..inputs import clean_weights, engine_policy, run_settings
from ..models import MatchingRun, ProposedPair, RunChange, UnmatchedPerson
from ..words import note, stored_criteria
from ._common import log

logger = logging.getLogger(__name__)

# Share of the progress bar for each stage (the engine reports each stage from 0 to 1).
_STAGES = {
    MatchingRun.Stage.LOADING: (0.0, 0.1),
    MatchingRun.Stage.CANDIDATES: (0.1, 0.55),
    MatchingRun.Stage.SOLVING: (0.55, 0.75),
    MatchingRun.Stage.EXPLAINING: (0.75, 0.95),
    MatchingRun.Stage.SAVING: (0.95, 1.0),
}
_ENGINE_STAGES = {
    STAGE_CANDIDATES: MatchingRun.Stage.CANDIDATES,
    STAGE_SOLVING: MatchingRun.Stage.SOLVING,
    STAGE_EXPLAINING: MatchingRun.Stage.EXPLAINING,
}
# A run that has not reported for this long while "running" has lost its worker.
STALE_AFTER = timedelta(minutes=10)


# What the page of a run whose worker ended says (it failed before anything was saved).
WORKER_ENDED = (
    "The run stopped before it finished: the task worker ended (it was stopped or restarted). "
    "Nothing was saved from it; start a new run."
)


def runs_fail_stale(*, programme: Programme | None = None) -> int:
    """Fail the working runs whose worker stopped reporting (killed or restarted) with a
    message on their page. Their pairs are saved in one transaction at the end, so a dead run
    never holds part of its pairs. Runs again harmlessly: a failed run is not working."""
    cutoff = timezone.now() - STALE_AFTER
    stale = MatchingRun.objects.filter(status=MatchingRun.Status.RUNNING, heartbeat_at__lt=cutoff)
    if programme is not None:
        stale = stale.filter(programme=programme)
    return stale.update(
        status=MatchingRun.Status.FAILED, error=WORKER_ENDED, finished_at=timezone.now()
    )


class RunCancelled(Exception):
    """A coordinator cancelled the run while it was working."""


def _accepted(programme: Programme, cohort: Cohort | None, side: str) -> int:
    apps = Application.objects.filter(
        programme=programme, side=side, status=Application.Status.ACCEPTED
    )
    if cohort is not None:
        apps = apps.filter(cohort=cohort)
    return apps.count()


def run_start(
    *,
    programme: Programme,
    by: Any,
    cohort: Cohort | None = None,
    weights: Mapping[str, Any] | None = None,
    based_on: MatchingRun | None = None,
    purpose: str | None = None,
    background: bool = True,
) -> MatchingRun:
    """Queue a matching run of the programme's (or a cohort's) accepted applicants.

    ``based_on`` re-runs an earlier run with its settings (and, with ``weights``, adjusted
    weights). Locks, exclusions and published proposals always carry over. With
    ``background=False`` nothing is queued: the caller runs :func:`run_execute` itself (the
    demo and the benchmark do).
    """
    if cohort is not None and cohort.programme_id != programme.pk:
        raise MatchRuleBroken("Choose one of this programme's cohorts.")
    if based_on is not None:
        if based_on.programme_id != programme.pk:
            raise MatchRuleBroken("Choose one of this programme's runs to start from.")
        cohort = based_on.cohort
    adjusted = clean_weights(weights)
    if based_on is not None:
        settings = dict(based_on.policy.get("settings") or run_settings(programme))
        if adjusted:
            settings["weights"] = {**settings.get("weights", {}), **adjusted}
            settings["weights_adjusted"] = True
    else:
        settings = run_settings(programme, adjusted)
    policy, _notes = engine_policy(settings)
    scope = f"in {cohort.name}" if cohort else "in this programme"
    for side, words in ((AppSide.LEADER, "leaders"), (AppSide.MENTOR, "mentors")):
        if not _accepted(programme, cohort, side):
            raise MatchRuleBroken(
                f"There are no accepted {words} {scope} yet: accept applications before matching."
            )
    if purpose is None:
        purpose = MatchingRun.Purpose.FIRST
        if based_on is not None:
            purpose = MatchingRun.Purpose.WEIGHTS if adjusted else MatchingRun.Purpose.RERUN
    from ..tasks import execute_run

    with transaction.atomic():
        Programme.objects.select_for_update().filter(pk=programme.pk).first()
        runs_fail_stale(programme=programme)
        busy = MatchingRun.objects.filter(
            programme=programme,
            status__in=(MatchingRun.Status.QUEUED, MatchingRun.Status.RUNNING),
            cancel_requested=False,
        ).first()
        if busy is not None:
            raise MatchRuleBroken(
                f"Run {busy.number} is still working. Wait for it to finish, or cancel it, "
                "before starting another."
            )
        number = (
            MatchingRun.objects.filter(programme=programme).aggregate(n=Max("number"))["n"] or 0
        ) + 1
        run = MatchingRun.objects.create(
            programme=programme,
            cohort=cohort,
            number=number,
            purpose=purpose,
            parent=based_on,
            policy={"settings": settings},
            policy_words=policy.describe(),
            created_by=by if getattr(by, "pk", None) else None,
        )
        what = dict(MatchingRun.Purpose.choices)[purpose].lower()
        log(programme, by, RunChange.Action.STARTED, f"Run {number} started ({what}) {scope}", run)
        if background:
            transaction.on_commit(lambda: execute_run.enqueue(run.pk))
    return run


def run_cancel(*, run: MatchingRun, by: Any) -> MatchingRun:
    """Stop a queued run at once; ask a running one to stop at its next progress report."""
    with transaction.atomic():
        current = MatchingRun.objects.select_for_update().get(pk=run.pk)
        if not current.active:
            raise MatchRuleBroken(
                f"Run {current.number} is not working any more "
                f"({current.get_status_display().lower()}), so there is nothing to cancel."
            )
        now = timezone.now()
        stale = current.heartbeat_at is None or now - current.heartbeat_at > STALE_AFTER
        if current.status == MatchingRun.Status.QUEUED or (
            current.status == MatchingRun.Status.RUNNING and stale and current.started_at
        ):
            current.status = MatchingRun.Status.CANCELLED
            current.finished_at = now
        current.cancel_requested = True
        current.save(update_fields=["status", "finished_at", "cancel_requested"])
        log(
            current.programme,
            by,
            RunChange.Action.CANCELLED,
            f"Run {current.number} cancelled",
            current,
        )
    return current


class _Reporter:
    """Writes stage and progress at most a few times a second, and notices a cancel."""

    def __init__(self, run: MatchingRun, every: float = 0.3) -> None:
        self.run = run
        self.every = every
        self.last = 0.0
        self.stage = ""

    def __call__(self, stage: str, fraction: float) -> None:
        low, high = _STAGES[stage]  # type: ignore[index]
        now = time.monotonic()
        if stage == self.stage and now - self.last < self.every and fraction < 1.0:
            return
        self.stage, self.last = stage, now
        progress = low + (high - low) * max(0.0, min(1.0, fraction))
        updated = MatchingRun.objects.filter(
            pk=self.run.pk, status=MatchingRun.Status.RUNNING, cancel_requested=False
        ).update(stage=stage, progress=progress, heartbeat_at=timezone.now())
        if not updated:
            raise RunCancelled()

    def engine(self, stage: str, fraction: float) -> None:
        self(_ENGINE_STAGES.get(stage, MatchingRun.Stage.SOLVING), fraction)


def run_execute(*, run_id: int) -> MatchingRun:
    """Run the engine for a queued run and store its pairs, reasons and figures."""
    claimed = MatchingRun.objects.filter(
        pk=run_id, status=MatchingRun.Status.QUEUED, cancel_requested=False
    ).update(
        status=MatchingRun.Status.RUNNING,
        stage=MatchingRun.Stage.LOADING,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )
    run = MatchingRun.objects.select_related("programme", "cohort").get(pk=run_id)
    if not claimed:
        return run
    report = _Reporter(run)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    try:
        report(MatchingRun.Stage.LOADING, 0.0)
        rp = run_problem.build(run)
        timings["load"] = time.perf_counter() - started
        report(MatchingRun.Stage.LOADING, 1.0)
        try:
            result: MatchResult | None = rp.problem.match(
                locked=rp.locked, excluded=rp.excluded, progress=report.engine
            )
        except InfeasibleError as exc:
            result = None
            infeasible: InfeasibleError | None = exc
        else:
            infeasible = None
        report(MatchingRun.Stage.SAVING, 0.0)
        save_started = time.perf_counter()
        _save(run, rp, result, infeasible, timings, save_started, started)
    except RunCancelled:
        MatchingRun.objects.filter(pk=run.pk).update(
            status=MatchingRun.Status.CANCELLED, finished_at=timezone.now()
        )
    except MatchingInputError as exc:
        _fail(run, f"The matching could not run: {exc}.")
    except MatchRuleBroken as exc:
        _fail(run, str(exc))
    except Exception:
        logger.exception("Matching run %s failed", run.pk)
        _fail(
            run,
            "Something went wrong while matching, and nothing was saved. Try again; if it "
            "happens again, tell the site's operators (the error is in their log).",
        )
        raise
    run.refresh_from_db()
    return run


def _fail(run: MatchingRun, message: str) -> None:
    MatchingRun.objects.filter(pk=run.pk).update(
        status=MatchingRun.Status.FAILED, error=message, finished_at=timezone.now()
    )


def _save(
    run: MatchingRun,
    rp: run_problem.RunProblem,
    result: MatchResult | None,
    infeasible: InfeasibleError | None,
    timings: dict[str, float],
    save_started: float,
    started: float,
) -> None:
    inp = rp.input
    app = inp.application_of
    pairs: list[ProposedPair] = []
    unmatched: list[UnmatchedPerson] = []
    notes = list(rp.notes)
    if result is not None:
        for p in result.pairs:
            pairs.append(
                ProposedPair(
                    run=run,
                    leader_id=app[int(p.leader_id)],
                    mentor_id=app[int(p.mentor_id)],
                    score=round(p.score, 4),
                    explanation=stored_criteria(p.explanation.as_dict()),
                )
            )
        reasons = list(result.unmatched)
        stats = result.as_dict()["stats"]
        seconds = result.stats.seconds
        timings.update({k: v for k, v in seconds.items() if k != "total"})
        timings["engine"] = seconds.get("total", 0.0)
    else:
        assert infeasible is not None
        reasons = list(infeasible.reasons)
        notes.append(note(f"Nobody could be matched: {infeasible}."))
        stats = {"pairs": 0, "leaders": len(inp.leaders), "mentors": len(inp.mentors)}
    seen: set[int] = set()
    for r in reasons:
        application_id = app[int(r.person_id)]
        seen.add(application_id)
        text = r.text
        if (
            r.side is Side.MENTOR
            and application_id in inp.capacity_notes
            and (inp.capacity.get(application_id, 0) == 0)
        ):
            text = f"no free place: {inp.capacity_notes[application_id]}"
        unmatched.append(
            UnmatchedPerson(
                run=run,
                application_id=application_id,
                side=r.side.value,
                code=r.code.value,
                reason=text[:1000],
            )
        )
    if result is None:
        for someone in (*inp.leaders, *inp.mentors):
            application_id = app[int(someone.id)]
            if application_id not in seen:
                unmatched.append(
                    UnmatchedPerson(
                        run=run,
                        application_id=application_id,
                        side=someone.side.value,
                        code="infeasible",
                        reason="no leader could be paired with anyone under the rules",
                    )
                )
    with transaction.atomic():
        current = MatchingRun.objects.select_for_update().get(pk=run.pk)
        if current.cancel_requested or current.status != MatchingRun.Status.RUNNING:
            raise RunCancelled()
        ProposedPair.objects.bulk_create(pairs, batch_size=2000)
        UnmatchedPerson.objects.bulk_create(unmatched, batch_size=2000)
        timings["save"] = time.perf_counter() - save_started
        timings["total"] = time.perf_counter() - started
        current.status = MatchingRun.Status.DONE
        current.stage = MatchingRun.Stage.FINISHED
        current.progress = 1.0
        current.finished_at = timezone.now()
        current.heartbeat_at = current.finished_at
        current.inputs_fingerprint = inp.fingerprint
        current.leaders_count = len(inp.leaders)
        current.mentors_count = len(inp.mentors)
        current.mentor_capacity = {str(k): v for k, v in inp.capacity.items()}
        current.locked_pairs = [[app[lead], app[ment]] for lead, ment in rp.locked]
        current.excluded_pairs = [[app[lead], app[ment]] for lead, ment in rp.excluded]
        current.stats = stats
        current.timings = {k: round(v, 4) for k, v in timings.items()}
        current.notes = notes
        current.policy_words = inp.policy.describe()
        current.save(
            update_fields=[
                "status",
                "stage",
                "progress",
                "finished_at",
                "heartbeat_at",
                "inputs_fingerprint",
                "leaders_count",
                "mentors_count",
                "mentor_capacity",
                "locked_pairs",
                "excluded_pairs",
                "stats",
                "timings",
                "notes",
                "policy_words",
            ]
        )
