"""The SMART check of a goal draft: concrete feedback, one line per problem, in a fixed order.

Plain Python with no Django import, so the rules read (and test) on their own. The owner may
still save a goal the check finds wanting, by saying why.
"""

from __future__ import annotations

import datetime as dt
import re

# Verbs nobody can see someone do: the goal cannot be checked at the end.
VAGUE_VERBS = (
    "understand",
    "know",
    "learn about",
    "be aware of",
    "appreciate",
    "improve",
    "get better at",
    "explore",
    "think about",
    "try to",
)
CONCRETE = "such as “run”, “write”, “present”, “ask” or “hold”"


def smart_check(
    *,
    statement: str,
    measure: str,
    target: str,
    due_on: dt.date | None,
    has_objective: bool,
    today: dt.date,
) -> list[str]:
    """What keeps the draft from being SMART; an empty list for a good goal."""
    problems = []
    text = statement.strip().lower()
    for verb in VAGUE_VERBS:
        if re.search(rf"\b{re.escape(verb)}\b", text):
            problems.append(
                f"“{verb}” is vague: say what you will do that someone could see, {CONCRETE}."
            )
            break
    if not measure.strip():
        problems.append("Say how you will measure it: what will you count, see or hear?")
    if not target.strip():
        problems.append("Give a target: the number or result that means it is done.")
    if due_on is None:
        problems.append("Give a due date: by when will it be done?")
    elif due_on <= today:
        problems.append("The due date has passed: choose a date still to come.")
    elif due_on > today + dt.timedelta(days=366):
        problems.append("The due date is more than a year away: choose one within the programme.")
    if not has_objective:
        problems.append("Link it to one of the programme's objectives.")
    return problems
