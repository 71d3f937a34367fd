"""Who may see and do what with ideas, commitments and nominations: the one place that answers.

- participants (the two people of any pair of the programme) submit ideas and vote;
- the programme's coordinators run idea sessions, group and adopt ideas, and see everything
  but the author of an anonymous idea (nobody can see that: it is not kept);
- a commitment's owner (a leader of the programme) sees and updates their own;
- the programme's sponsors see every commitment and its follow-through, programme level only;
- a nomination is the pair's: the leader asks, the mentor answers, the coordinator may record
  the outcome.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from upward.accounts.models import Role
from upward.accounts.permissions import can_coordinate, programme_ids_with_role
from upward.pairs.models import Pair
from upward.programmes.models import Programme

from .models import Commitment


def _pairs_of(user: Any, programme: Programme) -> Any:
    return Pair.objects.filter(programme=programme).filter(
        Q(leader__user=user) | Q(mentor__user=user)
    )


def is_participant(user: Any, programme: Programme) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(_pairs_of(user, programme).exists())


def is_leader(user: Any, programme: Programme) -> bool:
    """A leader (mentee) of one of the programme's pairs (both people, when reciprocal)."""
    if user is None or getattr(user, "pk", None) is None:
        return False
    pairs = Pair.objects.filter(programme=programme)
    return bool(
        pairs.filter(leader__user=user).exists()
        or pairs.filter(reciprocal=True, mentor__user=user).exists()
    )


def is_sponsor(user: Any, programme: Programme) -> bool:
    return programme.pk in programme_ids_with_role(user, Role.SPONSOR)


def can_take_part(user: Any, programme: Programme) -> bool:
    """See the programme's idea sessions: participants and coordinators."""
    return is_participant(user, programme) or can_coordinate(user, programme)


def can_see_programme_commitments(user: Any, programme: Programme) -> bool:
    return can_coordinate(user, programme) or is_sponsor(user, programme)


def can_see_commitment(user: Any, commitment: Commitment) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return commitment.owner_id == user.pk or can_see_programme_commitments(
        user, commitment.programme
    )


def can_update_commitment(user: Any, commitment: Commitment) -> bool:
    """The owner posts updates; a coordinator may too (on the owner's word)."""
    return commitment.owner_id == user.pk or can_coordinate(user, commitment.programme)
