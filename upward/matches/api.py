"""Matching API: the same rules as the pages.

Coordinators of a programme start and follow runs, read results, lock, exclude and change
pairs, and publish. Participants read and answer only their own proposals. Anyone else gets
404. A broken rule answers 400; an edit made against an outdated version of a run answers 409,
with ``{"detail": "..."}`` saying what to do.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from upward.core.bounds import Id, Offset
from upward.programmes.models import Application, Cohort, Programme
from upward.programmes.selectors import coordinated_programme_or_404

from . import selectors, services
from .change import ChangePlan, plan_change
from .models import MatchingRun, ProposedPair, UnmatchedPerson
from .selectors import ParticipantProposal
from .words import summary as why

router = Router(tags=["matching"])


def _programme(request: HttpRequest, slug: str) -> Programme:
    return coordinated_programme_or_404(request.user, slug)


def _run(request: HttpRequest, slug: str, number: int) -> MatchingRun:
    return selectors.run_or_404(_programme(request, slug), number)


# --- schemas ------------------------------------------------------------------------------------


class RunIn(Schema):
    cohort_id: Id | None = Field(None, description="Match one cohort; empty: the programme.")
    based_on: Id | None = Field(
        None, description="Number of a run whose settings to start from (a re-run)."
    )
    weights: dict[str, Annotated[int, Field(ge=0, le=5)]] | None = Field(
        None,
        description="Weights 0-5 by criterion (topics, objectives, text, seniority_gap, "
        "difference, availability, culture_history, preferences) for a preview run.",
    )


class RunOut(Schema):
    number: int
    purpose: str
    status: str
    stage: str
    stage_words: str
    progress: float
    cancel_requested: bool
    version: int
    cohort_id: int | None
    based_on: int | None
    leaders: int
    mentors: int
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    published_at: dt.datetime | None
    error: str
    notes: list[str]
    timings: dict[str, float]
    inputs_fingerprint: str
    policy: dict[str, Any]
    policy_words: list[str]


def run_out(run: MatchingRun) -> dict[str, Any]:
    return {
        "number": run.number,
        "purpose": run.purpose,
        "status": run.status,
        "stage": run.stage,
        "stage_words": run.get_stage_display(),
        "progress": round(run.progress, 4),
        "cancel_requested": run.cancel_requested,
        "version": run.version,
        "cohort_id": run.cohort_id,
        "based_on": run.parent.number if run.parent_id and run.parent else None,
        "leaders": run.leaders_count,
        "mentors": run.mentors_count,
        "created_at": run.created_at,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "published_at": run.published_at,
        "error": run.error,
        "notes": selectors.run_notes(run),
        "timings": run.timings,
        "inputs_fingerprint": run.inputs_fingerprint,
        "policy": run.policy.get("settings", {}),
        "policy_words": run.policy_words,
    }


class MatchPersonOut(Schema):
    application_id: int
    name: str
    job_title: str
    department: str
    organisation: str


def person_out(application: Application) -> dict[str, Any]:
    person = application.person
    return {
        "application_id": application.pk,
        "name": person.name,
        "job_title": person.job_title,
        "department": person.department,
        "organisation": person.organisation.name,
    }


class CriterionOut(Schema):
    criterion: str
    label: str
    points: float
    max_points: float
    sentence: str


class PairOut(Schema):
    leader: MatchPersonOut
    mentor: MatchPersonOut
    score: float
    locked: bool
    published: bool
    source: str
    why: str
    criteria: list[CriterionOut]


class UnmatchedOut(Schema):
    person: MatchPersonOut
    side: str
    code: str
    reason: str


class BarOut(Schema):
    label: str
    count: int


class SummaryOut(Schema):
    leaders: int
    mentors: int
    pairs: int
    unmatched_leaders: int
    unmatched_mentors: int
    mean_score: float | None
    min_score: float | None
    median_score: float | None
    cross_department: int
    cross_organisation: int
    locked: int
    manual: int
    mentors_used: int
    places: int
    score_bands: list[BarOut]
    grade_gaps: list[BarOut]
    mentor_load: list[BarOut]


class ResultsOut(Schema):
    run: RunOut
    summary: SummaryOut
    total_pairs: int
    total_unmatched: int
    offset: int
    limit: int
    pairs: list[PairOut]
    unmatched: list[UnmatchedOut]


class ResultsQuery(Schema):
    offset: Offset = Field(0, description="Skip this many pairs (and unmatched people).")
    limit: int = Field(200, ge=1, le=2000, description="At most this many of each.")


class RunVersionIn(Schema):
    version: Id = Field(..., description="The version of the run you last read.")


class PairActionIn(RunVersionIn):
    leader_application_id: Id


class ChangeQuery(Schema):
    # Optional here so that the permission check answers first; missing values answer 400.
    leader_application_id: Id | None = None
    mentor_application_id: Id | None = None
    displace_leader_id: Id | None = Field(
        None, description="When the mentor is full: whose place the leader takes."
    )


class ChangeIn(RunVersionIn):
    leader_application_id: Id
    mentor_application_id: Id
    displace_leader_id: Id | None = Field(
        None, description="When the mentor is full: whose place the leader takes."
    )


class ChangeRowOut(Schema):
    leader: str
    mentor_before: str | None
    mentor_after: str | None
    score_before: float | None
    score_after: float | None
    breaches: list[str]


class ChangeOut(Schema):
    kind: str
    allowed: bool
    score_change: float
    rows: list[ChangeRowOut]
    breaches: list[str]
    problems: list[str]
    choose_from: list[MatchPersonOut]
    version: int


def change_out(plan: ChangePlan, run: MatchingRun) -> dict[str, Any]:
    return {
        "kind": plan.kind,
        "allowed": plan.allowed,
        "score_change": round(plan.delta, 4),
        "rows": [
            {
                "leader": row.leader.person.name,
                "mentor_before": row.before.person.name if row.before else None,
                "mentor_after": row.after.person.name if row.after else None,
                "score_before": row.score_before,
                "score_after": row.score_after,
                "breaches": row.breaches,
            }
            for row in plan.rows
        ],
        "breaches": plan.breaches,
        "problems": plan.problems,
        "choose_from": [person_out(p.leader) for p in plan.options] if not plan.displaced else [],
        "version": run.version,
    }


class RankedOut(Schema):
    mentor: MatchPersonOut
    score: float
    places: int
    taken: int
    why: str
    criteria: list[CriterionOut]


class PublishOut(Schema):
    published: int
    run: RunOut


class PartnerOut(Schema):
    name: str
    job_title: str
    organisation: str
    role: str
    # Blind proposals: name, job title and organisation stay empty until both accept.
    blind: bool = False
    topics: list[str] = []
    level: str = ""


class ProposalOut(Schema):
    id: int
    programme: str
    programme_slug: str
    side: str
    state: str
    state_words: str
    partner: PartnerOut | None
    introduction: list[str]
    you_accepted: bool
    published_at: dt.datetime


def proposal_out(view: ParticipantProposal) -> dict[str, Any]:
    return {
        "id": view.pk,
        "programme": view.programme,
        "programme_slug": view.programme_slug,
        "side": view.side,
        "state": view.state,
        "state_words": view.state_words,
        "partner": view.partner.__dict__ if view.partner else None,
        "introduction": list(view.introduction),
        "you_accepted": view.you_accepted,
        "published_at": view.published_at,
    }


# --- runs ---------------------------------------------------------------------------------------

RUNS = "/programmes/{slug}/matching/runs"
RUN = RUNS + "/{int:number}"


@router.get(RUNS, response=list[RunOut], summary="A programme's matching runs, newest first")
def list_runs(request: HttpRequest, slug: str) -> Any:
    return [run_out(r) for r in selectors.runs_of(_programme(request, slug))]


@router.post(
    RUNS,
    response={202: RunOut},
    summary="Start a matching run (runs in the background; poll its status)",
)
def start_run(request: HttpRequest, slug: str, body: RunIn) -> Any:
    programme = _programme(request, slug)
    cohort = None
    if body.cohort_id is not None:
        cohort = Cohort.objects.filter(programme=programme, pk=body.cohort_id).first()
        if cohort is None:
            raise HttpError(400, "Choose one of this programme's cohorts.")
    based_on = None
    if body.based_on is not None:
        based_on = MatchingRun.objects.filter(programme=programme, number=body.based_on).first()
        if based_on is None:
            raise HttpError(400, f"This programme has no run {body.based_on}.")
    run = services.run_start(
        programme=programme,
        by=request.user,
        cohort=cohort,
        weights=body.weights,
        based_on=based_on,
    )
    run.refresh_from_db()
    return Status(202, run_out(run))


@router.get(RUN, response=RunOut, summary="A run's status, stage and progress")
def get_run(request: HttpRequest, slug: str, number: int) -> Any:
    return run_out(_run(request, slug, number))


@router.post(RUN + "/cancel", response=RunOut, summary="Cancel a queued or running run")
def cancel_run(request: HttpRequest, slug: str, number: int) -> Any:
    run = _run(request, slug, number)
    return run_out(services.run_cancel(run=run, by=request.user))


@router.get(
    RUN + "/results",
    response=ResultsOut,
    summary="A finished run's figures, pairs with explanations, and everyone left unmatched",
)
def run_results(request: HttpRequest, slug: str, number: int, query: Query[ResultsQuery]) -> Any:
    run = _run(request, slug, number)
    if run.status != MatchingRun.Status.DONE:
        raise HttpError(400, f"Run {number} has not finished ({run.get_status_display()}).")
    pairs = selectors.run_pairs(run)
    unmatched = selectors.unmatched_of(run)
    summary = selectors.run_summary(run)
    window = slice(query.offset, query.offset + query.limit)
    return {
        "run": run_out(run),
        "summary": {
            **{k: v for k, v in summary.__dict__.items() if not isinstance(v, list)},
            "score_bands": [b.__dict__ for b in summary.score_bands],
            "grade_gaps": [b.__dict__ for b in summary.grade_gaps],
            "mentor_load": [b.__dict__ for b in summary.mentor_load],
        },
        "total_pairs": summary.pairs,
        "total_unmatched": summary.unmatched_leaders + summary.unmatched_mentors,
        "offset": query.offset,
        "limit": query.limit,
        "pairs": [_pair_out(p) for p in pairs[window]],
        "unmatched": [_unmatched_out(u) for u in unmatched[window]],
    }


def _pair_out(pair: ProposedPair) -> dict[str, Any]:
    return {
        "leader": person_out(pair.leader),
        "mentor": person_out(pair.mentor),
        "score": pair.score,
        "locked": bool(getattr(pair, "locked", False)),
        "published": bool(getattr(pair, "published", False)),
        "source": pair.source,
        "why": why(pair.explanation),
        "criteria": pair.explanation,
    }


def _unmatched_out(item: UnmatchedPerson) -> dict[str, Any]:
    return {
        "person": person_out(item.application),
        "side": item.side,
        "code": item.code,
        "reason": item.reason,
    }


def _edited(run: MatchingRun) -> dict[str, Any]:
    run.refresh_from_db()
    return run_out(run)


@router.post(RUN + "/locks", response=RunOut, summary="Lock a pair: every later run keeps it")
def lock_pair(request: HttpRequest, slug: str, number: int, body: PairActionIn) -> Any:
    run = _run(request, slug, number)
    services.pair_lock(
        run=run, leader_id=body.leader_application_id, by=request.user, version=body.version
    )
    return _edited(run)


@router.post(RUN + "/unlock", response=RunOut, summary="Unlock a pair")
def unlock_pair(request: HttpRequest, slug: str, number: int, body: PairActionIn) -> Any:
    run = _run(request, slug, number)
    services.pair_unlock(
        run=run, leader_id=body.leader_application_id, by=request.user, version=body.version
    )
    return _edited(run)


@router.post(
    RUN + "/exclusions",
    response=RunOut,
    summary="Set a pair aside: it leaves the run and is never proposed again",
)
def exclude_pair(request: HttpRequest, slug: str, number: int, body: PairActionIn) -> Any:
    run = _run(request, slug, number)
    services.pair_exclude(
        run=run, leader_id=body.leader_application_id, by=request.user, version=body.version
    )
    return _edited(run)


@router.get(
    RUN + "/changes/preview",
    response=ChangeOut,
    summary="What pairing a leader with another mentor would do: score change, rules broken",
)
def preview_change(request: HttpRequest, slug: str, number: int, query: Query[ChangeQuery]) -> Any:
    run = _run(request, slug, number)
    leader_id, mentor_id = query.leader_application_id, query.mentor_application_id
    if leader_id is None or mentor_id is None:
        raise HttpError(400, "Give leader_application_id and mentor_application_id.")
    plan = plan_change(
        run, leader_id=leader_id, mentor_id=mentor_id, displace_id=query.displace_leader_id
    )
    return change_out(plan, run)


@router.post(
    RUN + "/changes",
    response=ChangeOut,
    summary="Pair a leader with another mentor (manual match, move or swap); never breaks a "
    "hard rule",
)
def make_change(request: HttpRequest, slug: str, number: int, body: ChangeIn) -> Any:
    run = _run(request, slug, number)
    plan = services.pair_change(
        run=run,
        leader_id=body.leader_application_id,
        mentor_id=body.mentor_application_id,
        displace_id=body.displace_leader_id,
        by=request.user,
        version=body.version,
    )
    run.refresh_from_db()
    return change_out(plan, run)


@router.get(
    RUN + "/leaders/{int:leader_id}/mentors",
    response=list[RankedOut],
    summary="Manual matching: the mentors the rules allow for one leader, best first",
)
def leader_mentors(
    request: HttpRequest,
    slug: str,
    number: int,
    leader_id: int,
    limit: int = Query(25, ge=1, le=200, description="At most this many mentors."),
) -> Any:
    run = _run(request, slug, number)
    _leader, rows = selectors.ranked_mentors(run, leader_id=leader_id, limit=limit)
    return [
        {
            "mentor": person_out(row.mentor),
            "score": row.score,
            "places": row.places,
            "taken": row.load,
            "why": why(row.criteria),
            "criteria": row.criteria,
        }
        for row in rows
    ]


@router.post(
    RUN + "/publish",
    response=PublishOut,
    summary="Publish a run: both people of each new pair get an introduction and answer",
)
def publish_run(request: HttpRequest, slug: str, number: int, body: RunVersionIn) -> Any:
    run = _run(request, slug, number)
    sent = services.run_publish(
        run=run,
        by=request.user,
        version=body.version,
        base_url=request.build_absolute_uri("/"),
    )
    return {"published": len(sent), "run": _edited(run)}


@router.post(
    "/programmes/{slug}/matching/rematch",
    response={202: RunOut},
    summary="Rematch the people whose proposals will not go ahead, keeping the others",
)
def rematch(request: HttpRequest, slug: str) -> Any:
    programme = _programme(request, slug)
    run = services.rematch_start(programme=programme, by=request.user)
    run.refresh_from_db()
    return Status(202, run_out(run))


# --- a participant's own proposals ------------------------------------------------------------


@router.get("/proposals", response=list[ProposalOut], summary="Your proposed matches")
def my_proposals(request: HttpRequest) -> Any:
    return [proposal_out(v) for v in selectors.proposals_for(request.user)]


@router.get("/proposals/{int:proposal_id}", response=ProposalOut, summary="One of your proposals")
def my_proposal(request: HttpRequest, proposal_id: int) -> Any:
    return proposal_out(selectors.proposal_for(request.user, proposal_id))


@router.post(
    "/proposals/{int:proposal_id}/accept", response=ProposalOut, summary="Accept your proposal"
)
def accept(request: HttpRequest, proposal_id: int) -> Any:
    record = selectors.proposal_record_or_404(request.user, proposal_id)
    services.proposal_accept(
        proposal=record, user=request.user, base_url=request.build_absolute_uri("/")
    )
    return proposal_out(selectors.proposal_for(request.user, proposal_id))


@router.post(
    "/proposals/{int:proposal_id}/decline",
    response=ProposalOut,
    summary="Decline privately: the other person is told only that it will not go ahead",
)
def decline(request: HttpRequest, proposal_id: int) -> Any:
    record = selectors.proposal_record_or_404(request.user, proposal_id)
    services.proposal_decline(
        proposal=record, user=request.user, base_url=request.build_absolute_uri("/")
    )
    return proposal_out(selectors.proposal_for(request.user, proposal_id))


# --- following up published proposals (coordinators) -------------------------------------------


class ProposalStateQuery(Schema):
    state: Literal["pending", "confirmed", "declined"] = Field(
        "pending", description="Which proposals: waiting for replies, confirmed, or closed."
    )
    offset: int = Field(0, ge=0, le=1_000_000)
    limit: int = Field(50, ge=1, le=200)


class FollowUpOut(Schema):
    id: int
    state: str
    leader: str
    mentor: str
    leader_answered: bool | None = Field(description="Null once the proposal is closed.")
    mentor_answered: bool | None = Field(description="Null once the proposal is closed.")
    waiting_on: list[str]
    published_at: dt.datetime
    closed_at: dt.datetime | None
    reminded_at: dt.datetime | None
    next_reminder_at: dt.datetime | None


def follow_up_out(row: selectors.ProposalRow) -> dict[str, Any]:
    proposal = row.proposal
    closed = proposal.status == "declined"
    return {
        "id": proposal.pk,
        "state": proposal.status,
        "leader": proposal.leader.person.name,
        "mentor": proposal.mentor.person.name,
        "leader_answered": None if closed else row.leader_answered,
        "mentor_answered": None if closed else row.mentor_answered,
        "waiting_on": row.waiting_on,
        "published_at": proposal.published_at,
        "closed_at": proposal.closed_at,
        "reminded_at": proposal.reminded_at,
        "next_reminder_at": row.next_reminder_at,
    }


@router.get(
    "/programmes/{slug}/matching/proposals",
    response=list[FollowUpOut],
    summary="Published proposals in one state: who answered, who is waiting and since when",
)
def list_follow_up(request: HttpRequest, slug: str, query: Query[ProposalStateQuery]) -> Any:
    programme = _programme(request, slug)
    rows = selectors.proposal_rows(programme, query.state)[
        query.offset : query.offset + query.limit
    ]
    return [follow_up_out(selectors.proposal_row(p)) for p in rows]


@router.post(
    "/programmes/{slug}/matching/proposals/{int:proposal_id}/remind",
    response=FollowUpOut,
    summary="Remind whoever has not answered (at most once every three days)",
)
def remind(request: HttpRequest, slug: str, proposal_id: int) -> Any:
    programme = _programme(request, slug)
    proposal = services.proposal_remind(
        programme=programme,
        proposal_id=proposal_id,
        by=request.user,
        base_url=request.build_absolute_uri("/"),
    )
    proposal = selectors.proposal_rows(programme, "pending").get(pk=proposal.pk)
    return follow_up_out(selectors.proposal_row(proposal))
