"""What the matching engine receives: participants built from the programme's selectors (only
consented identity data), the programme's policy in the engine's terms, the organisations'
reporting lines, and each mentor's remaining capacity across programmes.

Participants are identified by their directory person id, so that the organisations' reporting
lines (keyed by person) can be handed to the engine whole.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import timezone

from upward.directory import selectors as directory_selectors
from upward.directory.models import Organisation
from upward.matching import HardRules, MatchingPolicy, OrgTree, Participant, Weights
from upward.matching.errors import PolicyError
from upward.matching.model import weekly_slots
from upward.programmes import selectors as programme_selectors
from upward.programmes.models import Cohort, Programme, Side
from upward.programmes.policy import CRITERIA_KEYS, policy_of

from .errors import MatchRuleBroken
from .models import Proposal

# The availability grid of the application forms: local days and parts of the day.
DAY_INDEX = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
PERIOD_HOURS = {"morning": (9, 12), "lunch": (12, 14), "afternoon": (14, 17), "evening": (17, 19)}
# A shared time slot of the grid is at least two hours (lunch, early evening).
HOURS_PER_SLOT = 2
NOT_YET = "not yet"
LIVE = (Proposal.Status.PENDING, Proposal.Status.CONFIRMED)

WEIGHT_LABELS = {
    "topics": "Topics sought and offered",
    "objectives": "Fit with the programme's objectives",
    "text": "What they wrote",
    "seniority_gap": "Seniority gap",
    "difference": "Difference the programme seeks",
    "availability": "Common availability",
    "culture_history": "Mentor's culture-change work",
    "preferences": "Stated preferences",
    "working_style": "Working style",
}


@dataclass
class EngineInput:
    """Everything one run needs, read from the database in a fixed number of queries."""

    programme: Programme
    cohort: Cohort | None
    settings: dict[str, Any]
    policy: MatchingPolicy
    leaders: list[Participant]
    mentors: list[Participant]
    tree: OrgTree
    application_of: dict[int, int]  # person id -> application id
    person_of: dict[int, int]  # application id -> person id
    side_of: dict[int, str]  # application id -> side
    capacity: dict[int, int]  # mentor application id -> places free for this run
    capacity_notes: dict[int, str]  # mentor application id -> why fewer places
    fingerprint: str
    notes: list[str] = field(default_factory=list)

    def participant_ids(self, application_ids: Iterable[int]) -> list[int]:
        return [self.person_of[a] for a in application_ids]


# --- policy -----------------------------------------------------------------------------------


def clean_weights(weights: Mapping[str, Any] | None) -> dict[str, int] | None:
    """Weights from a form or the API: whole numbers 0 to 5 for known criteria, or an error."""
    if weights is None:
        return None
    unknown = sorted(set(weights) - set(CRITERIA_KEYS))
    if unknown:
        raise MatchRuleBroken(
            f"Unknown criterion: {', '.join(unknown)}. Use {', '.join(CRITERIA_KEYS)}."
        )
    out: dict[str, int] = {}
    for key, value in weights.items():
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 5:
            raise MatchRuleBroken(f"The weight of {WEIGHT_LABELS[key].lower()} must be 0 to 5.")
        out[key] = value
    return out


def run_settings(programme: Programme, weights: Mapping[str, int] | None = None) -> dict[str, Any]:
    """The programme's matching policy, with adjusted weights where given."""
    settings = policy_of(programme.matching_policy).as_json()
    if weights:
        settings["weights"] = {**settings["weights"], **weights}
    settings["difference_dimensions"] = list(programme.identity_dimensions or [])
    settings["weights_adjusted"] = bool(weights)
    if programme.kind == Programme.Kind.RECIPROCAL:
        settings["reciprocal"] = True
    return settings


def engine_policy(settings: Mapping[str, Any]) -> tuple[MatchingPolicy, list[str]]:
    """The engine's policy for a run's settings, and notes on how the settings were applied."""
    w = {key: int(settings.get("weights", {}).get(key, 0)) for key in CRITERIA_KEYS}
    notes = []
    if w["objectives"]:
        notes.append(
            "Fit with the programme's objectives is judged from what people wrote in answer to "
            "the objective questions, so its weight is added to 'what they wrote'."
        )
    if w["working_style"]:
        notes.append(
            "Working style counts only for people who answered the questionnaire and consented; "
            "pairs are explained in words, and nobody sees another person's scores."
        )
    if w["preferences"]:
        notes.append(
            "Stated preferences (such as how to meet) are shown to you but not scored: the "
            "application forms collect no named wishes for partners."
        )
    reciprocal = bool(settings.get("reciprocal"))
    if reciprocal and w["topics"]:
        notes.append(
            "This is a reciprocal programme: topics are weighed both ways, what the mentor "
            "offers of what the leader seeks and what the leader offers of what the mentor "
            "seeks, so a pair where only one of them can learn gets half the topic points at "
            "most."
        )
    gap = int(settings.get("min_grade_gap") or 0)
    slots = int(settings.get("min_availability_overlap") or 0)
    try:
        policy = MatchingPolicy(
            rules=HardRules(
                no_reporting_line=True,
                min_grade_gap=gap or None,
                ban_same_department=bool(settings.get("ban_same_department")),
                ban_same_organisation=bool(settings.get("ban_same_organisation")),
                require_shared_language=bool(settings.get("require_shared_language")),
                min_common_hours=float(HOURS_PER_SLOT * slots),
            ),
            weights=Weights(
                topics=0 if reciprocal else w["topics"],
                reciprocity=w["topics"] if reciprocal else 0,
                text=w["text"] + w["objectives"],
                objectives=0,
                seniority=w["seniority_gap"],
                difference=w["difference"],
                availability=w["availability"],
                culture_change=w["culture_history"],
                preferences=0,
                working_style=w["working_style"],
            ),
            complementary_traits=tuple(settings.get("complementary_traits") or ()),
            difference_dimensions=tuple(settings.get("difference_dimensions") or ()),
            method=settings.get("algorithm", "optimal"),
        )
    except PolicyError as exc:
        if "weight above zero" in str(exc):
            raise MatchRuleBroken(
                "Give at least one of topics, what they wrote, objectives, seniority gap, "
                "availability, culture-change work, working style or difference (with identity "
                "questions asked) a weight above zero: otherwise every pair would score the same."
            ) from None
        raise MatchRuleBroken(f"The matching policy cannot be used: {exc}.") from None
    return policy, notes


# --- participants -----------------------------------------------------------------------------


def _utc_offset(time_zone: str, when: dt.datetime, cache: dict[str, float]) -> float:
    if time_zone not in cache:
        try:
            delta = when.astimezone(ZoneInfo(time_zone)).utcoffset()
        except (ZoneInfoNotFoundError, ValueError):
            delta = None
        cache[time_zone] = delta.total_seconds() / 3600 if delta is not None else 0.0
    return cache[time_zone]


def utc_slots(
    codes: Iterable[str], utc_offset: float, cache: dict[tuple[str, float], frozenset[int]]
) -> frozenset[int] | None:
    """Hours of the week (UTC) covered by availability-grid codes in local time."""
    hours: set[int] = set()
    seen = False
    for code in codes:
        day, _, period = str(code).partition("_")
        if day not in DAY_INDEX or period not in PERIOD_HOURS:
            continue
        seen = True
        key = (code, utc_offset)
        if key not in cache:
            start, end = PERIOD_HOURS[period]
            cache[key] = weekly_slots(utc_offset, days=[DAY_INDEX[day]], start=start, end=end)
        hours |= cache[key]
    return frozenset(hours) if seen else None


def participant(
    profile: Mapping[str, Any],
    *,
    topic_names: Mapping[int, str],
    organisation_names: Mapping[int, str],
    capacity: int,
    offsets: dict[str, float],
    slots: dict[tuple[str, float], frozenset[int]],
    when: dt.datetime,
) -> Participant:
    """The engine's view of one applicant, from ``matching_profile``."""
    side = profile["side"]
    topics = {int(t) for t in profile.get("topics", [])}
    avoid = {int(t) for t in profile.get("topics_avoid", [])}
    names = frozenset(topic_names[t] for t in topics - avoid if t in topic_names)
    back_ids = {int(t) for t in profile.get("topics_back", [])} - avoid
    back = frozenset(topic_names[t] for t in back_ids if t in topic_names)
    text = "\n".join(str(t) for t in profile.get("text", []))
    offset = _utc_offset(profile.get("time_zone") or "UTC", when, offsets)
    culture = [c for c in profile.get("culture_history", []) if c.strip().lower() != NOT_YET]
    common: dict[str, Any] = {
        "organisation": organisation_names.get(profile["organisation_id"], ""),
        "department": profile.get("department", ""),
        "grade": int(profile.get("grade_level") or 0),
        "identity": dict(profile.get("identity", {})),
        "availability": utc_slots(profile.get("availability", []), offset, slots),
        "languages": frozenset(
            str(lang).strip().lower() for lang in profile.get("languages", []) if str(lang).strip()
        ),
        "working_style": dict(profile.get("working_style", {})),
    }
    if side == Side.LEADER:
        return Participant.leader(
            profile["person_id"],
            topics_sought=names,
            topics_offered=back,
            hopes_to_learn=text,
            **common,
        )
    return Participant.mentor(
        profile["person_id"],
        topics_offered=names,
        topics_sought=back,
        can_share=text,
        culture_change=len(culture),
        capacity=capacity,
        **common,
    )


# --- mentor load across programmes --------------------------------------------------------------


def live_elsewhere(
    programme: Programme, mentor_persons: Iterable[int], in_run: set[int]
) -> dict[int, int]:
    """Live proposals each mentor (by person) holds that this run will not keep as locked pairs:
    those of other programmes, and those of this programme with someone outside the run."""
    counts: dict[int, int] = {}
    rows = Proposal.objects.filter(
        status__in=LIVE, mentor__person_id__in=list(mentor_persons)
    ).values_list("mentor__person_id", "programme_id", "leader_id", "mentor_id")
    for person_id, programme_id, leader_id, mentor_id in rows:
        kept = programme_id == programme.pk and leader_id in in_run and mentor_id in in_run
        if not kept:
            counts[person_id] = counts.get(person_id, 0) + 1
    return counts


# --- the whole input ----------------------------------------------------------------------------


def load_input(
    programme: Programme,
    *,
    cohort: Cohort | None = None,
    settings: Mapping[str, Any] | None = None,
) -> EngineInput:
    """Read a run's input: accepted applicants (consented data only), policy, lines, capacity."""
    settings = dict(settings) if settings is not None else run_settings(programme)
    policy, notes = engine_policy(settings)
    profiles = programme_selectors.matching_input(programme, cohort=cohort)
    leaders_p = profiles[Side.LEADER]
    mentors_p = profiles[Side.MENTOR]
    everyone = [*leaders_p, *mentors_p]
    application_of = {p["person_id"]: p["application_id"] for p in everyone}
    person_of = {p["application_id"]: p["person_id"] for p in everyone}
    side_of = {p["application_id"]: p["side"] for p in everyone}
    in_run = set(person_of)

    org_ids = sorted(
        {o.pk for o in programme.organisations.all()} | {p["organisation_id"] for p in everyone}
    )
    organisations = dict(Organisation.objects.filter(pk__in=org_ids).values_list("pk", "name"))
    caps = dict(Organisation.objects.filter(pk__in=org_ids).values_list("pk", "mentor_load_cap"))
    manager_of = directory_selectors.manager_map(org_ids)
    tree = OrgTree.from_managers(cast(Mapping[Hashable, Hashable | None], manager_of))
    topic_names = dict(programme.topics.values_list("pk", "name"))

    elsewhere = live_elsewhere(programme, [p["person_id"] for p in mentors_p], in_run)
    capacity: dict[int, int] = {}
    capacity_notes: dict[int, str] = {}
    for p in mentors_p:
        stated = int(p.get("capacity") or 1)
        cap = caps.get(p["organisation_id"], stated)
        held = elsewhere.get(p["person_id"], 0)
        free = max(0, min(stated, cap) - held)
        capacity[p["application_id"]] = free
        if held:
            most = min(stated, cap)
            capacity_notes[p["application_id"]] = (
                f"already mentoring {held} leader{'s' if held != 1 else ''} elsewhere, and may "
                f"hold at most {most} at once"
            )

    when = timezone.now()
    offsets: dict[str, float] = {}
    slots: dict[tuple[str, float], frozenset[int]] = {}
    leaders = [
        participant(
            p,
            topic_names=topic_names,
            organisation_names=organisations,
            capacity=1,
            offsets=offsets,
            slots=slots,
            when=when,
        )
        for p in leaders_p
    ]
    mentors = [
        participant(
            p,
            topic_names=topic_names,
            organisation_names=organisations,
            capacity=capacity[p["application_id"]],
            offsets=offsets,
            slots=slots,
            when=when,
        )
        for p in mentors_p
    ]
    lines = sorted((k, v or 0) for k, v in manager_of.items())
    digest = hashlib.sha256()
    digest.update(
        json.dumps(
            {"people": sorted(everyone, key=lambda p: p["application_id"]), "capacity": capacity},
            sort_keys=True,
            default=str,
        ).encode()
    )
    digest.update(json.dumps(lines).encode())
    return EngineInput(
        programme=programme,
        cohort=cohort,
        settings=settings,
        policy=policy,
        leaders=leaders,
        mentors=mentors,
        tree=tree,
        application_of=application_of,
        person_of=person_of,
        side_of=side_of,
        capacity=capacity,
        capacity_notes=capacity_notes,
        fingerprint=digest.hexdigest(),
        notes=notes,
    )
