"""Every write of ideas, commitments and nominations: one keyword-only service each, in one
transaction, called by both the pages and the API. A refusal raises AccountabilityRuleBroken
with the reason in plain words, and nothing changes."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from upward.accounts.permissions import can_coordinate
from upward.core.versioning import VersionConflict, claim_version
from upward.pairs.models import Pair
from upward.programmes.models import Programme

from . import emails
from .errors import AccountabilityRuleBroken, AccountabilityVersionConflict
from .models import (
    MAX_VOTES,
    Commitment,
    CommitmentRevision,
    CommitmentUpdate,
    Idea,
    IdeaGroup,
    IdeaSession,
    IdeaVote,
    Nomination,
)
from .permissions import can_update_commitment, is_leader, is_participant

logger = logging.getLogger(__name__)

TERMS = ("change", "measure", "baseline", "target", "due_on")


def _claim(instance: Any, version: int, what: str) -> None:
    try:
        claim_version(instance, expected_version=version)
    except VersionConflict as exc:
        raise AccountabilityVersionConflict(what, exc.current) from None


def _text(value: str, *, what: str, limit: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise AccountabilityRuleBroken(f"Write {what}.")
    if len(value) > limit:
        raise AccountabilityRuleBroken(f"Keep {what} to {limit} characters.")
    return value


# --- idea sessions ---------------------------------------------------------------------------


def idea_session_open(
    *,
    programme: Programme,
    by: Any,
    title: str,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    votes_per_person: int,
    prompt: str = "",
) -> IdeaSession:
    if not can_coordinate(by, programme):
        raise AccountabilityRuleBroken("Only the programme's coordinators open idea sessions.")
    title = _text(title, what="a title", limit=200)
    prompt = _text(prompt, what="the prompt", limit=2000, required=False)
    if closes_at <= opens_at:
        raise AccountabilityRuleBroken("The session must close after it opens.")
    if not 1 <= votes_per_person <= MAX_VOTES:
        raise AccountabilityRuleBroken(f"Give each person between 1 and {MAX_VOTES} votes.")
    with transaction.atomic():
        session = IdeaSession.objects.create(
            programme=programme,
            title=title,
            prompt=prompt,
            opens_at=opens_at,
            closes_at=closes_at,
            votes_per_person=votes_per_person,
            created_by=by,
        )
    logger.info("Idea session %s opened for programme %s", session.pk, programme.pk)
    return session


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", "", text.lower())).strip()[:2000]


def idea_submit(*, session: IdeaSession, by: Any, text: str, anonymous: bool) -> Idea:
    """A participant's idea. An anonymous one keeps no link to its author at all."""
    if not is_participant(by, session.programme):
        raise AccountabilityRuleBroken("Only the programme's participants submit ideas.")
    if not session.is_open():
        raise AccountabilityRuleBroken("This idea session is not open for ideas now.")
    text = _text(text, what="your idea", limit=2000)
    normalised = normalise(text)
    if not normalised:
        raise AccountabilityRuleBroken("Write your idea in words.")
    if Idea.objects.filter(session=session, normalised=normalised).exists():
        raise AccountabilityRuleBroken("This idea is already in the session: vote for it instead.")
    try:
        with transaction.atomic():
            idea = Idea.objects.create(
                session=session,
                text=text,
                normalised=normalised,
                anonymous=anonymous,
                author=None if anonymous else by,
                submitted_on=timezone.localdate(),
            )
    except IntegrityError:
        raise AccountabilityRuleBroken(
            "This idea is already in the session: vote for it instead."
        ) from None
    # No user in the log line: a log must not pair an anonymous idea with a person either.
    logger.info("Idea %s submitted to session %s", idea.pk, session.pk)
    return idea


def idea_vote(*, idea: Idea, by: Any) -> IdeaVote:
    session = idea.session
    if not is_participant(by, session.programme):
        raise AccountabilityRuleBroken("Only the programme's participants vote.")
    if not session.is_open():
        raise AccountabilityRuleBroken("Voting in this idea session is closed.")
    with transaction.atomic():
        # Lock the voter's row set for the session so two quick votes cannot pass the limit.
        used = IdeaVote.objects.select_for_update().filter(session=session, voter=by)
        if used.filter(idea=idea).exists():
            raise AccountabilityRuleBroken("You have already voted for this idea.")
        if used.count() >= session.votes_per_person:
            raise AccountabilityRuleBroken(
                f"You have used all {session.votes_per_person} of your votes. Withdraw one to "
                "vote for this idea."
            )
        return IdeaVote.objects.create(idea=idea, voter=by, session=session)


def idea_unvote(*, idea: Idea, by: Any) -> None:
    if not idea.session.is_open():
        raise AccountabilityRuleBroken("Voting in this idea session is closed.")
    deleted = IdeaVote.objects.filter(idea=idea, voter_id=getattr(by, "pk", None)).delete()[0]
    if not deleted:
        raise AccountabilityRuleBroken("You have not voted for this idea.")


def ideas_group(
    *, session: IdeaSession, by: Any, title: str, ideas: Iterable[int], version: int
) -> IdeaGroup:
    """Put similar ideas together under one title (the coordinator)."""
    if not can_coordinate(by, session.programme):
        raise AccountabilityRuleBroken("Only the programme's coordinators group ideas.")
    title = _text(title, what="a title for the group", limit=200)
    ids = sorted(set(ideas))
    if len(ids) < 2:
        raise AccountabilityRuleBroken("Choose two ideas or more to group.")
    found = list(Idea.objects.filter(session=session, pk__in=ids))
    if len(found) != len(ids):
        raise AccountabilityRuleBroken("Choose ideas of this session only.")
    with transaction.atomic():
        _claim(session, version, "idea session")
        group = IdeaGroup.objects.create(session=session, title=title)
        Idea.objects.filter(pk__in=ids).update(group=group)
    # Groups left with fewer than two ideas are no longer groups.
    for empty in IdeaGroup.objects.filter(session=session).exclude(pk=group.pk):
        if empty.ideas.count() < 2:
            empty.ideas.update(group=None)
            empty.delete()
    return group


def idea_ungroup(*, group: IdeaGroup, by: Any) -> None:
    if not can_coordinate(by, group.session.programme):
        raise AccountabilityRuleBroken("Only the programme's coordinators group ideas.")
    with transaction.atomic():
        group.ideas.update(group=None)
        group.delete()


def _check_terms(
    *, programme: Programme, owner: Any, change: str, measure: str, baseline: str, target: str
) -> dict[str, str]:
    if owner is None:
        raise AccountabilityRuleBroken("Choose the leader who owns this commitment.")
    if not is_leader(owner, programme):
        raise AccountabilityRuleBroken(
            "The owner of a commitment must be a leader in this programme."
        )
    if not (measure or "").strip():
        raise AccountabilityRuleBroken(
            "Give a measure: how you will know the change happened (a KPI)."
        )
    return {
        "change": _text(change, what="what will change", limit=2000),
        "measure": _text(measure, what="the measure", limit=300),
        "baseline": _text(baseline, what="the baseline (where the measure is now)", limit=100),
        "target": _text(target, what="the target", limit=100),
    }


def idea_adopt(
    *,
    idea: Idea,
    by: Any,
    owner: Any,
    change: str,
    measure: str,
    baseline: str,
    target: str,
    due_on: dt.date,
) -> Commitment:
    """Adopt an idea (with its group) as a leader's commitment."""
    session = idea.session
    programme = session.programme
    if not can_coordinate(by, programme):
        raise AccountabilityRuleBroken("Only the programme's coordinators adopt ideas.")
    terms = _check_terms(
        programme=programme,
        owner=owner,
        change=change,
        measure=measure,
        baseline=baseline,
        target=target,
    )
    if due_on <= timezone.localdate():
        raise AccountabilityRuleBroken("Give a due date after today.")
    with transaction.atomic():
        commitment = Commitment.objects.create(
            programme=programme, idea=idea, owner=owner, due_on=due_on, created_by=by, **terms
        )
        together = Q(pk=idea.pk) | (Q(group_id=idea.group_id) if idea.group_id else Q(pk=0))
        Idea.objects.filter(session=session).filter(together).update(adopted=True)
    logger.info("Idea %s adopted as commitment %s", idea.pk, commitment.pk)
    emails.commitment_adopted(commitment)
    return commitment


def commitment_edit(
    *,
    commitment: Commitment,
    by: Any,
    version: int,
    change: str,
    measure: str,
    baseline: str,
    target: str,
    due_on: dt.date,
    owner: Any = None,
) -> Commitment:
    """Change a commitment's terms (its owner or a coordinator); the old terms are kept."""
    if not can_update_commitment(by, commitment):
        raise AccountabilityRuleBroken("Only the owner or a coordinator changes a commitment.")
    new_owner = owner or commitment.owner
    if new_owner.pk != commitment.owner_id and not can_coordinate(by, commitment.programme):
        raise AccountabilityRuleBroken("Only a coordinator hands a commitment to someone else.")
    terms = _check_terms(
        programme=commitment.programme,
        owner=new_owner,
        change=change,
        measure=measure,
        baseline=baseline,
        target=target,
    )
    with transaction.atomic():
        before = {name: str(getattr(commitment, name)) for name in TERMS}
        before["owner"] = str(commitment.owner_id)
        _claim(commitment, version, "commitment")
        number = commitment.revisions.count() + 1
        CommitmentRevision.objects.create(commitment=commitment, number=number, terms=before, by=by)
        for name, value in terms.items():
            setattr(commitment, name, value)
        commitment.due_on = due_on
        commitment.owner = new_owner
        commitment.save(update_fields=[*terms, "due_on", "owner"])
    return commitment


# Which statuses a commitment may move to from each; done and dropped are final.
FLOW = {
    Commitment.Status.PLANNED: {
        Commitment.Status.PLANNED,
        Commitment.Status.IN_PROGRESS,
        Commitment.Status.DONE,
        Commitment.Status.DROPPED,
    },
    Commitment.Status.IN_PROGRESS: {
        Commitment.Status.IN_PROGRESS,
        Commitment.Status.DONE,
        Commitment.Status.DROPPED,
    },
    Commitment.Status.DONE: set(),
    Commitment.Status.DROPPED: set(),
}


def commitment_update(
    *,
    commitment: Commitment,
    by: Any,
    version: int,
    status: str,
    note: str,
    evidence: str = "",
    reason: str = "",
) -> CommitmentUpdate:
    """A status update with its evidence: planned → in progress → done, or dropped (a reason)."""
    if not can_update_commitment(by, commitment):
        raise AccountabilityRuleBroken("Only the owner or a coordinator updates a commitment.")
    if status not in Commitment.Status.values:
        raise AccountabilityRuleBroken("Choose planned, in progress, done or dropped.")
    allowed = FLOW[Commitment.Status(commitment.status)]
    if status not in allowed:
        if commitment.finished:
            raise AccountabilityRuleBroken(
                f"This commitment is {commitment.get_status_display().lower()}: it takes no "
                "more updates."
            )
        raise AccountabilityRuleBroken(
            f"A commitment in progress cannot go back to {Commitment.Status(status).label.lower()}."
        )
    note = _text(note, what="what happened", limit=4000)
    evidence = _text(evidence, what="the evidence", limit=500, required=False)
    reason = _text(reason, what="the reason", limit=2000, required=False)
    if status == Commitment.Status.DROPPED and not reason:
        raise AccountabilityRuleBroken("Say why the commitment is dropped.")
    if status == Commitment.Status.DONE and not evidence:
        raise AccountabilityRuleBroken("Give the evidence that it is done (a link or a source).")
    with transaction.atomic():
        _claim(commitment, version, "commitment")
        commitment.status = status
        fields = ["status"]
        if status == Commitment.Status.DONE:
            commitment.done_on = timezone.localdate()
            fields.append("done_on")
        if status == Commitment.Status.DROPPED:
            commitment.drop_reason = reason
            fields.append("drop_reason")
        commitment.save(update_fields=fields)
        return CommitmentUpdate.objects.create(
            commitment=commitment, by=by, status=status, note=note, evidence=evidence
        )


# --- nominations -----------------------------------------------------------------------------


def nomination_make(*, pair: Pair, by: Any, kind: str, title: str, description: str) -> Nomination:
    """The leader asks their mentor, privately, whether they may put them forward."""
    if pair.leader.user_id != getattr(by, "pk", None):
        raise AccountabilityRuleBroken("Only the pair's leader nominates their mentor.")
    if not pair.live:
        raise AccountabilityRuleBroken("This pair has finished: nominate while it runs.")
    if kind not in Nomination.Kind.values:
        raise AccountabilityRuleBroken("Choose a role, a project or an event.")
    title = _text(title, what="the opportunity's name", limit=200)
    description = _text(description, what="a description of the opportunity", limit=4000)
    with transaction.atomic():
        nomination = Nomination.objects.create(
            pair=pair, kind=kind, title=title, description=description
        )
    emails.nomination_asked(nomination)
    return nomination


def nomination_answer(*, nomination: Nomination, by: Any, agree: bool, version: int) -> None:
    """The mentor agrees or declines; no reason is asked for, so none can reach the leader."""
    if nomination.pair.mentor.user_id != getattr(by, "pk", None):
        raise AccountabilityRuleBroken("Only the mentor answers a nomination of themselves.")
    if not nomination.answerable():
        raise AccountabilityRuleBroken("This nomination can no longer be answered.")
    with transaction.atomic():
        _claim(nomination, version, "nomination")
        nomination.state = Nomination.State.AGREED if agree else Nomination.State.DECLINED
        nomination.answered_at = timezone.now()
        nomination.save(update_fields=["state", "answered_at"])
    if agree:
        emails.nomination_agreed(nomination)


def nomination_outcome(*, nomination: Nomination, by: Any, outcome: str, version: int) -> None:
    """The leader or a coordinator records what came of an agreed nomination."""
    pair = nomination.pair
    if pair.leader.user_id != getattr(by, "pk", None) and not can_coordinate(by, pair.programme):
        raise AccountabilityRuleBroken("Only the leader or a coordinator records the outcome.")
    if outcome not in Nomination.Outcome.values:
        raise AccountabilityRuleBroken("Choose successful, not successful or withdrawn.")
    if nomination.state != Nomination.State.AGREED:
        raise AccountabilityRuleBroken(
            "An outcome is recorded once, for a nomination the mentor agreed to."
        )
    with transaction.atomic():
        _claim(nomination, version, "nomination")
        nomination.state = Nomination.State.CLOSED
        nomination.outcome = outcome
        nomination.outcome_at = timezone.now()
        nomination.outcome_by = by
        nomination.save(update_fields=["state", "outcome", "outcome_at", "outcome_by"])
