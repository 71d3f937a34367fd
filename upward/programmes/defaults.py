"""What a new programme starts with: the readiness checklist, a topic taxonomy, application
forms that follow its objectives, eligibility rules and a twelve-month schedule."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.db.models import Count

from upward.directory.models import Person

from .models import (
    ApplicationForm,
    Challenge,
    EligibilityRule,
    PhaseWindow,
    Programme,
    Question,
    ReadinessItem,
    Side,
    Topic,
)

READINESS_ITEMS: tuple[tuple[str, str, str], ...] = (
    (
        ReadinessItem.Key.DEIB_PLAN,
        "DEIB plan in place",
        "The organisation has a defined diversity, equity, inclusion and belonging plan, and "
        "continues to invest in DEIB training. Without it, the programme has nothing to build on.",
    ),
    (
        ReadinessItem.Key.LEADERSHIP,
        "Leadership briefed and committed",
        "Leaders know what they are signing up to: the time, the expectations of them as a group "
        "and as individuals, and that they come as learners.",
    ),
    (
        ReadinessItem.Key.TIME,
        "Time allowance agreed",
        "Participants, mentors especially, have agreed time to take part, recognised by their "
        "managers, so the programme is not squeezed into evenings.",
    ),
    (
        ReadinessItem.Key.SAFETY_BASELINE,
        "Psychological-safety baseline measured",
        "A pulse survey or existing engagement data gives a baseline of how safe people feel to "
        "speak up, to compare with at the end.",
    ),
    (
        ReadinessItem.Key.SUPPORT,
        "Support resources in place",
        "Mentors and leaders can reach wellbeing support, and know how to raise a concern in "
        "confidence.",
    ),
    (
        ReadinessItem.Key.COORDINATOR,
        "Independent coordinator named",
        "Someone outside the participants' reporting lines matches the pairs, is the point of "
        "contact when things go wrong, and runs the check-ins.",
    ),
)

TOPICS: tuple[tuple[str, str], ...] = (
    ("Race and ethnicity at work", ""),
    ("Disability and accessibility", ""),
    ("Gender equity", ""),
    ("LGBTQ+ inclusion", ""),
    ("Social mobility and class", ""),
    ("Neurodiversity", ""),
    ("Faith and belief at work", ""),
    ("Generational perspectives", "How different generations experience work"),
    ("Being early in your career", ""),
    ("Mental health and wellbeing", ""),
    ("Caring responsibilities and flexible work", ""),
    ("Speaking up and psychological safety", ""),
    ("Digital tools and social media", ""),
    ("How decisions feel from the front line", ""),
)

# For each objective: (question for leaders, question for mentors).
OBJECTIVE_QUESTIONS: dict[str, tuple[str, str]] = {
    Challenge.INCLUSIVE_LEADERSHIP: (
        "Describe a recent decision where you were unsure whether everyone affected had a voice.",
        "What could a leader do that would make you feel more included?",
    ),
    Challenge.CROSS_GENERATIONAL: (
        "What do you find hardest about working with colleagues from a different generation?",
        "What do you wish senior colleagues understood about how your generation experiences work?",
    ),
    Challenge.HIERARCHY: (
        "Where do you think hierarchy stops good ideas from reaching you?",
        "Have you had an idea that did not reach the people who could act on it? What happened?",
    ),
    Challenge.BELONGING: (
        "When have you seen someone in your area feel they did not belong? What did you do?",
        "What helps you feel you belong here, and what gets in the way?",
    ),
    Challenge.TRUST: (
        "What do you think people here would say about trusting their leaders?",
        "What would make you trust the leaders here more?",
    ),
    Challenge.LIVED_EXPERIENCE: (
        "Whose experience of working here do you think you understand least?",
        "What part of your experience at work do you think leaders understand least?",
    ),
    Challenge.PSYCHOLOGICAL_SAFETY: (
        "How do you know whether people in your team feel safe to disagree with you?",
        "When did you last hold back from saying something at work? What would have made it "
        "easier?",
    ),
    Challenge.TALENT: (
        "Why do you think talented people from under-represented groups leave?",
        "What would make you more likely to stay and grow here?",
    ),
    Challenge.DIGITAL: (
        "Which new tools or ways of working would you like to understand better?",
        "Which tools or ways of working could you show a senior leader?",
    ),
}

CADENCE_WORDS: dict[str, str] = {
    Programme.Cadence.WEEKLY: "every week",
    Programme.Cadence.FORTNIGHTLY: "every two weeks",
    Programme.Cadence.MONTHLY: "every month",
    Programme.Cadence.SIX_WEEKLY: "every six weeks",
}

PHASE_MONTHS: tuple[tuple[str, int], ...] = (
    (Programme.Phase.READINESS, 1),
    (Programme.Phase.SOURCING, 1),
    (Programme.Phase.MATCHING, 1),
    (Programme.Phase.PREPARATION, 1),
    (Programme.Phase.RUNNING, 3),
    (Programme.Phase.MIDPOINT, 3),
    (Programme.Phase.CLOSE, 1),
    (Programme.Phase.CELEBRATION, 1),
)
DEFAULT_LENGTH_MONTHS = sum(months for _, months in PHASE_MONTHS)


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def schedule_for(
    starts_on: dt.date, length_months: int = DEFAULT_LENGTH_MONTHS
) -> list[tuple[str, dt.date, dt.date]]:
    """Phase windows spread over the programme's length, in proportion to the default plan."""
    windows = []
    elapsed = 0.0
    scale = length_months / DEFAULT_LENGTH_MONTHS
    end_of_programme = add_months(starts_on, length_months) - dt.timedelta(days=1)
    for index, (phase, months) in enumerate(PHASE_MONTHS):
        start = _month_fraction(starts_on, elapsed)
        elapsed += months * scale
        if index == len(PHASE_MONTHS) - 1:
            end = end_of_programme
        else:
            end = max(start, _month_fraction(starts_on, elapsed) - dt.timedelta(days=1))
        windows.append((phase, start, end))
    return windows


def _month_fraction(start: dt.date, months: float) -> dt.date:
    whole = int(months)
    day = add_months(start, whole)
    return day + dt.timedelta(days=round((months - whole) * 30))


def programme_months(programme: Programme) -> int:
    """The programme's length in whole months (twelve when its dates are not set)."""
    if programme.starts_on is None or programme.ends_on is None:
        return DEFAULT_LENGTH_MONTHS
    return max(1, round((programme.ends_on - programme.starts_on).days / 30.44))


LEADER_SHARE = 0.05


def default_eligibility(programme: Programme) -> dict[str, dict[str, Any]]:
    """Leaders from the most senior grades (about the top 5% of people), mentors from the
    lower half of the grades and below the leaders."""
    rows = (
        Person.objects.filter(organisation__in=programme.organisations.all(), active=True)
        .values("grade_level")
        .annotate(n=Count("id"))
        .order_by("-grade_level")
    )
    counts = [(row["grade_level"], row["n"]) for row in rows]
    if len(counts) < 2:
        return {Side.LEADER: {}, Side.MENTOR: {}}
    total = sum(n for _, n in counts)
    leader_min = counts[0][0]
    running = 0
    for level, n in counts:
        running += n
        if running > total * LEADER_SHARE:
            break
        leader_min = level
    top, bottom = counts[0][0], counts[-1][0]
    mentor_max = min((top + bottom) // 2, leader_min - 1)
    return {
        Side.LEADER: {"grade_min": leader_min},
        Side.MENTOR: {"grade_max": mentor_max} if mentor_max >= bottom else {},
    }


def seed_readiness(programme: Programme) -> None:
    for order, (key, title, description) in enumerate(READINESS_ITEMS):
        ReadinessItem.objects.get_or_create(
            programme=programme,
            key=key,
            defaults={"title": title, "description": description, "order": order},
        )


def seed_topics(programme: Programme) -> None:
    for order, (name, description) in enumerate(TOPICS):
        Topic.objects.get_or_create(
            programme=programme, name=name, defaults={"description": description, "order": order}
        )


def seed_eligibility(programme: Programme) -> None:
    for side, values in default_eligibility(programme).items():
        EligibilityRule.objects.get_or_create(programme=programme, side=side, defaults=values)


def seed_schedule(programme: Programme, length_months: int = DEFAULT_LENGTH_MONTHS) -> None:
    if programme.starts_on is None:
        return
    for phase, start, end in schedule_for(programme.starts_on, length_months):
        PhaseWindow.objects.update_or_create(
            programme=programme, phase=phase, defaults={"starts_on": start, "ends_on": end}
        )


def _objective_questions(programme: Programme, side: str) -> list[dict[str, Any]]:
    questions = []
    for objective in programme.objectives.all():
        if objective.challenge == Challenge.OTHER:
            focus = objective.title
            text = f"The programme aims to address: “{focus}”. How does this show up in your work?"
        else:
            leader_q, mentor_q = OBJECTIVE_QUESTIONS[objective.challenge]
            text = leader_q if side == Side.LEADER else mentor_q
        questions.append(
            {
                "kind": Question.Kind.LONG_TEXT,
                "label": text,
                "help_text": f"This programme's objective: {objective.title.lower()}.",
                "use": Question.Use.TEXT,
            }
        )
    return questions


def default_questions(programme: Programme, side: str) -> list[dict[str, Any]]:
    """The questions a new form starts with, following the programme's objectives."""
    months = programme_months(programme)
    cadence = CADENCE_WORDS.get(programme.meeting_cadence, "regularly")
    availability = {
        "kind": Question.Kind.AVAILABILITY,
        "label": "When could you usually meet?",
        "help_text": "Tick every time that usually works, in your own time zone.",
        "required": True,
        "use": Question.Use.AVAILABILITY,
    }
    meeting = {
        "kind": Question.Kind.SINGLE_CHOICE,
        "label": "How would you prefer to meet?",
        "choices": ["In person", "Video call", "Either is fine"],
        "use": Question.Use.PREFERENCE,
    }
    if side == Side.LEADER:
        return [
            {
                "kind": Question.Kind.ACKNOWLEDGEMENT,
                "label": (
                    f"I will give about {programme.hours_per_month} hours a month for {months} "
                    f"months: meeting my mentor {cadence} for about "
                    f"{programme.meeting_minutes} minutes, plus training and group sessions."
                ),
                "required": True,
            },
            {
                "kind": Question.Kind.ACKNOWLEDGEMENT,
                "label": (
                    "I will keep what my mentor shares confidential, unless they agree "
                    "otherwise or someone is at risk of harm."
                ),
                "required": True,
            },
            {
                "kind": Question.Kind.ACKNOWLEDGEMENT,
                "label": (
                    "I will come as a learner: in our conversations my mentor's experience is "
                    "the expertise, not my seniority."
                ),
                "required": True,
            },
            {
                "kind": Question.Kind.TOPICS,
                "label": "Which topics do you most want to understand better?",
                "help_text": "Choose up to five. Your mentor will be someone who can speak to "
                "them.",
                "required": True,
                "max_choices": 5,
                "use": Question.Use.TOPICS,
            },
            {
                "kind": Question.Kind.LONG_TEXT,
                "label": "What do you hope to learn, and what would you like to do differently "
                "as a result?",
                "required": True,
                "use": Question.Use.TEXT,
            },
            *_objective_questions(programme, side),
            {
                "kind": Question.Kind.SCALE,
                "label": "How comfortable are you hearing difficult feedback about your own "
                "leadership?",
                "min_value": 1,
                "max_value": 5,
                "min_label": "Not yet comfortable",
                "max_label": "Very comfortable",
                "required": True,
            },
            availability,
            meeting,
        ]
    return [
        {
            "kind": Question.Kind.TOPICS,
            "label": "Which topics would you be willing to talk about from your own experience?",
            "help_text": "Choose as many as you like. You decide how much to share about each.",
            "required": True,
            "use": Question.Use.TOPICS,
        },
        {
            "kind": Question.Kind.TOPICS,
            "label": "Are there topics you would rather not talk about?",
            "help_text": (
                "Your leader will not see this. It only keeps these topics out of your match."
            ),
            "use": Question.Use.TOPICS_AVOID,
            "sensitive": True,
        },
        {
            "kind": Question.Kind.LONG_TEXT,
            "label": "What would you like a senior leader to understand from your experience?",
            "required": True,
            "use": Question.Use.TEXT,
        },
        {
            "kind": Question.Kind.LONG_TEXT,
            "label": "Is there anything you are not willing to share, or that the coordinator "
            "should know?",
            "help_text": "Only the coordinator can see this, and only when they need to.",
            "sensitive": True,
        },
        {
            "kind": Question.Kind.MULTIPLE_CHOICE,
            "label": "Have you taken part in any work to change the culture here?",
            "choices": [
                "An employee network or resource group",
                "A diversity, equity and inclusion initiative",
                "A wellbeing or mental health initiative",
                "Mentoring or buddying",
                "A staff forum or representative role",
                "Not yet",
            ],
            "use": Question.Use.CULTURE_HISTORY,
        },
        {
            "kind": Question.Kind.LONG_TEXT,
            "label": "Tell us about that work: what you did and what changed.",
        },
        {
            "kind": Question.Kind.LONG_TEXT,
            "label": "What do you want to get from the programme yourself?",
            "help_text": "Reverse mentoring should be worth your time too: skills, visibility, "
            "a network, an understanding of how decisions are made…",
            "required": True,
        },
        *_objective_questions(programme, side),
        {
            "kind": Question.Kind.SCALE,
            "label": "How confident do you feel about speaking candidly with a senior leader?",
            "min_value": 1,
            "max_value": 5,
            "min_label": "Not yet confident",
            "max_label": "Very confident",
            "help_text": "There is no wrong answer: training before you meet helps with this.",
        },
        {
            "kind": Question.Kind.SINGLE_CHOICE,
            "label": "How many leaders could you mentor at the same time?",
            "choices": ["1", "2"],
            "required": True,
            "use": Question.Use.CAPACITY,
        },
        availability,
        meeting,
        {
            "kind": Question.Kind.ACKNOWLEDGEMENT,
            "label": (
                f"I understand that mentoring takes about {programme.hours_per_month} hours a "
                "month, that I can pause or leave at any time without any penalty, and that I "
                "can talk to the coordinator or a wellbeing lead in confidence."
            ),
            "required": True,
        },
        {
            "kind": Question.Kind.ACKNOWLEDGEMENT,
            "label": (
                "I will keep what my leader shares confidential, unless they agree otherwise "
                "or someone is at risk of harm."
            ),
            "required": True,
        },
    ]


def build_default_form(programme: Programme, side: str) -> ApplicationForm:
    """(Re)build one side's form from the defaults. The caller checks nobody has applied."""
    form, _ = ApplicationForm.objects.get_or_create(programme=programme, side=side)
    form.questions.all().delete()
    for order, spec in enumerate(default_questions(programme, side)):
        Question.objects.create(form=form, order=order, **spec)
    if form.customised:
        form.customised = False
        form.save(update_fields=["customised", "updated_at"])
    return form


def seed_programme(programme: Programme) -> None:
    """Give an existing programme everything a new one starts with (idempotent)."""
    seed_readiness(programme)
    seed_topics(programme)
    seed_eligibility(programme)
    seed_schedule(programme)
    for side in (Side.LEADER, Side.MENTOR):
        if not ApplicationForm.objects.filter(programme=programme, side=side).exists():
            build_default_form(programme, side)
