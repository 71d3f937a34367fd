"""Participants as the matching engine sees them.

The Django side builds one :class:`Participant` per leader or mentor from its models; the
engine turns lists of them into arrays. Only consented identity data should be passed in.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from upward.matching.errors import MatchingInputError
from upward.matching.style import check_profile

PersonId = int | str
HOURS_PER_WEEK = 168


class Side(StrEnum):
    """Which side of the programme someone is on."""

    LEADER = "leader"
    MENTOR = "mentor"


@dataclass(frozen=True)
class Participant:
    """One leader (mentee) or mentor.

    - ``grade``: grade level, higher is more senior.
    - ``manager_chain``: ids up the reporting line, direct manager first (people outside the
      programme may appear in it).
    - ``topics_sought`` / ``topics_offered``: names from the programme's topic list.
    - ``objectives``: which of the programme's objectives this person signed up for.
    - ``hopes_to_learn`` / ``can_share``: free text from the application form.
    - ``identity``: dimension -> value, only for dimensions the person consented to share.
    - ``availability``: UTC hour-of-week slots (0 = Monday 00:00 UTC), see
      :func:`weekly_slots`; ``None`` when not given (the availability rule then does not
      apply to this person).
    - ``languages``: languages the person can hold a conversation in (empty = not given).
    - ``culture_change``: number of past culture-change activities (mentors).
    - ``wishes``: ids of people on the other side this person would like, best first.
    - ``please_not``: ids this person privately asked not to be paired with.
    - ``capacity``: how many leaders a mentor takes on (ignored for leaders).
    - ``working_style``: Big Five trait -> score (1 to 7 in halves) from the short
      personality instrument, only when the person consented (see ``style.py``).
    """

    id: PersonId
    side: Side
    organisation: str = ""
    department: str = ""
    grade: int = 0
    manager_chain: tuple[PersonId, ...] = ()
    topics_sought: frozenset[str] = frozenset()
    topics_offered: frozenset[str] = frozenset()
    objectives: frozenset[str] = frozenset()
    hopes_to_learn: str = ""
    can_share: str = ""
    identity: Mapping[str, str] = field(default_factory=dict)
    availability: frozenset[int] | None = None
    languages: frozenset[str] = frozenset()
    culture_change: int = 0
    wishes: tuple[PersonId, ...] = ()
    please_not: frozenset[PersonId] = frozenset()
    capacity: int = 1
    working_style: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.id, int | str) or isinstance(self.id, bool):
            raise MatchingInputError(f"participant id must be an int or a str, got {self.id!r}")
        try:
            object.__setattr__(self, "side", Side(self.side))
        except ValueError:
            raise MatchingInputError(
                f"participant {self.id!r}: side must be 'leader' or 'mentor', got {self.side!r}"
            ) from None
        for name in ("topics_sought", "topics_offered", "objectives", "languages", "please_not"):
            value = getattr(self, name)
            if isinstance(value, str):
                raise MatchingInputError(
                    f"participant {self.id!r}: {name} must be a collection of names, "
                    "not a single string"
                )
            object.__setattr__(self, name, frozenset(value))
        for name in ("manager_chain", "wishes"):
            value = getattr(self, name)
            if isinstance(value, str):
                raise MatchingInputError(
                    f"participant {self.id!r}: {name} must be a sequence of ids, not a string"
                )
            object.__setattr__(self, name, tuple(value))
        if not isinstance(self.grade, int) or isinstance(self.grade, bool):
            raise MatchingInputError(f"participant {self.id!r}: grade must be a whole number")
        if not isinstance(self.capacity, int) or self.capacity < 0:
            raise MatchingInputError(
                f"participant {self.id!r}: capacity must be a whole number >= 0, "
                f"got {self.capacity!r}"
            )
        if not isinstance(self.culture_change, int) or self.culture_change < 0:
            raise MatchingInputError(
                f"participant {self.id!r}: culture_change must be a whole number >= 0"
            )
        if self.availability is not None:
            slots = frozenset(self.availability)
            if slots and (
                {type(s) for s in slots} != {int} or min(slots) < 0 or max(slots) >= HOURS_PER_WEEK
            ):
                raise MatchingInputError(
                    f"participant {self.id!r}: availability slots must be whole hours "
                    f"0..{HOURS_PER_WEEK - 1} of the week (UTC)"
                )
            object.__setattr__(self, "availability", slots)
        if not isinstance(self.identity, Mapping):
            raise MatchingInputError(f"participant {self.id!r}: identity must be a mapping")
        object.__setattr__(self, "identity", dict(self.identity))
        object.__setattr__(self, "working_style", check_profile(self.id, self.working_style))

    @classmethod
    def leader(cls, id: PersonId, **fields: object) -> Participant:
        """Shortcut for ``Participant(id, Side.LEADER, ...)``."""
        return cls(id, Side.LEADER, **fields)  # type: ignore[arg-type]

    @classmethod
    def mentor(cls, id: PersonId, **fields: object) -> Participant:
        """Shortcut for ``Participant(id, Side.MENTOR, ...)``."""
        return cls(id, Side.MENTOR, **fields)  # type: ignore[arg-type]


def weekly_slots(
    utc_offset: float,
    *,
    days: Iterable[int] = range(5),
    start: float = 9,
    end: float = 17,
) -> frozenset[int]:
    """UTC hour-of-week slots when someone is free from ``start`` to ``end`` local time.

    ``days`` are local weekdays (0 = Monday). ``utc_offset`` is the local offset from UTC in
    hours (``-5`` for New York in winter, ``5.5`` for India). Slots are whole UTC hours; an
    hour counts when it lies entirely inside the local window.
    """
    if not math.isfinite(utc_offset) or not -14 <= utc_offset <= 14:
        raise MatchingInputError(f"utc_offset must be between -14 and 14 hours, got {utc_offset}")
    if not 0 <= start < end <= 24:
        raise MatchingInputError("start and end must satisfy 0 <= start < end <= 24 (local hours)")
    slots: set[int] = set()
    for day in days:
        if not 0 <= day < 7:
            raise MatchingInputError(f"days must be 0 (Monday) to 6 (Sunday), got {day}")
        first = day * 24 + start - utc_offset
        last = day * 24 + end - utc_offset
        hour = math.ceil(first)
        while hour + 1 <= last:
            slots.add(hour % HOURS_PER_WEEK)
            hour += 1
    return frozenset(slots)
