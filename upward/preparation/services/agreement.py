"""The mentoring agreement: drafted when the pair forms, edited by both, signed by both.

A draft nobody has signed is edited in place. A change once anyone has signed makes a new
version that both sign again; older versions stay readable. Every edit and signature checks
the current version's ``revision`` (409 on a stale write).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import transaction
from django.utils import timezone

from upward.pairs.models import Pair
from upward.programmes import selectors as programme_selectors
from upward.programmes.models import Programme

from ..errors import PreparationRuleBroken, VersionConflict
from ..models import Agreement
from .activation import pairs_activate_ready

EDITABLE = (
    "topics",
    "cadence",
    "meeting_minutes",
    "meeting_format",
    "confidentiality",
    "boundaries",
    "leader_gains",
    "mentor_gains",
    "pause_and_end",
    "first_review_on",
    "final_review_on",
)

CONFIDENTIALITY = (
    "What we say in our conversations stays between the two of us. We may share what we "
    "learned in general terms, without names or details that would let anyone be recognised.\n\n"
    "The one exception is safety. If either of us hears that someone is at risk of harm, or "
    "about serious wrongdoing, we will tell the programme coordinator or the wellbeing lead. "
    "Where it is safe to, we will tell the other person first."
)
PAUSE_AND_END = (
    "Either of us can pause or end this mentoring at any time, without giving a reason and "
    "without fault. We tell the other person, or the coordinator if that is easier, and the "
    "coordinator helps us close well. Stepping back is never held against either of us."
)
POWER = (
    "Neither of us uses anything said in these conversations in a decision about the other's "
    "pay, promotion, performance or workload."
)


def _topic_lines(pair: Pair) -> tuple[str, str]:
    names = dict(pair.programme.topics.values_list("pk", "name"))
    sought = programme_selectors.matching_profile(pair.leader)
    offered = programme_selectors.matching_profile(pair.mentor)
    a = [names[int(t)] for t in sought.get("topics", []) if int(t) in names]
    b = [names[int(t)] for t in offered.get("topics", []) if int(t) in names]
    avoid = sorted(
        {
            names[int(t)]
            for t in [*sought.get("topics_avoid", []), *offered.get("topics_avoid", [])]
            if int(t) in names
        }
    )
    shared = [t for t in a if t in b]
    rest = [t for t in [*a, *b] if t not in shared]
    topics = list(dict.fromkeys([*shared, *rest]))
    topic_text = "\n".join(f"- {t}" for t in topics) or "- (write the topics you agree on)"
    boundaries = POWER
    if avoid:
        boundaries = "We keep these topics out of our conversations: " + ", ".join(avoid) + ".\n\n"
        boundaries += POWER
    return topic_text, boundaries


def agreement_start_for(pair: Pair) -> Agreement:
    """The first draft, pre-filled from both applications and the programme's set-up."""
    existing = Agreement.objects.filter(pair=pair).order_by("-number").first()
    if existing is not None:
        return existing
    programme = pair.programme
    topics, boundaries = _topic_lines(pair)
    since = pair.since.date()
    final = programme.ends_on or since + dt.timedelta(days=365)
    return Agreement.objects.create(
        pair=pair,
        number=1,
        topics=topics,
        cadence=programme.meeting_cadence,
        meeting_minutes=programme.meeting_minutes,
        confidentiality=CONFIDENTIALITY,
        boundaries=boundaries,
        pause_and_end=PAUSE_AND_END,
        first_review_on=since + dt.timedelta(days=91),
        final_review_on=final,
    )


def _current(pair: Pair, revision: int | None) -> Agreement:
    current = Agreement.objects.select_for_update().filter(pair=pair).order_by("-number").first()
    if current is None:
        current = agreement_start_for(pair)
    if revision is None:
        raise PreparationRuleBroken(
            "Reload the page: the version of the agreement you saw is missing."
        )
    if current.revision != revision:
        raise VersionConflict("agreement", current.revision)
    return current


def _member_side(pair: Pair, user: Any) -> str:
    side = pair.side_of(user)
    if side is None:
        raise PreparationRuleBroken("Only the two people of the pair can change or sign it.")
    if not pair.live:
        raise PreparationRuleBroken(
            "This pair has finished, so its agreement can no longer change."
        )
    return side


def agreement_edit(
    *, pair: Pair, by: Any, revision: int | None, changes: dict[str, Any]
) -> Agreement:
    """Change the agreement. Once anyone has signed, the change makes a new version and both
    signatures are needed again."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise PreparationRuleBroken(f"These parts cannot be changed: {', '.join(sorted(unknown))}.")
    if "cadence" in changes and changes["cadence"] not in Programme.Cadence.values:
        raise PreparationRuleBroken("Choose how often you meet from the list.")
    if "meeting_format" in changes and changes["meeting_format"] not in Agreement.Format.values:
        raise PreparationRuleBroken("Choose how you meet from the list.")
    minutes = changes.get("meeting_minutes")
    if minutes is not None and not 15 <= int(minutes) <= 240:
        raise PreparationRuleBroken("Meetings last between 15 and 240 minutes.")
    for required in ("topics", "confidentiality", "pause_and_end"):
        if required in changes and not str(changes[required]).strip():
            raise PreparationRuleBroken(f"The {required.replace('_', ' ')} part cannot be empty.")
    first, final = changes.get("first_review_on"), changes.get("final_review_on")
    with transaction.atomic():
        pair = (
            Pair.objects.select_for_update()
            .select_related("programme", "leader__person", "mentor__person")
            .get(pk=pair.pk)
        )
        _member_side(pair, by)
        current = _current(pair, revision)
        first = first if "first_review_on" in changes else current.first_review_on
        final = final if "final_review_on" in changes else current.final_review_on
        if first and final and final < first:
            raise PreparationRuleBroken("The final review comes after the first review.")
        changed = {k: v for k, v in changes.items() if getattr(current, k) != v}
        if not changed:
            raise PreparationRuleBroken("Nothing was changed.")
        if current.signed_by_anyone:
            values = {f: getattr(current, f) for f in EDITABLE} | changed
            return Agreement.objects.create(
                pair=pair,
                number=current.number + 1,
                revision=current.revision + 1,
                updated_by=by,
                **values,
            )
        for key, value in changed.items():
            setattr(current, key, value)
        current.revision += 1
        current.updated_by = by
        current.save(update_fields=[*changed, "revision", "updated_by", "updated_at"])
    return current


def _same_name(typed: str, name: str) -> bool:
    def norm(text: str) -> str:
        return re.sub(r"\s+", " ", text).strip().casefold()

    return bool(norm(typed)) and norm(typed) == norm(name)


def agreement_sign(
    *, pair: Pair, user: Any, number: int, revision: int | None, typed_name: str
) -> Agreement:
    """Sign the current version by typing one's full name; the time is recorded."""
    with transaction.atomic():
        pair = (
            Pair.objects.select_for_update()
            .select_related("programme", "leader__person", "mentor__person")
            .get(pk=pair.pk)
        )
        side = _member_side(pair, user)
        latest = Agreement.objects.filter(pair=pair).order_by("-number").first()
        if latest is not None and number != latest.number:
            raise PreparationRuleBroken(
                f"You tried to sign version {number}, but the agreement has changed since: it is "
                f"now at version {latest.number}. Read the latest version and sign that."
            )
        current = _current(pair, revision)
        if getattr(current, f"{side}_signed_at"):
            raise PreparationRuleBroken("You have already signed this version.")
        if not current.leader_gains.strip() or not current.mentor_gains.strip():
            raise PreparationRuleBroken(
                "Write what each of you hopes to gain before signing: both sides gain, and the "
                "agreement says how."
            )
        name = (pair.leader if side == "leader" else pair.mentor).person.name
        if not _same_name(typed_name, name):
            raise PreparationRuleBroken(f"To sign, type your full name as it is shown: {name}.")
        setattr(current, f"{side}_signed_name", typed_name.strip()[:200])
        setattr(current, f"{side}_signed_at", timezone.now())
        current.revision += 1
        current.save(update_fields=[f"{side}_signed_name", f"{side}_signed_at", "revision"])
        pairs_activate_ready(pairs=[pair], by=None)
    return current
