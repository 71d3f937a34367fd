"""Explanations in words: the coordinator's view of a pair's score, and the introduction each
person receives, which never carries the other person's sensitive data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from upward.matching import Participant
from upward.matching.explain import standing_words

STANDING = "standing"

# The difference criterion names the identity dimensions on which two people differ. That is
# derived from special-category data, so runs keep only how many dimensions differ.
_DIMENSION_NAMES = re.compile(r"\s*\([^()]*\)\s*$")
_SHARED_WORDS = re.compile(r"both mention (.+)$")


def note(text: str, *application_ids: int) -> dict[str, Any]:
    """A note on a run; ``{0}``, ``{1}``… stand for people, named only when shown (so that
    nothing stored names an erased person)."""
    return {"text": text, "people": list(application_ids)}


def note_text(item: Any, names: Mapping[int, str]) -> str:
    """A run's note in words, with the people's current names."""
    if isinstance(item, str):
        return item
    people = [names.get(a, "someone no longer in the programme") for a in item.get("people", [])]
    try:
        return str(item.get("text", "")).format(*people)
    except (IndexError, KeyError, ValueError):
        return str(item.get("text", ""))


def stored_criteria(explanation: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The engine's per-criterion explanation as kept with a proposed pair."""
    out = []
    for c in explanation.get("criteria", []):
        sentence = str(c.get("sentence", ""))
        if c.get("criterion") == "difference":
            sentence = _DIMENSION_NAMES.sub("", sentence)
        out.append(
            {
                "criterion": str(c.get("criterion", "")),
                "label": str(c.get("label", "")),
                "points": round(float(c.get("points", 0.0)), 2),
                "max_points": round(float(c.get("max_points", 0.0)), 2),
                "sentence": sentence,
            }
        )
    standing = explanation.get("standing")
    if standing is not None:
        # The score against the leader's other possible partners: it gives no points, it says
        # whether the points are many for this programme.
        out.append(
            {
                "criterion": STANDING,
                "label": "Against the other possible partners",
                "points": 0.0,
                "max_points": 0.0,
                "sentence": standing_words(float(standing)),
            }
        )
    return out


def standing_of(criteria: Iterable[Mapping[str, Any]]) -> str:
    """The stored sentence placing a pair's score against the leader's other possible partners."""
    return next((str(c["sentence"]) for c in criteria if c.get("criterion") == STANDING), "")


def summary(criteria: Iterable[Mapping[str, Any]], limit: int = 2) -> str:
    """The criteria that gave a pair most of its points, in one line."""
    top = sorted((c for c in criteria if c["points"] > 0), key=lambda c: -c["points"])[:limit]
    return "; ".join(c["sentence"] for c in top) or "no criterion scored"


def _names(items: Iterable[str]) -> str:
    ordered = sorted(items)
    if len(ordered) <= 1:
        return "".join(ordered)
    return ", ".join(ordered[:-1]) + " and " + ordered[-1]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def introduction(
    *, leader: Participant, mentor: Participant, criteria: Iterable[Mapping[str, Any]], side: str
) -> list[str]:
    """Why two people were matched, in words for one of them (``side``: who reads it).

    Built only from what both chose to share for matching: topics, what they wrote, when they
    are free, the mentor's culture-change work and, in words only, how their working styles
    fit. Never identity data, never anything the
    other person asked to keep out of the conversation.
    """
    lines: list[str] = []
    by = {c["criterion"]: c for c in criteria}
    shared = leader.topics_sought & mentor.topics_offered
    if shared:
        if side == "leader":
            lines.append(
                f"Your mentor is ready to talk about {_plural(len(shared), 'topic')} you want to "
                f"understand better: {_names(shared)}."
            )
        else:
            lines.append(
                f"Your leader wants to understand {_plural(len(shared), 'topic')} you offered to "
                f"talk about: {_names(shared)}."
            )
    text = by.get("text")
    found = _SHARED_WORDS.search(str(text["sentence"])) if text and text["points"] > 0 else None
    if found:
        lines.append(f"What you each wrote has themes in common ({found.group(1)}).")
    if leader.availability is not None and mentor.availability is not None:
        hours = len(leader.availability & mentor.availability)
        if hours:
            lines.append(
                f"You are both usually free for about {_plural(hours, 'hour')} a week at the "
                "same time."
            )
    if side == "leader" and mentor.culture_change:
        lines.append("Your mentor has taken part in work to change the culture here.")
    gap = by.get("seniority")
    if gap and gap["points"] > 0:
        lines.append(
            "You work at quite different levels of the organisation, which is what reverse "
            "mentoring is for: each of you sees what the other cannot."
        )
    style = by.get("working_style")
    said = str(style["sentence"]) if style and style["points"] > 0 else ""
    if said.startswith(("you both", "one of you")):
        # Words from both people's working-style answers, never their scores.
        lines.append(f"How your working styles fit: {said}.")
    if not lines:
        lines.append(
            "The coordinator matched you as the best fit available under the programme's rules."
        )
    return lines
