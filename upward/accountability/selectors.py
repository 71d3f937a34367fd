"""Reads of ideas, commitments and nominations, each returning only what the user may see.

No read ever returns the author of an anonymous idea: the idea does not hold one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from upward.accounts.permissions import can_coordinate
from upward.pairs.models import Pair
from upward.programmes.models import Programme

from .models import Commitment, Idea, IdeaGroup, IdeaSession, IdeaVote, Nomination
from .permissions import (
    can_see_commitment,
    can_see_programme_commitments,
    can_take_part,
    can_update_commitment,
)
from .similar import suggest_groups


def programme_or_404(slug: str) -> Programme:
    return get_object_or_404(Programme, slug=slug)


def sessions_of(programme: Programme) -> QuerySet[IdeaSession]:
    return IdeaSession.objects.filter(programme=programme).annotate(idea_count=Count("ideas"))


def session_or_404(user: Any, pk: int) -> IdeaSession:
    session = IdeaSession.objects.select_related("programme").filter(pk=pk).first()
    if session is None or not can_take_part(user, session.programme):
        raise Http404("No such idea session.")
    return session


def idea_or_404(user: Any, pk: int) -> Idea:
    idea = Idea.objects.select_related("session__programme").filter(pk=pk).first()
    if idea is None or not can_take_part(user, idea.session.programme):
        raise Http404("No such idea.")
    return idea


def ideas_of(session: IdeaSession, user: Any) -> list[Any]:
    """The session's ideas, most votes first, each with ``vote_count``, ``voted`` (by the user)
    and ``mine`` (a named idea of the user's; an anonymous idea is nobody's)."""
    mine_votes = IdeaVote.objects.filter(idea=OuterRef("pk"), voter_id=getattr(user, "pk", 0))
    rows: list[Any] = list(
        Idea.objects.filter(session=session)
        .select_related("group", "author__person")
        .annotate(vote_count=Count("votes", distinct=True), voted=Exists(mine_votes))
        .order_by("-vote_count", "pk")
    )
    for idea in rows:
        idea.mine = (not idea.anonymous) and idea.author_id == getattr(user, "pk", None)
    return rows


def votes_left(session: IdeaSession, user: Any) -> int:
    used = IdeaVote.objects.filter(session=session, voter_id=getattr(user, "pk", 0)).count()
    return max(0, session.votes_per_person - used)


def suggested_groups(session: IdeaSession) -> list[list[Idea]]:
    """Groups of similar ideas not yet grouped, suggested from their words."""
    ideas = list(Idea.objects.filter(session=session, group__isnull=True).order_by("pk"))
    return [[ideas[i] for i in g] for g in suggest_groups([i.text for i in ideas])]


def groups_of(session: IdeaSession) -> QuerySet[IdeaGroup]:
    return IdeaGroup.objects.filter(session=session).prefetch_related("ideas")


def programme_leaders(programme: Programme) -> list[Any]:
    """The programme's leaders (for choosing a commitment's owner), by name."""
    from upward.accounts.models import User

    ids = set(
        Pair.objects.filter(programme=programme).values_list("leader__user_id", flat=True)
    ) | set(
        Pair.objects.filter(programme=programme, reciprocal=True).values_list(
            "mentor__user_id", flat=True
        )
    )
    users = list(User.objects.filter(pk__in=ids).select_related("person"))
    return sorted(users, key=lambda u: (leader_name(u), u.pk))


def leader_name(user: Any) -> str:
    person = getattr(user, "person", None)
    return (person.name if person is not None else "") or user.get_full_name() or user.email


# --- commitments -----------------------------------------------------------------------------

COMMITMENT_RELATED = ("programme", "owner__person", "idea")


def commitments_owned(user: Any) -> QuerySet[Commitment]:
    if not getattr(user, "is_authenticated", False):
        return Commitment.objects.none()
    return Commitment.objects.filter(owner=user).select_related(*COMMITMENT_RELATED)


def programme_commitments(programme: Programme) -> QuerySet[Commitment]:
    return Commitment.objects.filter(programme=programme).select_related(*COMMITMENT_RELATED)


def commitment_or_404(user: Any, pk: int) -> Commitment:
    commitment = Commitment.objects.select_related(*COMMITMENT_RELATED).filter(pk=pk).first()
    if commitment is None or not can_see_commitment(user, commitment):
        raise Http404("No such commitment.")
    return commitment


def commitment_to_update_or_404(user: Any, pk: int) -> Commitment:
    """The commitment, for its owner and the programme's coordinators (who may change it)."""
    commitment = commitment_or_404(user, pk)
    if not can_update_commitment(user, commitment):
        raise Http404("No such commitment.")
    return commitment


@dataclass(frozen=True)
class FollowThrough:
    total: int
    planned: int
    in_progress: int
    done: int
    done_on_time: int
    done_late: int
    dropped: int
    overdue: int


def follow_through(commitments: Any, today: dt.date | None = None) -> FollowThrough:
    today = today or timezone.localdate()
    rows = list(commitments)
    done = [c for c in rows if c.status == Commitment.Status.DONE]
    return FollowThrough(
        total=len(rows),
        planned=sum(c.status == Commitment.Status.PLANNED for c in rows),
        in_progress=sum(c.status == Commitment.Status.IN_PROGRESS for c in rows),
        done=len(done),
        done_on_time=sum(c.on_time is True for c in done),
        done_late=sum(c.on_time is False for c in done),
        dropped=sum(c.status == Commitment.Status.DROPPED for c in rows),
        overdue=sum(c.is_overdue(today) for c in rows),
    )


def owner_shown(commitment: Commitment, user: Any) -> str:
    """The owner's name for the owner and the programme's coordinators; a sponsor sees the
    programme level only, so not which leader it is."""
    if commitment.owner_id == getattr(user, "pk", None) or can_coordinate(
        user, commitment.programme
    ):
        return leader_name(commitment.owner)
    return "A leader of the programme"


def agreed_nominations(programme: Programme) -> QuerySet[Nomination]:
    """Nominations waiting for their outcome (for the programme's coordinators to record)."""
    return Nomination.objects.filter(
        pair__programme=programme, state=Nomination.State.AGREED
    ).select_related(*NOMINATION_RELATED)


def standing(commitment: Commitment, today: dt.date | None = None) -> str:
    """One phrase for a commitment's follow-through."""
    if commitment.status == Commitment.Status.DONE:
        return "Done on time" if commitment.on_time else "Done late"
    if commitment.status == Commitment.Status.DROPPED:
        return "Dropped"
    if commitment.is_overdue(today):
        return "Overdue"
    return "On track"


# --- nominations -----------------------------------------------------------------------------

NOMINATION_RELATED = (
    "pair__programme",
    "pair__leader__person",
    "pair__mentor__person",
)


def nominations_made(user: Any) -> QuerySet[Nomination]:
    """The nominations the user made as a leader."""
    return Nomination.objects.filter(pair__leader__user_id=getattr(user, "pk", 0)).select_related(
        *NOMINATION_RELATED
    )


def nominations_received(user: Any) -> QuerySet[Nomination]:
    """The nominations asking the user, as a mentor."""
    return Nomination.objects.filter(pair__mentor__user_id=getattr(user, "pk", 0)).select_related(
        *NOMINATION_RELATED
    )


def nomination_or_404(user: Any, pk: int) -> Nomination:
    nomination = Nomination.objects.select_related(*NOMINATION_RELATED).filter(pk=pk).first()
    if nomination is None:
        raise Http404("No such nomination.")
    pair = nomination.pair
    if pair.side_of(user) is None and not can_coordinate(user, pair.programme):
        raise Http404("No such nomination.")
    return nomination


def nomination_to_answer_or_404(user: Any, pk: int) -> Nomination:
    """The nomination, for the mentor it asks; a 404 for anyone else, the leader included."""
    nomination = nomination_or_404(user, pk)
    if nomination.pair.mentor.user_id != user.pk:
        raise Http404("No such nomination.")
    return nomination


def nomination_to_close_or_404(user: Any, pk: int) -> Nomination:
    """The nomination, for the leader who made it and the programme's coordinators."""
    nomination = nomination_or_404(user, pk)
    pair = nomination.pair
    if pair.leader.user_id != user.pk and not can_coordinate(user, pair.programme):
        raise Http404("No such nomination.")
    return nomination


def leader_pair_or_404(user: Any, pk: int) -> Pair:
    """A pair in which the user is the leader (who alone may nominate the mentor)."""
    pair = (
        Pair.objects.filter(pk=pk, leader__user_id=getattr(user, "pk", 0))
        .select_related("programme", "leader__person", "mentor__person", "mentor__user")
        .first()
    )
    if pair is None:
        raise Http404("No such pair.")
    return pair


def leader_pairs(user: Any) -> QuerySet[Pair]:
    """The live pairs in which the user is the leader (who may nominate their mentor)."""
    return (
        Pair.objects.filter(leader__user_id=getattr(user, "pk", 0))
        .filter(state__in=[Pair.State.PREPARING, Pair.State.ACTIVE, Pair.State.PAUSED])
        .select_related("programme", "mentor__person")
    )


@dataclass(frozen=True)
class SponsorshipCounts:
    nominated: int
    agreed: int
    not_taken_forward: int
    successful: int
    not_successful: int
    withdrawn: int


def sponsorship_counts(programme: Programme, now: dt.datetime | None = None) -> SponsorshipCounts:
    rows = list(Nomination.objects.filter(pair__programme=programme))
    now = now or timezone.now()
    return SponsorshipCounts(
        nominated=len(rows),
        agreed=sum(n.state in (Nomination.State.AGREED, Nomination.State.CLOSED) for n in rows),
        not_taken_forward=sum(n.leader_words(now) == "Not taken forward" for n in rows),
        successful=sum(n.outcome == Nomination.Outcome.SUCCESSFUL for n in rows),
        not_successful=sum(n.outcome == Nomination.Outcome.NOT_SUCCESSFUL for n in rows),
        withdrawn=sum(n.outcome == Nomination.Outcome.WITHDRAWN for n in rows),
    )


def programme_summary(programme: Programme) -> list[dict[str, Any]]:
    """The aggregate rows of the programme's accountability (counts only, no person), for the
    sponsor's page and, later, the evidence dashboard."""
    ft = follow_through(programme_commitments(programme))
    sp = sponsorship_counts(programme)
    sessions = IdeaSession.objects.filter(programme=programme)
    ideas = Idea.objects.filter(session__programme=programme)
    rows = [
        ("ideas", "idea_sessions", "Idea sessions held", sessions.count()),
        ("ideas", "ideas", "Ideas submitted", ideas.count()),
        ("ideas", "adopted", "Ideas adopted", ideas.filter(adopted=True).count()),
        ("commitments", "total", "Leaders' commitments", ft.total),
        ("commitments", "planned", "Planned", ft.planned),
        ("commitments", "in_progress", "In progress", ft.in_progress),
        ("commitments", "done_on_time", "Done on time", ft.done_on_time),
        ("commitments", "done_late", "Done late", ft.done_late),
        ("commitments", "overdue", "Overdue", ft.overdue),
        ("commitments", "dropped", "Dropped", ft.dropped),
        ("sponsorship", "nominated", "Mentors nominated", sp.nominated),
        ("sponsorship", "agreed", "Nominations the mentor agreed to", sp.agreed),
        ("sponsorship", "successful", "Successful", sp.successful),
        ("sponsorship", "not_successful", "Not successful", sp.not_successful),
        ("sponsorship", "withdrawn", "Withdrawn", sp.withdrawn),
    ]
    return [{"section": s, "key": k, "label": label, "value": v} for s, k, label, v in rows]


def commitment_section_rows(programme: Programme) -> list[tuple[str, str]]:
    """(label, value) rows for the programme report: counts only."""
    return [(row["label"], str(row["value"])) for row in programme_summary(programme)]


def may_see_programme_page(user: Any, programme: Programme) -> bool:
    return can_see_programme_commitments(user, programme)


def hub_programmes(user: Any) -> list[dict[str, Any]]:
    """The programmes whose ideas or commitments the user may open, with what they may open:
    sessions (participants, coordinators) and the programme page (coordinators, sponsors)."""
    if not getattr(user, "is_authenticated", False):
        return []
    from upward.accounts.models import Role
    from upward.accounts.permissions import programme_ids_with_role

    coordinated = programme_ids_with_role(user, Role.COORDINATOR)
    sponsored = programme_ids_with_role(user, Role.SPONSOR)
    taking_part = set(
        Pair.objects.filter(Q(leader__user=user) | Q(mentor__user=user)).values_list(
            "programme_id", flat=True
        )
    )
    ids = coordinated | sponsored | taking_part
    if getattr(user, "is_superuser", False):
        ids |= set(IdeaSession.objects.values_list("programme_id", flat=True))
    rows = []
    for programme in Programme.objects.filter(pk__in=ids).order_by("name", "pk"):
        coordinating = programme.pk in coordinated or bool(getattr(user, "is_superuser", False))
        rows.append(
            {
                "programme": programme,
                "sessions": coordinating or programme.pk in taking_part,
                "page": coordinating or programme.pk in sponsored,
                "open": [s for s in sessions_of(programme) if s.is_open()],
            }
        )
    return rows


def ideas_visible(user: Any) -> bool:
    """For the menu: a participant, coordinator or sponsor of any programme."""
    if not getattr(user, "is_authenticated", False):
        return False
    from upward.accounts.models import Role
    from upward.accounts.permissions import roles_of
    from upward.pairs.selectors import has_pairs

    return has_pairs(user) or bool(roles_of(user) & {Role.COORDINATOR, Role.SPONSOR})


def has_commitments(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and commitments_owned(user).exists()


def has_nominations(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Pair.objects.filter(Q(leader__user=user) | Q(mentor__user=user)).exists()


def commitment_section(programme: Programme) -> Any:
    """The report's and dashboard's "Commitments and follow-through" (evidence's sections
    hook): counts only, or nothing when the programme has no idea session, commitment or
    nomination."""
    from upward.evidence.sections import SectionData

    rows = programme_summary(programme)
    if not any(row["value"] for row in rows):
        return None
    return SectionData(rows=[(row["label"], str(row["value"])) for row in rows])
