"""Ready-made training for a reverse-mentoring programme, in plain words.

Practitioners ask for preparation before anyone steps in: managing expectations, the
emotions on both sides, active listening, empathy, difficult conversations, and learning from
one person's story without generalising from it. Mentors and leaders prepare separately, then
together. Coordinators edit all of this for their programme.
"""

from __future__ import annotations

from typing import Any

from .models import Audience

# The checks are short: every answer must be right (a percentage, not a secret).
EVERY_ANSWER = 100

_STORY_CHECK = [
    (
        "Your mentor tells you about being talked over in meetings. What do you do with it?",
        [
            "Conclude that everyone like them has the same experience",
            "Ask what it was like for them, and look at what it says about your own meetings",
            "Tell them it probably was not meant that way",
        ],
        1,
    ),
    (
        "What stays inside the pair?",
        [
            "Nothing: you may repeat anything you hear",
            "Everything, even if someone is at risk of harm",
            "What you talk about, except when someone is at risk of harm",
        ],
        2,
    ),
]

TRACKS: list[dict[str, Any]] = [
    {
        "title": "Preparing to mentor a senior leader",
        "audience": Audience.MENTORS,
        "summary": "For junior colleagues who will mentor a leader: what to expect, how to "
        "share your experience safely, and how to step back if you need to.",
        "modules": [
            {
                "title": "What reverse mentoring is, and what it is not",
                "body": (
                    "In reverse mentoring **you are the mentor**. Your leader comes to learn "
                    "from your experience of the organisation: what it is like where you sit, "
                    "what gets in the way, what would help.\n\n"
                    "It is not a job interview, a complaint channel or sponsorship. You do not "
                    "have to represent anyone but yourself.\n\n"
                    "You gain too: a view of how decisions are made, a senior contact, and "
                    "practice in speaking up. Write down what you hope to gain; it goes into "
                    "your agreement."
                ),
            },
            {
                "title": "Sharing your story safely",
                "body": (
                    "Decide before each meeting what you are willing to share. You can say "
                    '*"I\'d rather not go into that"* at any time.\n\n'
                    "- Share what you have seen and felt, not what you think everyone feels.\n"
                    "- Keep other people's stories out unless they have agreed.\n"
                    "- If a conversation leaves you upset, talk to the coordinator or the "
                    "wellbeing lead. That is what they are there for."
                ),
            },
            {
                "title": "Managing expectations and stepping back",
                "body": (
                    "Agree early how often you meet and for how long, and what is off-limits.\n\n"
                    "Either of you can pause or end the mentoring without fault. Nothing about "
                    "stepping back is held against you, and you do not need to give a reason."
                ),
            },
        ],
    },
    {
        "title": "Preparing to be mentored by a junior colleague",
        "audience": Audience.LEADERS,
        "summary": "For senior leaders: how to listen, how to hold the power difference, and "
        "how to learn from one person's story without generalising from it.",
        "modules": [
            {
                "title": "Active listening",
                "body": (
                    "Your job in these meetings is mostly to listen.\n\n"
                    '- Ask open questions: *"What was that like?"*, *"What would have '
                    'helped?"*\n'
                    "- Reflect back what you heard before you respond.\n"
                    "- Resist fixing, explaining or defending. Notice when you want to.\n"
                    "- Leave silences: they are often where the real answer comes."
                ),
            },
            {
                "title": "Empathy and the power difference",
                "body": (
                    "You hold more power than your mentor, whatever you intend. They may worry "
                    "about what happens if they are honest.\n\n"
                    "- Say plainly that nothing said here will affect their pay, promotion or "
                    "workload, and keep to it.\n"
                    "- Thank them for difficult things; do not argue with their experience.\n"
                    "- Notice your own feelings (defensiveness, guilt) and take them away to "
                    "reflect on, rather than into the conversation."
                ),
            },
            {
                "title": "Learning from one person's story",
                "body": (
                    "Your mentor's story is *one* story. It is real and it matters, but it does "
                    "not tell you what everyone in a group experiences.\n\n"
                    "- Ask what it means for the people around you, then go and find out: ask "
                    "an employee network, look at the data, listen to others.\n"
                    "- Turn what you learn into something you will do differently, and tell "
                    "your mentor what you did."
                ),
                "pass_mark": EVERY_ANSWER,
                "questions": _STORY_CHECK,
            },
        ],
    },
    {
        "title": "Getting started together",
        "audience": Audience.EVERYONE,
        "summary": "For both of you: difficult conversations, confidentiality, and your "
        "mentoring agreement.",
        "modules": [
            {
                "title": "Difficult conversations",
                "body": (
                    "Some conversations will be uncomfortable. That is often where the learning "
                    "is.\n\n"
                    '- Agree how you will say *"this is hard for me"* and what you will do '
                    "then: slow down, take a break, or come back to it next time.\n"
                    '- Speak from your own experience (*"I felt…"*), not about the other '
                    "person's motives.\n"
                    "- If something goes wrong between you, either of you can talk to the "
                    "coordinator in confidence."
                ),
            },
            {
                "title": "Confidentiality and your agreement",
                "body": (
                    "What you say stays between the two of you. The one exception is safety: "
                    "if someone is at risk of harm, or there is serious wrongdoing, you tell the "
                    "coordinator or the wellbeing lead.\n\n"
                    "Before your pair becomes active you both sign a short agreement: the "
                    "topics you will cover, how often you meet, what is off-limits, what each "
                    "of you hopes to gain, and how either of you can pause or end it."
                ),
                "pass_mark": EVERY_ANSWER,
                "questions": _STORY_CHECK[1:],
            },
        ],
    },
]
