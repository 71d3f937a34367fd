"""The demo's words: free-text answers written the way people write them (different lengths,
different openings, some careful, some quick, never the same sentence for every question), and
the readiness evidence and interviews a coordinator records.

Each answer is put together from a few fragments chosen with the demo's seeded random number
generator, so the demo is the same every time it is seeded and no two people sound alike.
"""

from __future__ import annotations

import random

from .models import ReadinessItem, Side

# What leaders hope to learn (the matching text on the leader's side).
LEADER_HOPES = (
    "why colleagues from under-represented groups leave us within two years",
    "what a normal working day feels like for a graduate in my directorate",
    "how our hybrid working policy lands with people early in their career",
    "what stops people from challenging a decision once I have made it",
    "how our promotion process looks to someone without a sponsor",
    "how it feels to manage a disability at work without always having to explain it",
    "why so few ideas from the front line ever reach the executive team",
    "what our values statement means to people who joined in the last year",
    "how new digital tools could change the way my teams work",
    "what I do in meetings that makes it harder for people to speak up",
)
LEADER_CHANGES = (
    "I want to change how my leadership team runs its meetings.",
    "I'd like to listen more than I talk.",
    "Then I can set different expectations for my managers.",
    "I suspect I miss a lot because people are polite to me.",
    "I would like to notice who is missing from the room when we decide things.",
    "Honestly I don't know what I don't know, which is why I signed up.",
    "My own career looked very different and I need to update my picture.",
    "I'd like to change at least one process we own by the end of the year.",
)
LEADER_OPENERS = ("I want to understand", "I'd like to learn", "Mainly", "I hope to see", "")

# What mentors would like a leader to understand (the matching text on the mentor's side).
MENTOR_SHARE = (
    "who gets invited to the informal conversations decides who gets on",
    "being the only person like me in most meetings takes a lot of energy",
    "how our approval processes feel from the front line, with all the waiting",
    "managing a disability at work without having to explain it every time",
    "people my age would stay longer if we could see a path to promotion",
    "working from a shared flat with no quiet place to take calls",
    "ideas from junior staff get taken up only once a manager repeats them",
    "the graduate scheme promises a lot in the first month and then goes quiet",
    "which digital tools we actually use and the workarounds we build",
    "how hard it is to disagree with someone three grades above you",
)
MENTOR_ENDINGS = (
    "I'd like a leader to see the organisation from where I sit.",
    "Nobody senior has ever asked me about it.",
    "It would help if leaders knew this before they make decisions.",
    "I've talked about it in our staff network a lot.",
    "Happy to be honest about it if it helps.",
    "",
)
MENTOR_OPENERS = ("Mostly", "Honestly,", "For me,", "")

MENTOR_GAINS = (
    "A better network outside my own team.",
    "Understanding how decisions are really made at the top.",
    "Confidence to speak up, and some visibility.",
    "I'd like to learn how a senior leader plans their week.",
    "Experience of coaching someone, which I could use in my next role.",
    "To see whether the organisation means what it says about inclusion.",
)
CULTURE_WORK = (
    "I co-chair the LGBTQ+ network and we rewrote the parental leave guidance.",
    "Ran the graduate buddying scheme for two intakes; retention went up a bit.",
    "Member of the staff forum. We pushed for the quiet rooms on each floor.",
    "Helped set up the disability network's reasonable adjustments passport.",
    "Volunteered on the wellbeing champions rota during the office move.",
)
OBJECTIVE_NOTES = (
    "In our team meetings the most senior person speaks first and then everyone agrees.",
    "A junior colleague's idea was taken up only once a manager repeated it.",
    "I'm not always sure it is safe to disagree in front of the executive team.",
    "New starters tell me they don't know who to ask, so they don't ask.",
    "Our leaders rarely see the tools we use every day.",
    "We talk about belonging but the socials are all after work in a pub.",
    "Hybrid days mean some people never meet their manager in person.",
    "Decisions arrive by email with no chance to ask why.",
)
PRIVATE_NOTES = (
    "Please don't match me with anyone from Finance, I used to work there.",
    "I'd rather not talk about my health in the first few meetings.",
    "Nothing in particular.",
    "I work part time (Mondays to Wednesdays).",
)


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] if text else text


def leader_hopes(rng: random.Random) -> str:
    opener = rng.choice(LEADER_OPENERS)
    first, second = rng.sample(LEADER_HOPES, 2)
    core = f"{opener} {first}" if opener else first
    if rng.random() < 0.5:
        core += f", and {second}"
    tail = rng.choice(LEADER_CHANGES)
    text = f"{_sentence(core)}. {tail}"
    return text if rng.random() < 0.8 else text.lower()


def mentor_share(rng: random.Random) -> str:
    opener = rng.choice(MENTOR_OPENERS)
    first, second = rng.sample(MENTOR_SHARE, 2)
    core = f"{opener} {first}" if opener else first
    text = _sentence(core) + "."
    if rng.random() < 0.6:
        text += f" Also {second}."
    ending = rng.choice(MENTOR_ENDINGS)
    return f"{text} {ending}".strip()


def answer(rng: random.Random, *, side: str, label: str, matching_text: bool) -> str:
    """An answer to a free-text question, in the voice of one side."""
    lowered = label.lower()
    if matching_text:
        return leader_hopes(rng) if side == "leader" else mentor_share(rng)
    if "get from the programme" in lowered:
        return " ".join(rng.sample(MENTOR_GAINS, rng.randint(1, 2)))
    if "tell us about that work" in lowered:
        return rng.choice(CULTURE_WORK)
    if "not willing to share" in lowered or "coordinator should know" in lowered:
        return rng.choice(PRIVATE_NOTES)
    return " ".join(rng.sample(OBJECTIVE_NOTES, rng.randint(1, 2)))


# Readiness evidence and stakeholder interviews, as a coordinator would record them.
EVIDENCE: dict[str, tuple[str, str]] = {
    ReadinessItem.Key.DEIB_PLAN: (
        "Amara Osei, Head of Inclusion",
        "DEIB strategy 2026-2029 approved by the board on 12 March; training budget confirmed.",
    ),
    ReadinessItem.Key.LEADERSHIP: (
        "Chief Executive",
        "Executive team briefed at the April offsite; all nine executives agreed to take part "
        "as learners.",
    ),
    ReadinessItem.Key.TIME: (
        "Chief People Officer",
        "Two hours a month agreed for all participants, recorded in the people policy; "
        "managers told in the May managers' briefing.",
    ),
    ReadinessItem.Key.SAFETY_BASELINE: (
        "People Analytics team",
        "Psychological-safety pulse (7 items) sent to all staff in May: 61% response, baseline "
        "score 3.4 out of 5.",
    ),
    ReadinessItem.Key.SUPPORT: (
        "Wellbeing lead",
        "Employee assistance programme, two trained mental health first aiders per site, and a "
        "confidential concern channel in Upward.",
    ),
    ReadinessItem.Key.COORDINATOR: (
        "Chief People Officer",
        "Corin Adeyemi (external) appointed as independent coordinator, outside every "
        "participant's reporting line.",
    ),
}

INTERVIEWS = (
    (
        "Chief Executive",
        "Chief Executive Officer",
        "Senior team hears good news only. Two graduate cohorts lost half their people in 18 "
        "months and exit interviews mention not being listened to.",
        ["voice", "retention", "hierarchy"],
    ),
    (
        "Chair of the Race Equality Network",
        "Employee network lead",
        "Members don't see people like them above manager level. They are asked to educate "
        "leaders for free and are tired of it; any programme must protect their time.",
        ["progression", "wellbeing", "belonging"],
    ),
    (
        "Head of Technology Operations",
        "Senior manager",
        "Decisions about new tools are made by people who don't use them; younger staff find "
        "workarounds and nobody hears about them.",
        ["digital", "generations", "hierarchy"],
    ),
)


# The demo leader and mentor write about the same things, so their match explains itself.
PAIR_TEXT: dict[str, str] = {
    Side.LEADER: (
        "I want to understand what stops graduates from speaking up in my meetings, and how "
        "our promotion process looks to someone without a sponsor. I'd like to listen more "
        "than I talk."
    ),
    Side.MENTOR: (
        "Being the only person like me in most meetings, and how the promotion process feels "
        "when nobody senior is your sponsor. People my age would stay longer if we could see a "
        "path."
    ),
}
