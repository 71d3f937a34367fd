"""A context for every event of the catalogue, with the words its email must say."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace as NS
from typing import Any

PROGRAMME = NS(name="Bridges", description="", hours_per_month=2, slug="bridges")
WHEN = dt.datetime(2027, 3, 3, 10, 0, tzinfo=dt.UTC)
CONCERN = NS(get_about_display="My wellbeing", programme=PROGRAMME, due_at=WHEN, anonymous=True)
URL = "https://upward.example/somewhere/"

# event -> (context, the words its email must hold)
SAMPLES: dict[str, tuple[dict[str, Any], str]] = {
    "account_appointed": (
        {
            "name": "Ada",
            "role": "coordinator",
            "scope": "Northwind",
            "what": "You run programmes.",
            "needs_password": True,
            "base_url": "https://upward.example",
        },
        "You are now coordinator for Northwind in Upward.",
    ),
    "invitation": (
        {
            "person": NS(name="Ada"),
            "programme": PROGRAMME,
            "wave": NS(message=""),
            "link": URL,
            "reminder": False,
            "leader": True,
            "deadline": None,
        },
        "You are invited to take part in Bridges as a leader.",
    ),
    "proposal": (
        {"kind": "confirmed", "programme": PROGRAMME, "name": "Ada", "partner": NS(name="Ben")},
        "your mentoring match with Ben in Bridges is confirmed",
    ),
    "rematch": ({"name": "Ada"}, "Not every pairing fits, and that is nobody's fault."),
    "pair_active": (
        {"name": "Ada", "partner": "Ben", "pair": NS(programme=PROGRAMME), "url": URL},
        "so your mentoring in Bridges can begin",
    ),
    "pair_step": (
        {"pair": NS(programme=PROGRAMME), "words": "has ended"},
        "Your mentoring relationship in Bridges has ended.",
    ),
    "commitment_adopted": (
        {
            "commitment": NS(
                change="Open hiring panels",
                measure="Panels with a junior member",
                baseline=0,
                target=5,
                due_on=dt.date(2027, 6, 30),
            )
        },
        "What will change: Open hiring panels",
    ),
    "nomination_asked": (
        {
            "leader": "Ada",
            "kind": "a board seat",
            "nomination": NS(title="Strategy board", description="Two meetings a year."),
            "answer_days": 14,
        },
        "Ada would like to put you forward for a board seat: Strategy board.",
    ),
    "nomination_agreed": (
        {"mentor": "Ben", "nomination": NS(title="Strategy board")},
        "Ben agreed to be put forward for Strategy board.",
    ),
    "programme_closed": (
        {"programme": PROGRAMME, "name": "Ada", "partner": "Ben"},
        "Bridges has now closed, and with it your mentoring partnership with Ben.",
    ),
    "meeting": (
        {"name": "Ada", "kind": "moved", "when": "3 March 2027, 10:00"},
        "Your mentoring meeting has moved to 3 March 2027, 10:00.",
    ),
    "workshop": (
        {
            "kind": "booked",
            "workshop": NS(title="Listening well", minutes=90, place="Room 4", video_url=""),
            "local_start": WHEN,
            "zone": "UTC",
        },
        'You have a place at "Listening well".',
    ),
    "training_reminder": (
        {"person": NS(name="Ada", done=1, of=3), "programme": PROGRAMME, "url": URL},
        "you have finished 1 of the 3 training modules for Bridges",
    ),
    "nudge": (
        {"name": "Ada", "reasons": ["A check-in is waiting for your answer."]},
        "A check-in is waiting for your answer.",
    ),
    "survey_reminder": (
        {"campaign": NS(programme=PROGRAMME, closes_on=dt.date(2027, 4, 1))},
        "Bridges asks for your view in a short survey, open until 01 April 2027.",
    ),
    "cohort_post": (
        {"name": "Ada", "line": f"There is a new post in the cohort space of Bridges: {URL}"},
        "There is a new post in the cohort space of Bridges",
    ),
    "cohort_reply": (
        {"name": "Ada", "line": f"Someone replied to your post in the cohort space: {URL}"},
        "Someone replied to your post",
    ),
    "cohort_message": (
        {"name": "Ada", "line": f"You have a new message from your partner in Bridges: {URL}"},
        "You have a new message from your partner",
    ),
    "concern_routed": (
        {"concern": CONCERN, "who": "someone who asked to stay anonymous"},
        "raised in Bridges by someone who asked to stay anonymous, and it was routed to you.",
    ),
    "concern_message": (
        {"concern": CONCERN},
        "There is a new message on a concern in Bridges.",
    ),
    "concern_overdue": (
        {"concern": CONCERN, "who": "someone who asked to stay anonymous"},
        "has had no answer since it was due on 3 March 2027 10:00",
    ),
    "safeguarding_alert": (
        {"campaign": NS(title="Spring pulse")},
        "A comment in the survey 'Spring pulse' uses words on the safeguarding list.",
    ),
    "exit_reason": (
        {"pair": NS(pk=7, programme=PROGRAMME), "action": "pause", "reason": "Workload"},
        "Pair 7 in Bridges was paused by one of its people",
    ),
    "directory_flags": (
        {"programme_name": "Bridges", "messages": ["Ada Lovelace left."], "url": URL},
        "The HR system's latest directory file changes people in Bridges.",
    ),
    "hris_file": (
        {
            "refused": True,
            "sync": NS(filename="hr.csv"),
            "problems": 2,
            "counts": {},
            "url": URL,
        },
        "The file hr.csv has 2 problem(s), so nothing in the directory changed.",
    ),
}
