"""Reads of cohort life. Who belongs to a cohort space, the posts a member may read, a pair's
thread (its two people only), and the cohort events of a programme. Each reads in a fixed
number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from upward.accounts.models import Role
from upward.accounts.permissions import can_coordinate, programme_ids_with_role
from upward.core import navigation
from upward.pairs.models import Pair
from upward.pairs.selectors import has_pairs
from upward.preparation import selectors as preparation_selectors
from upward.preparation.models import Workshop, WorkshopSeat
from upward.programmes.models import Application, Programme

from .models import MidpointParticipation, PairMessage, Post

COHORT_KINDS = (
    Workshop.Kind.COACHING,
    Workshop.Kind.MIDPOINT,
    Workshop.Kind.IDEAS,
    Workshop.Kind.CELEBRATION,
)
# The mid-point questionnaire stays open this long after its session ends; results show after.
ANSWER_DAYS_AFTER = 14


# --- membership of a cohort space -------------------------------------------------------------


def participant_programme_ids(user: Any) -> set[int]:
    """Programmes where the person is in a pair or was accepted."""
    if not getattr(user, "is_authenticated", False):
        return set()
    ids = set(
        Application.objects.filter(user=user, status=Application.Status.ACCEPTED).values_list(
            "programme_id", flat=True
        )
    )
    ids |= set(
        Pair.objects.filter(Q(leader__user=user) | Q(mentor__user=user)).values_list(
            "programme_id", flat=True
        )
    )
    return ids


def is_member(user: Any, programme: Programme) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return can_coordinate(user, programme) or programme.pk in participant_programme_ids(user)


ACCEPTED = "accepted_somewhere"


def accepted_fact(user: Any) -> Exists:
    """The menu's fact "was accepted to take part in a programme" (core.navigation answers all
    facts in one query)."""
    return Exists(Application.objects.filter(user_id=user.pk, status=Application.Status.ACCEPTED))


def has_space(user: Any) -> bool:
    """For the menu: in any cohort space, as a participant or a coordinator (the same people
    as ``participant_programme_ids`` and the coordinators, without reading the ids)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        navigation.fact(user, ACCEPTED)
        or has_pairs(user)
        or bool(programme_ids_with_role(user, Role.COORDINATOR))
    )


def spaces_of(user: Any) -> list[Programme]:
    ids = participant_programme_ids(user) | programme_ids_with_role(user, Role.COORDINATOR)
    return list(Programme.objects.filter(pk__in=ids).order_by("name"))


def space_or_404(user: Any, slug: str) -> Programme:
    programme = Programme.objects.filter(slug=slug).first()
    if programme is None or not is_member(user, programme):
        raise Http404("No such cohort space.")
    return programme


def member_ids(programme: Programme) -> set[int]:
    """Everyone of the space: the accepted, the people of its pairs and its coordinators."""
    from upward.accounts.models import RoleGrant

    ids = set(
        Application.objects.filter(
            programme=programme, status=Application.Status.ACCEPTED
        ).values_list("user_id", flat=True)
    )
    for leader_id, mentor_id in Pair.objects.filter(programme=programme).values_list(
        "leader__user_id", "mentor__user_id"
    ):
        ids.update({leader_id, mentor_id})
    ids |= set(
        RoleGrant.objects.filter(programme=programme, role=Role.COORDINATOR).values_list(
            "user_id", flat=True
        )
    )
    ids.discard(None)
    return ids


# --- posts ------------------------------------------------------------------------------------


def posts_of(programme: Programme, user: Any) -> list[Post]:
    """Top-level posts with their replies, announcements pinned first. A coordinator also sees
    hidden posts (marked) and the reports; a participant sees neither."""
    coordinator = can_coordinate(user, programme)
    replies = Post.objects.select_related("author__person").order_by("created_at", "pk")
    posts = Post.objects.filter(programme=programme, parent__isnull=True)
    if not coordinator:
        posts = posts.filter(hidden_at__isnull=True)
        replies = replies.filter(hidden_at__isnull=True)
    else:
        replies = replies.annotate(n_reports=Count("reports"))
        posts = posts.annotate(n_reports=Count("reports"))
    return list(
        posts.select_related("author__person")
        .prefetch_related(Prefetch("replies", queryset=replies))
        .order_by("-pinned", "-created_at", "-pk")
    )


def post_or_404(user: Any, pk: int) -> Post:
    """A post of a space the person belongs to; a hidden one only for a coordinator."""
    post = Post.objects.select_related("programme", "parent").filter(pk=pk).first()
    if post is None or not is_member(user, post.programme):
        raise Http404("No such post.")
    if post.hidden_at is not None and not can_coordinate(user, post.programme):
        raise Http404("No such post.")
    return post


def open_reports(programme: Programme) -> QuerySet[Any]:
    from .models import Report

    return (
        Report.objects.filter(post__programme=programme, post__hidden_at__isnull=True)
        .select_related("post")
        .order_by("created_at", "pk")
    )


# --- pair messages ----------------------------------------------------------------------------


def member_pair_or_404(user: Any, pk: int) -> Pair:
    """The pair, for its two people only: a 404 for anyone else, coordinators and superusers
    included."""
    pair = (
        Pair.objects.select_related(
            "programme", "leader__person", "mentor__person", "leader__user", "mentor__user"
        )
        .filter(pk=pk)
        .first()
    )
    if pair is None or pair.side_of(user) is None:
        raise Http404("No such pair.")
    return pair


def messages_of(pair: Pair) -> list[PairMessage]:
    return list(PairMessage.objects.filter(pair=pair).order_by("created_at", "pk"))


@dataclass(frozen=True)
class CohortChoices:
    """The person's choice of emails for cohort posts and for partner messages."""

    posts: str
    messages: str


def preference_of(user: Any) -> CohortChoices:
    from upward.notifications.selectors import choices_of

    chosen = choices_of(user)
    return CohortChoices(posts=chosen["cohort_posts"], messages=chosen["cohort_messages"])


# --- cohort events ----------------------------------------------------------------------------


def events_of(programme: Programme) -> list[Workshop]:
    """The programme's cohort events with booked and attended counts (coordinators)."""
    return list(
        Workshop.objects.filter(programme=programme, kind__in=COHORT_KINDS)
        .select_related("cohort", "programme")
        .annotate(
            booked=Count("seats", filter=Q(seats__status=WorkshopSeat.Status.BOOKED)),
            came=Count("seats", filter=Q(seats__attended=True)),
        )
        .order_by("-starts_at", "pk")
    )


def my_events(user: Any) -> list[tuple[Workshop, str]]:
    """Upcoming cohort events the person may join, with their place ('', booked, waiting)."""
    return [
        (w, place)
        for w, place in preparation_selectors.my_workshops(user)
        if w.kind in COHORT_KINDS
    ]


def answers_close_at(workshop: Workshop) -> dt.datetime:
    return workshop.starts_at + dt.timedelta(minutes=workshop.minutes, days=ANSWER_DAYS_AFTER)


def midpoint_for_user(user: Any, pk: int) -> Workshop:
    """A mid-point check-in the person is invited to (its audience and cohort); 404 otherwise."""
    workshop = Workshop.objects.select_related("programme").filter(pk=pk).first()
    if (
        workshop is None
        or workshop.kind != Workshop.Kind.MIDPOINT
        or not preparation_selectors.workshop_open_to(user, workshop)
    ):
        raise Http404("No such check-in.")
    return workshop


def has_answered(user: Any, workshop: Workshop) -> bool:
    return MidpointParticipation.objects.filter(workshop=workshop, user_id=user.pk).exists()


def event_of_programme_or_404(programme: Programme, pk: int) -> Workshop:
    workshop = (
        Workshop.objects.select_related("programme")
        .filter(programme=programme, pk=pk, kind__in=COHORT_KINDS)
        .first()
    )
    if workshop is None:
        raise Http404("No such event.")
    return workshop


def now() -> dt.datetime:
    return timezone.now()


def events_section(programme: Programme) -> Any:
    """The programme report's and dashboard's "Cohort events": events held and attendance,
    counts only (evidence's sections hook)."""
    from django.utils import timezone

    from upward.evidence.sections import SectionData

    held = [e for e in events_of(programme) if e.starts_at <= timezone.now()]
    if not held:
        return None
    kinds = dict(Workshop.Kind.choices)
    rows = [("Cohort events held", str(len(held)))]
    for kind in COHORT_KINDS:
        of_kind = [e for e in held if e.kind == kind]
        if of_kind:
            rows.append((f"{kinds[kind]}: sessions held", str(len(of_kind))))
    rows.append(("Places booked at held events", str(sum(getattr(e, "booked", 0) for e in held))))
    rows.append(("Attendances recorded", str(sum(getattr(e, "came", 0) for e in held))))
    return SectionData(rows=rows)
