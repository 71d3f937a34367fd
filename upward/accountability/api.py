"""Accountability API: idea sessions, ideas and votes, grouping and adoption, leaders'
commitments and their updates, nominations for sponsorship, and the sponsor's summary.

Each role sees its own view: an idea's author is given only for a named idea (an anonymous one
has none); a leader's nomination shows only the words the leader may read (no reason, no time
of a decline); a sponsor sees the programme's commitments and counts, nobody's idea.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from upward.accounts.models import User
from upward.accounts.permissions import can_coordinate
from upward.core.api_base import ErrorOut
from upward.core.bounds import BoundedDate, BoundedDateTime, Id

from . import selectors, services
from .errors import AccountabilityRuleBroken
from .models import Commitment, Idea, IdeaGroup, IdeaSession, Nomination
from .permissions import can_see_programme_commitments, can_take_part

router = Router(tags=["accountability"])
ERRORS: dict[int, Any] = {400: ErrorOut, 404: ErrorOut, 409: ErrorOut}
Version = Field(..., ge=1, le=2**31 - 1)


def _programme_for(user: Any, slug: str, allowed: Any) -> Any:
    programme = selectors.programme_or_404(slug)
    if not allowed(user, programme):
        raise Http404("No such programme.")
    return programme


# --- idea sessions ---------------------------------------------------------------------------


class AccountabilitySessionOut(Schema):
    id: int
    title: str
    prompt: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    votes_per_person: int
    is_open: bool
    version: int


class AccountabilitySessionIn(Schema):
    title: str = Field(..., max_length=200)
    prompt: str = Field("", max_length=2000)
    opens_at: BoundedDateTime
    closes_at: BoundedDateTime
    votes_per_person: int = Field(3, ge=1, le=20)


def session_out(session: IdeaSession) -> dict[str, Any]:
    return {
        "id": session.pk,
        "title": session.title,
        "prompt": session.prompt,
        "opens_at": session.opens_at,
        "closes_at": session.closes_at,
        "votes_per_person": session.votes_per_person,
        "is_open": session.is_open(),
        "version": session.version,
    }


class AccountabilityIdeaOut(Schema):
    id: int
    text: str
    anonymous: bool
    author: str | None = Field(description="The author's name for a named idea; never otherwise.")
    mine: bool
    votes: int
    voted: bool
    group: str | None
    adopted: bool


def idea_out(idea: Idea) -> dict[str, Any]:
    return {
        "id": idea.pk,
        "text": idea.text,
        "anonymous": idea.anonymous,
        "author": None if idea.anonymous else idea.author_shown,
        "mine": bool(getattr(idea, "mine", False)),
        "votes": int(getattr(idea, "vote_count", 0)),
        "voted": bool(getattr(idea, "voted", False)),
        "group": idea.group.title if idea.group_id and idea.group else None,
        "adopted": idea.adopted,
    }


class AccountabilitySessionDetailOut(AccountabilitySessionOut):
    votes_left: int
    ideas: list[AccountabilityIdeaOut]


@router.get(
    "/programmes/{slug}/idea-sessions",
    response={200: list[AccountabilitySessionOut], 404: ErrorOut},
    summary="The programme's idea sessions (participants and coordinators)",
)
def sessions(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    programme = _programme_for(request.user, slug, can_take_part)
    return [session_out(s) for s in selectors.sessions_of(programme)]


@router.post(
    "/programmes/{slug}/idea-sessions",
    response={201: AccountabilitySessionOut, **ERRORS},
    summary="Open an idea session with its window and votes per person (coordinators)",
)
def session_open(request: HttpRequest, slug: str, body: AccountabilitySessionIn) -> Status:
    programme = _programme_for(request.user, slug, can_coordinate)
    session = services.idea_session_open(programme=programme, by=request.user, **body.dict())
    return Status(201, session_out(session))


@router.get(
    "/idea-sessions/{idea_session_id}",
    response={200: AccountabilitySessionDetailOut, 404: ErrorOut},
    summary="An idea session with its ideas, votes and your votes left",
)
def session_detail(request: HttpRequest, idea_session_id: Id) -> dict[str, Any]:
    session = selectors.session_or_404(request.user, idea_session_id)
    return {
        **session_out(session),
        "votes_left": selectors.votes_left(session, request.user),
        "ideas": [idea_out(i) for i in selectors.ideas_of(session, request.user)],
    }


class AccountabilityIdeaIn(Schema):
    text: str = Field(..., max_length=2000)
    anonymous: bool = False


@router.post(
    "/idea-sessions/{idea_session_id}/ideas",
    response={201: AccountabilityIdeaOut, **ERRORS},
    summary="Submit an idea, anonymously if you choose (participants, while open)",
)
def idea_submit(request: HttpRequest, idea_session_id: Id, body: AccountabilityIdeaIn) -> Status:
    session = selectors.session_or_404(request.user, idea_session_id)
    idea = services.idea_submit(
        session=session, by=request.user, text=body.text, anonymous=body.anonymous
    )
    shown = idea_out(idea)
    shown["mine"] = not idea.anonymous
    return Status(201, shown)


class AccountabilityVotesOut(Schema):
    idea_id: int
    voted: bool
    votes_left: int


@router.post(
    "/ideas/{idea_id}/vote",
    response={200: AccountabilityVotesOut, **ERRORS},
    summary="Vote for an idea (up to the session's limit)",
)
def vote(request: HttpRequest, idea_id: Id) -> dict[str, Any]:
    idea = selectors.idea_or_404(request.user, idea_id)
    services.idea_vote(idea=idea, by=request.user)
    left = selectors.votes_left(idea.session, request.user)
    return {"idea_id": idea.pk, "voted": True, "votes_left": left}


@router.delete(
    "/ideas/{idea_id}/vote",
    response={200: AccountabilityVotesOut, **ERRORS},
    summary="Withdraw your vote for an idea (it frees the vote)",
)
def unvote(request: HttpRequest, idea_id: Id) -> dict[str, Any]:
    idea = selectors.idea_or_404(request.user, idea_id)
    services.idea_unvote(idea=idea, by=request.user)
    left = selectors.votes_left(idea.session, request.user)
    return {"idea_id": idea.pk, "voted": False, "votes_left": left}


class AccountabilityGroupOut(Schema):
    id: int | None
    title: str
    idea_ids: list[int]


@router.get(
    "/idea-sessions/{idea_session_id}/groups",
    response={200: list[AccountabilityGroupOut], 404: ErrorOut},
    summary="The session's groups, then groups suggested by text similarity (coordinators)",
)
def groups(request: HttpRequest, idea_session_id: Id) -> list[dict[str, Any]]:
    session = selectors.session_or_404(request.user, idea_session_id)
    if not can_coordinate(request.user, session.programme):
        raise Http404("No such idea session.")
    made = [
        {"id": g.pk, "title": g.title, "idea_ids": [i.pk for i in g.ideas.all()]}
        for g in selectors.groups_of(session)
    ]
    suggested = [
        {"id": None, "title": "Suggested", "idea_ids": [i.pk for i in g]}
        for g in selectors.suggested_groups(session)
    ]
    return made + suggested


class AccountabilityGroupIn(Schema):
    title: str = Field(..., max_length=200)
    idea_ids: list[Id] = Field(..., max_length=200)
    version: int = Version


@router.post(
    "/idea-sessions/{idea_session_id}/groups",
    response={201: AccountabilityGroupOut, **ERRORS},
    summary="Group similar ideas under one title (coordinators)",
)
def group_make(request: HttpRequest, idea_session_id: Id, body: AccountabilityGroupIn) -> Status:
    session = selectors.session_or_404(request.user, idea_session_id)
    if not can_coordinate(request.user, session.programme):
        raise Http404("No such idea session.")
    group: IdeaGroup = services.ideas_group(
        session=session,
        by=request.user,
        title=body.title,
        ideas=body.idea_ids,
        version=body.version,
    )
    return Status(201, {"id": group.pk, "title": group.title, "idea_ids": sorted(body.idea_ids)})


# --- commitments -----------------------------------------------------------------------------


class AccountabilityUpdateOut(Schema):
    status: str
    note: str
    evidence: str
    at: dt.datetime


class AccountabilityCommitmentOut(Schema):
    id: int
    owner: str = Field(
        description="The leader's name for the owner and coordinators; sponsors "
        "see the programme level only."
    )
    change: str
    measure: str
    baseline: str
    target: str
    due_on: dt.date
    status: str
    done_on: dt.date | None
    drop_reason: str
    overdue: bool
    standing: str
    from_idea: str | None = Field(description="The adopted idea's words; never its author.")
    updates: list[AccountabilityUpdateOut]
    version: int


def commitment_out(commitment: Commitment, user: Any) -> dict[str, Any]:
    return {
        "id": commitment.pk,
        "owner": selectors.owner_shown(commitment, user),
        "change": commitment.change,
        "measure": commitment.measure,
        "baseline": commitment.baseline,
        "target": commitment.target,
        "due_on": commitment.due_on,
        "status": commitment.status,
        "done_on": commitment.done_on,
        "drop_reason": commitment.drop_reason,
        "overdue": commitment.overdue,
        "standing": selectors.standing(commitment),
        "from_idea": commitment.idea.text if commitment.idea_id and commitment.idea else None,
        "updates": [
            {"status": u.status, "note": u.note, "evidence": u.evidence, "at": u.created_at}
            for u in commitment.updates.all()
        ],
        "version": commitment.version,
    }


class AccountabilityTermsIn(Schema):
    owner_id: Id | None = None
    change: str = Field(..., max_length=2000)
    measure: str = Field("", max_length=300)
    baseline: str = Field("", max_length=100)
    target: str = Field("", max_length=100)
    due_on: BoundedDate


def _owner(owner_id: int | None) -> Any:
    if owner_id is None:
        return None
    owner = User.objects.filter(pk=owner_id).first()
    if owner is None:
        raise AccountabilityRuleBroken(
            "The owner of a commitment must be a leader in this programme."
        )
    return owner


@router.post(
    "/ideas/{idea_id}/adopt",
    response={201: AccountabilityCommitmentOut, **ERRORS},
    summary="Adopt an idea as a leader's commitment (coordinators)",
)
def adopt(request: HttpRequest, idea_id: Id, body: AccountabilityTermsIn) -> Status:
    idea = selectors.idea_or_404(request.user, idea_id)
    if not can_coordinate(request.user, idea.session.programme):
        raise Http404("No such idea.")
    data = body.dict()
    owner_id = data.pop("owner_id")
    commitment = services.idea_adopt(idea=idea, by=request.user, owner=_owner(owner_id), **data)
    return Status(201, commitment_out(commitment, request.user))


@router.get(
    "/commitments",
    response={200: list[AccountabilityCommitmentOut]},
    summary="Your own commitments (as a leader)",
)
def commitments_mine(request: HttpRequest) -> list[dict[str, Any]]:
    rows = selectors.commitments_owned(request.user).prefetch_related("updates")
    return [commitment_out(c, request.user) for c in rows]


class AccountabilityFollowThroughOut(Schema):
    total: int
    planned: int
    in_progress: int
    done: int
    done_on_time: int
    done_late: int
    dropped: int
    overdue: int


class AccountabilityProgrammeCommitmentsOut(Schema):
    follow_through: AccountabilityFollowThroughOut
    commitments: list[AccountabilityCommitmentOut]


@router.get(
    "/programmes/{slug}/commitments",
    response={200: AccountabilityProgrammeCommitmentsOut, 404: ErrorOut},
    summary="Every commitment of the programme and its follow-through (sponsors, coordinators)",
)
def commitments_programme(request: HttpRequest, slug: str) -> dict[str, Any]:
    programme = _programme_for(request.user, slug, can_see_programme_commitments)
    rows = list(selectors.programme_commitments(programme).prefetch_related("updates"))
    return {
        "follow_through": selectors.follow_through(rows).__dict__,
        "commitments": [commitment_out(c, request.user) for c in rows],
    }


@router.get(
    "/commitments/{commitment_id}",
    response={200: AccountabilityCommitmentOut, 404: ErrorOut},
    summary="One commitment (its owner, the programme's sponsors and coordinators)",
)
def commitment_detail(request: HttpRequest, commitment_id: Id) -> dict[str, Any]:
    return commitment_out(selectors.commitment_or_404(request.user, commitment_id), request.user)


class AccountabilityEditIn(AccountabilityTermsIn):
    version: int = Version


@router.put(
    "/commitments/{commitment_id}",
    response={200: AccountabilityCommitmentOut, **ERRORS},
    summary="Change a commitment's terms (its owner or a coordinator; versioned)",
)
def commitment_edit(
    request: HttpRequest, commitment_id: Id, body: AccountabilityEditIn
) -> dict[str, Any]:
    commitment = selectors.commitment_to_update_or_404(request.user, commitment_id)
    data = body.dict()
    owner_id = data.pop("owner_id")
    owner = _owner(owner_id) if owner_id is not None else commitment.owner
    services.commitment_edit(commitment=commitment, by=request.user, owner=owner, **data)
    return commitment_out(commitment, request.user)


class AccountabilityUpdateIn(Schema):
    status: Literal["planned", "in_progress", "done", "dropped"]
    note: str = Field(..., max_length=4000)
    evidence: str = Field("", max_length=500)
    reason: str = Field("", max_length=2000, description="Why it is dropped (when dropped).")
    version: int = Version


@router.post(
    "/commitments/{commitment_id}/updates",
    response={201: AccountabilityCommitmentOut, **ERRORS},
    summary="Post a status update with its evidence (the owner or a coordinator)",
)
def commitment_update(
    request: HttpRequest, commitment_id: Id, body: AccountabilityUpdateIn
) -> Status:
    commitment = selectors.commitment_to_update_or_404(request.user, commitment_id)
    services.commitment_update(commitment=commitment, by=request.user, **body.dict())
    return Status(201, commitment_out(commitment, request.user))


# --- nominations -----------------------------------------------------------------------------


class AccountabilityNominationLeaderOut(Schema):
    id: int
    mentor: str
    kind: str
    title: str
    description: str
    shown: str = Field(description="What the leader may read: never a reason or a time.")
    can_record_outcome: bool
    version: int


class AccountabilityNominationMentorOut(Schema):
    id: int
    leader: str
    kind: str
    title: str
    description: str
    state: str
    outcome: str
    answer_by: dt.datetime
    can_answer: bool
    version: int


class AccountabilityNominationsOut(Schema):
    made: list[AccountabilityNominationLeaderOut]
    received: list[AccountabilityNominationMentorOut]


def leader_view(n: Nomination) -> dict[str, Any]:
    return {
        "id": n.pk,
        "mentor": n.pair.mentor.person.name,
        "kind": n.kind,
        "title": n.title,
        "description": n.description,
        "shown": n.leader_words(),
        "can_record_outcome": n.state == Nomination.State.AGREED,
        "version": n.version,
    }


def mentor_view(n: Nomination) -> dict[str, Any]:
    return {
        "id": n.pk,
        "leader": n.pair.leader.person.name,
        "kind": n.kind,
        "title": n.title,
        "description": n.description,
        "state": n.state,
        "outcome": n.outcome,
        "answer_by": n.answer_by(),
        "can_answer": n.answerable(),
        "version": n.version,
    }


@router.get(
    "/nominations",
    response={200: AccountabilityNominationsOut},
    summary="Nominations you made (as a leader) and those asking you (as a mentor)",
)
def nominations(request: HttpRequest) -> dict[str, Any]:
    return {
        "made": [leader_view(n) for n in selectors.nominations_made(request.user)],
        "received": [mentor_view(n) for n in selectors.nominations_received(request.user)],
    }


class AccountabilityNominationIn(Schema):
    kind: Literal["role", "project", "event"]
    title: str = Field(..., max_length=200)
    description: str = Field(..., max_length=4000)


@router.post(
    "/pairs/{pair_id}/nominations",
    response={201: AccountabilityNominationLeaderOut, **ERRORS},
    summary="Nominate your mentor for an opportunity; they are asked privately (the leader)",
)
def nominate(request: HttpRequest, pair_id: Id, body: AccountabilityNominationIn) -> Status:
    pair = selectors.leader_pair_or_404(request.user, pair_id)
    nomination = services.nomination_make(pair=pair, by=request.user, **body.dict())
    return Status(201, leader_view(nomination))


class AccountabilityAnswerIn(Schema):
    agree: bool
    version: int = Version


class AccountabilityDoneOut(Schema):
    detail: str


@router.post(
    "/nominations/{nomination_id}/answer",
    response={200: AccountabilityDoneOut, **ERRORS},
    summary="Agree or decline to be put forward (the mentor; no reason is asked)",
)
def answer(request: HttpRequest, nomination_id: Id, body: AccountabilityAnswerIn) -> dict[str, str]:
    nomination = selectors.nomination_to_answer_or_404(request.user, nomination_id)
    services.nomination_answer(
        nomination=nomination, by=request.user, agree=body.agree, version=body.version
    )
    return {"detail": "Thank you: your answer is saved."}


class AccountabilityOutcomeIn(Schema):
    outcome: Literal["successful", "not_successful", "withdrawn"]
    version: int = Version


@router.post(
    "/nominations/{nomination_id}/outcome",
    response={200: AccountabilityDoneOut, **ERRORS},
    summary="Record what came of an agreed nomination (the leader or a coordinator)",
)
def outcome(
    request: HttpRequest, nomination_id: Id, body: AccountabilityOutcomeIn
) -> dict[str, str]:
    nomination = selectors.nomination_to_close_or_404(request.user, nomination_id)
    services.nomination_outcome(
        nomination=nomination, by=request.user, outcome=body.outcome, version=body.version
    )
    return {"detail": "The outcome is recorded."}


class AccountabilitySummaryRowOut(Schema):
    section: str
    key: str
    label: str
    value: int


@router.get(
    "/programmes/{slug}/accountability",
    response={200: list[AccountabilitySummaryRowOut], 404: ErrorOut},
    summary="The programme's accountability in counts (sponsors, coordinators)",
)
def summary(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    programme = _programme_for(request.user, slug, can_see_programme_commitments)
    return selectors.programme_summary(programme)
