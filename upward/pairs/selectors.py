"""Reads of pairs: the ones a person is in, and a programme's for its coordinators."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, Q, QuerySet
from django.http import Http404

from upward.core import navigation
from upward.programmes.models import Application

from .models import Pair
from .permissions import can_see

RELATED = (
    "programme",
    "cohort",
    "leader__person__organisation",
    "mentor__person__organisation",
)


def _of_user(user: Any) -> Q:
    """Pairs whose leader or mentor is one of the user's own applications: found on the pairs'
    leader and mentor indexes (``any_of``, core.lookups), instead of joining every pair with
    both its applications (a cost that grows with the programme)."""
    mine = Application.objects.filter(user_id=user.pk).values("pk")
    return Q(leader__any_of=mine) | Q(mentor__any_of=mine)


def pairs_of_user(user: Any) -> QuerySet[Pair]:
    """The pairs the user is one of the two people of, newest first.

    The user's few application ids are read first and given as values: with a subquery, even
    ``= ANY(ARRAY(…))``, PostgreSQL expects hundreds of pairs once the related rows are joined
    and hashes the whole programme's applications (about 5 ms at 10,000 participants); with
    the values it expects a handful and follows the indexes (well under a millisecond)."""
    if not getattr(user, "is_authenticated", False):
        return Pair.objects.none()
    mine = list(Application.objects.filter(user_id=user.pk).values_list("pk", flat=True))
    return (
        Pair.objects.filter(Q(leader_id__in=mine) | Q(mentor_id__in=mine))
        .select_related(*RELATED)
        .order_by("-since", "-pk")
    )


IN_PAIR = "in_pair"


def in_pair_fact(user: Any) -> Exists:
    """The menu's fact "is in a pair" (core.navigation answers all facts in one query)."""
    return Exists(Pair.objects.filter(_of_user(user)))


def has_pairs(user: Any) -> bool:
    """Whether the user is in any pair; several menu entries ask it, once per request."""
    return navigation.fact(user, IN_PAIR)


def programme_pairs(programme: Any) -> QuerySet[Pair]:
    """Every pair of a programme (for its coordinators), in a fixed number of queries."""
    return Pair.objects.filter(programme=programme).select_related(*RELATED).order_by("since", "pk")


def pair_or_404(user: Any, pk: int) -> Pair:
    """The pair, for its two people and the programme's coordinators; a 404 for anyone else."""
    pair = Pair.objects.select_related(*RELATED).filter(pk=pk).first()
    if pair is None or not can_see(user, pair):
        raise Http404("No such pair.")
    return pair
