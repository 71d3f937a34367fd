"""A small, fixed cast of leaders and mentors for rule and explanation tests.

Northwind's reporting lines::

    ceo (10)
    +-- cfo (9) -- fin-mgr (6) -- fin-jr (2)
    +-- cto (9) -- eng-mgr (6) -- eng-jr (2)
                              \\- eng-jr2 (1)

Riverside is a second organisation with one leader (riv-dir, 8) and one mentor (riv-jr, 3).
"""

from __future__ import annotations

from typing import Any

from upward.matching import Participant, Side, weekly_slots

CHAINS: dict[str, tuple[str, ...]] = {
    "ceo": (),
    "cfo": ("ceo",),
    "cto": ("ceo",),
    "fin-mgr": ("cfo", "ceo"),
    "eng-mgr": ("cto", "ceo"),
    "fin-jr": ("fin-mgr", "cfo", "ceo"),
    "eng-jr": ("eng-mgr", "cto", "ceo"),
    "eng-jr2": ("eng-mgr", "cto", "ceo"),
    "riv-dir": ("riv-ceo",),
    "riv-jr": ("riv-mgr", "riv-dir", "riv-ceo"),
}
GRADES = {
    "ceo": 10,
    "cfo": 9,
    "cto": 9,
    "fin-mgr": 6,
    "eng-mgr": 6,
    "fin-jr": 2,
    "eng-jr": 2,
    "eng-jr2": 1,
    "riv-dir": 8,
    "riv-jr": 3,
}
DEPARTMENTS = {
    "ceo": "Executive Office",
    "cfo": "Finance",
    "fin-mgr": "Finance",
    "fin-jr": "Finance",
    "cto": "Technology",
    "eng-mgr": "Technology",
    "eng-jr": "Technology",
    "eng-jr2": "Technology",
    "riv-dir": "Finance",
    "riv-jr": "Finance",
}
LONDON_OFFICE_HOURS = weekly_slots(0, days=range(5), start=9, end=17)


def person(pid: str, side: Side, **changes: Any) -> Participant:
    """A participant from the cast, with sensible defaults that any test may override."""
    fields: dict[str, Any] = {
        "organisation": "Riverside" if pid.startswith("riv") else "Northwind",
        "department": DEPARTMENTS.get(pid, "Operations"),
        "grade": GRADES.get(pid, 5),
        "manager_chain": CHAINS.get(pid, ()),
        "languages": frozenset({"English"}),
        "availability": LONDON_OFFICE_HOURS,
    }
    fields.update(changes)
    return Participant(pid, side, **fields)


def leader(pid: str, **changes: Any) -> Participant:
    return person(pid, Side.LEADER, **changes)


def mentor(pid: str, **changes: Any) -> Participant:
    return person(pid, Side.MENTOR, **changes)
