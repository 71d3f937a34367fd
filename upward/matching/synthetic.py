"""Realistic synthetic programmes for tests, demos and benchmarks (NumPy-seeded).

Each organisation gets a reporting tree from a chief executive down to team leads; leaders are
drawn from its senior grades (6-10) and mentors are junior staff (grades 1-4) placed under
managers, so some mentors sit in a leader's own reporting line. People get departments, time
zones and working hours, languages, topics, objectives, free text, consented identity data,
wishes and the odd private "please not". The same seed always gives the same programme.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from upward.matching.model import Participant, PersonId, Side, weekly_slots
from upward.matching.policy import HardRules, MatchingPolicy

# Topics mentors offer from lived experience and leaders seek, with words people use for them.
EXPERIENCE_TOPICS: dict[str, tuple[str, ...]] = {
    "social media": ("instagram", "tiktok", "creators", "followers", "posting"),
    "generative ai": ("chatgpt", "prompts", "automation", "models", "copilots"),
    "hybrid work": ("remote", "office", "flexibility", "commuting", "video"),
    "gen z expectations": ("purpose", "feedback", "graduates", "values", "younger"),
    "neurodiversity": ("autism", "adhd", "dyslexia", "sensory", "adjustments"),
    "disability inclusion": ("accessibility", "wheelchair", "adjustments", "barriers", "access"),
    "racial equity": ("racism", "microaggressions", "ethnicity", "allyship", "representation"),
    "lgbtq+ inclusion": ("pronouns", "coming", "pride", "allyship", "belonging"),
    "gender equity": ("women", "pay", "maternity", "sexism", "bias"),
    "mental health": ("burnout", "anxiety", "wellbeing", "stress", "support"),
    "cost of living": ("rent", "wages", "bills", "housing", "money"),
    "first-generation careers": ("university", "networks", "class", "background", "parents"),
    "caring responsibilities": ("childcare", "carers", "parents", "flexibility", "family"),
    "climate action": ("sustainability", "carbon", "climate", "net", "green"),
    "customer experience": ("customers", "frontline", "complaints", "service", "journeys"),
    "digital tools": ("apps", "slack", "workflows", "collaboration", "tools"),
    "faith at work": ("religion", "prayer", "ramadan", "festivals", "faith"),
    "social mobility": ("class", "accent", "opportunity", "apprenticeships", "mobility"),
    "working in a second language": ("language", "accent", "translation", "english", "meetings"),
    "psychological safety": ("speaking", "mistakes", "trust", "voice", "candour"),
}
# Topics leaders offer and mentors seek (the reciprocal side).
CAREER_TOPICS: dict[str, tuple[str, ...]] = {
    "strategy": ("strategy", "priorities", "board", "direction", "planning"),
    "executive presence": ("presence", "presenting", "confidence", "stakeholders", "influence"),
    "career development": ("promotion", "career", "progression", "sponsorship", "growth"),
    "budgets and finance": ("budget", "finance", "forecast", "costs", "commercial"),
    "leading teams": ("leading", "teams", "delegation", "coaching", "managing"),
    "change management": ("change", "transformation", "restructure", "programmes", "adoption"),
    "networking": ("networking", "contacts", "relationships", "visibility", "events"),
    "decision making": ("decisions", "judgement", "risk", "tradeoffs", "data"),
}
TOPICS = tuple(EXPERIENCE_TOPICS) + tuple(CAREER_TOPICS)
OBJECTIVES = (
    "inclusive leadership",
    "digital fluency",
    "understanding frontline work",
    "visibility for under-represented talent",
    "culture change",
    "retaining young talent",
)
DEPARTMENTS = (
    "Finance",
    "Technology",
    "Operations",
    "People",
    "Marketing",
    "Sales",
    "Legal",
    "Customer Service",
    "Research",
    "Strategy",
    "Risk",
    "Procurement",
)
# Region: (UTC offsets, (language, probability) pairs)
REGIONS: dict[str, tuple[tuple[float, ...], tuple[tuple[str, float], ...]]] = {
    "Europe": (
        (0.0, 1.0, 2.0),
        (("English", 0.92), ("German", 0.25), ("French", 0.2), ("Dutch", 0.1), ("Spanish", 0.15)),
    ),
    "Americas": (
        (-8.0, -7.0, -6.0, -5.0, -3.0),
        (("English", 0.95), ("Spanish", 0.3), ("Portuguese", 0.12), ("French", 0.05)),
    ),
    "Asia-Pacific": (
        (5.5, 8.0, 9.0, 10.0),
        (("English", 0.88), ("Hindi", 0.3), ("Mandarin", 0.25), ("Japanese", 0.12)),
    ),
}
IDENTITY: dict[str, tuple[tuple[str, ...], tuple[float, ...], tuple[float, ...]]] = {
    # dimension: (values, leader distribution, mentor distribution)
    "gender": (("woman", "man", "non-binary"), (0.32, 0.67, 0.01), (0.55, 0.41, 0.04)),
    "age_band": (
        ("under 30", "30-44", "45-59", "60+"),
        (0.0, 0.2, 0.65, 0.15),
        (0.6, 0.35, 0.05, 0.0),
    ),
    "ethnicity": (
        ("white", "black", "asian", "mixed", "other"),
        (0.82, 0.04, 0.09, 0.03, 0.02),
        (0.55, 0.15, 0.18, 0.08, 0.04),
    ),
    "disability": (("yes", "no"), (0.05, 0.95), (0.16, 0.84)),
    "lgbtq": (("yes", "no"), (0.04, 0.96), (0.12, 0.88)),
}
GENERIC_WORDS = (
    "learn",
    "understand",
    "experience",
    "colleagues",
    "organisation",
    "perspective",
    "honest",
    "conversations",
    "listen",
    "share",
    "open",
    "curious",
    "practical",
    "examples",
    "everyday",
    "challenges",
    "work",
    "people",
    "culture",
    "ideas",
    "better",
    "help",
    "real",
    "views",
)


@dataclass(frozen=True)
class SyntheticProgramme:
    """Generated leaders and mentors, with a policy that suits them."""

    leaders: list[Participant]
    mentors: list[Participant]
    policy: MatchingPolicy
    seed: int


def default_policy(**changes: object) -> MatchingPolicy:
    """The policy used with synthetic programmes (difference sought on three dimensions)."""
    fields: dict[str, object] = {
        "rules": HardRules(min_grade_gap=2, min_common_hours=1.0),
        "difference_dimensions": ("gender", "age_band", "ethnicity"),
    }
    fields.update(changes)
    return MatchingPolicy(**fields)  # type: ignore[arg-type]


def generate(
    n_participants: int,
    *,
    seed: int = 0,
    leader_share: float = 0.45,
    organisations: int | None = None,
) -> SyntheticProgramme:
    """A programme of about ``n_participants`` people (leaders plus mentors)."""
    if n_participants < 2:
        raise ValueError("a programme needs at least two participants")
    if not 0 < leader_share < 1:
        raise ValueError("leader_share must be between 0 and 1")
    rng = np.random.default_rng(seed)
    n_leaders = max(1, round(n_participants * leader_share))
    n_mentors = max(1, n_participants - n_leaders)
    n_orgs = organisations or max(1, min(n_participants // 4000, 25))
    lead_split = _split(n_leaders, n_orgs, rng)
    ment_split = _split(n_mentors, n_orgs, rng)
    leaders: list[Participant] = []
    mentors: list[Participant] = []
    region_names = list(REGIONS)
    for o in range(n_orgs):
        org = _Organisation(o, region_names[o % len(region_names)], lead_split[o], rng)
        leaders.extend(org.leaders(lead_split[o], rng))
        mentors.extend(org.mentors(ment_split[o], rng))
    _add_preferences(leaders, mentors, rng)
    return SyntheticProgramme(leaders=leaders, mentors=mentors, policy=default_policy(), seed=seed)


def _split(total: int, parts: int, rng: np.random.Generator) -> list[int]:
    weights = rng.uniform(0.6, 1.4, parts)
    counts = np.floor(weights / weights.sum() * total).astype(int)
    counts[: total - counts.sum()] += 1
    return [int(c) for c in counts]


class _Organisation:
    """A reporting tree: chief executive (10), executives (9) heading departments, directors
    (8), senior managers (7), managers (6) and team leads (5)."""

    def __init__(self, number: int, region: str, n_leaders: int, rng: np.random.Generator) -> None:
        self.name = f"Org {number + 1:02d}"
        self.prefix = f"o{number + 1}"
        self.region = region
        self.manager: dict[str, str | None] = {}
        self.grade: dict[str, int] = {}
        self.department: dict[str, str] = {}
        self._counter = 0
        # Enough senior people that about 60 % of them join as leaders.
        seniors_needed = max(8, int(n_leaders / 0.6))
        branching = max(2.0, seniors_needed**0.25)
        ceo = self._add(None, 10, "Executive Office")
        executives = [
            self._add(ceo, 9, DEPARTMENTS[i % len(DEPARTMENTS)])
            for i in range(max(2, min(len(DEPARTMENTS), round(branching))))
        ]
        level = executives
        for grade in (8, 7, 6):
            nxt: list[str] = []
            sizes = np.maximum(1, rng.poisson(branching, size=len(level)))
            for boss, size in zip(level, sizes.tolist(), strict=True):
                for _ in range(size):
                    nxt.append(self._add(boss, grade, self.department[boss]))
            level = nxt
        self.managers = level
        self.seniors = [p for p, g in self.grade.items() if g >= 6]

    def _add(self, boss: str | None, grade: int, department: str) -> str:
        self._counter += 1
        pid = f"{self.prefix}-{self._counter}"
        self.manager[pid] = boss
        self.grade[pid] = grade
        self.department[pid] = department
        return pid

    def chain(self, pid: str) -> tuple[PersonId, ...]:
        out: list[PersonId] = []
        boss = self.manager[pid]
        while boss is not None:
            out.append(boss)
            boss = self.manager[boss]
        return tuple(out)

    def _places(self, n: int, rng: np.random.Generator) -> tuple[list[float], list[frozenset[str]]]:
        """UTC offsets and spoken languages for ``n`` people (80 % in the home region)."""
        names = list(REGIONS)
        home = names.index(self.region)
        region = np.where(rng.random(n) < 0.8, home, rng.integers(len(names), size=n))
        offsets: list[float] = []
        languages: list[frozenset[str]] = []
        draws = rng.random((n, 5))
        pick = rng.integers(0, 1 << 30, size=n)
        for i, r in enumerate(region.tolist()):
            region_offsets, langs = REGIONS[names[r]]
            offsets.append(region_offsets[int(pick[i]) % len(region_offsets)])
            spoken = frozenset(name for j, (name, p) in enumerate(langs) if draws[i, j] < p)
            languages.append(spoken or frozenset({langs[0][0]}))
        return offsets, languages

    def leaders(self, count: int, rng: np.random.Generator) -> list[Participant]:
        pool = self.seniors
        weights = np.array([1.0 + (self.grade[p] - 6) * 0.5 for p in pool])
        size = min(count, len(pool))
        chosen = sorted(
            rng.choice(len(pool), size=size, replace=False, p=weights / weights.sum()).tolist()
        )
        offsets, languages = self._places(size, rng)
        sought = _pick(list(EXPERIENCE_TOPICS), size, rng, 2, 5, skew=1.1)
        offered = _pick(list(CAREER_TOPICS), size, rng, 1, 3, skew=0.6)
        objectives = _pick(list(OBJECTIVES), size, rng, 1, 3, skew=0.5)
        identity = _identities(size, rng, leader=True)
        hopes = _texts("I want to understand", sought, rng, EXPERIENCE_TOPICS)
        shares = _texts("I can offer", offered, rng, CAREER_TOPICS)
        days = _days(size, rng, 2, 3)
        starts = rng.integers(8, 15, size=size).tolist()
        lengths = rng.integers(2, 4, size=size).tolist()
        people = []
        for i, idx in enumerate(chosen):
            pid = pool[idx]
            people.append(
                Participant(
                    id=pid,
                    side=Side.LEADER,
                    organisation=self.name,
                    department=self.department[pid],
                    grade=self.grade[pid],
                    manager_chain=self.chain(pid),
                    topics_sought=sought[i],
                    topics_offered=offered[i],
                    objectives=objectives[i],
                    hopes_to_learn=hopes[i],
                    can_share=shares[i],
                    identity=identity[i],
                    availability=_slots(offsets[i], days[i], starts[i], starts[i] + lengths[i]),
                    languages=languages[i],
                )
            )
        return people

    def mentors(self, count: int, rng: np.random.Generator) -> list[Participant]:
        team_leads: dict[str, list[str]] = {}
        bosses = rng.integers(len(self.managers), size=count).tolist()
        via_lead = (rng.random(count) < 0.7).tolist()
        new_lead = (rng.random(count) < 0.4).tolist()
        lead_pick = rng.integers(0, 1 << 30, size=count).tolist()
        grades = rng.integers(1, 5, size=count).tolist()
        offsets, languages = self._places(count, rng)
        offered = _pick(list(EXPERIENCE_TOPICS), count, rng, 2, 5, skew=1.1)
        sought = _pick(list(CAREER_TOPICS), count, rng, 1, 3, skew=0.6)
        objectives = _pick(list(OBJECTIVES), count, rng, 1, 3, skew=0.5)
        identity = _identities(count, rng, leader=False)
        hopes = _texts("I hope to learn about", sought, rng, CAREER_TOPICS)
        shares = _texts("I can share my experience of", offered, rng, EXPERIENCE_TOPICS)
        days = _days(count, rng, 3, 5)
        starts = rng.integers(8, 12, size=count).tolist()
        lengths = rng.integers(4, 9, size=count).tolist()
        culture = rng.poisson(0.7, size=count).tolist()
        capacity = np.where(rng.random(count) < 0.2, 2, 1).tolist()
        people = []
        for i in range(count):
            boss = self.managers[bosses[i]]
            if via_lead[i]:
                leads = team_leads.setdefault(boss, [])
                if len(leads) < 3 and (not leads or new_lead[i]):
                    leads.append(self._add(boss, 5, self.department[boss]))
                boss = leads[lead_pick[i] % len(leads)]
            pid = self._add(boss, grades[i], self.department[boss])
            people.append(
                Participant(
                    id=pid,
                    side=Side.MENTOR,
                    organisation=self.name,
                    department=self.department[pid],
                    grade=grades[i],
                    manager_chain=self.chain(pid),
                    topics_sought=sought[i],
                    topics_offered=offered[i],
                    objectives=objectives[i],
                    hopes_to_learn=hopes[i],
                    can_share=shares[i],
                    identity=identity[i],
                    availability=_slots(offsets[i], days[i], starts[i], starts[i] + lengths[i]),
                    languages=languages[i],
                    culture_change=int(culture[i]),
                    capacity=int(capacity[i]),
                )
            )
        return people


@lru_cache(maxsize=4096)
def _slots(offset: float, days: tuple[int, ...], start: int, end: int) -> frozenset[int]:
    return weekly_slots(offset, days=days, start=start, end=end)


def _days(n: int, rng: np.random.Generator, low: int, high: int) -> list[tuple[int, ...]]:
    """Random sets of working days (Monday-Friday), between ``low`` and ``high`` of them."""
    order = np.argsort(rng.random((n, 5)), axis=1).tolist()
    sizes = rng.integers(low, high + 1, size=n).tolist()
    return [tuple(sorted(order[i][: sizes[i]])) for i in range(n)]


def _pick(
    names: list[str], n: int, rng: np.random.Generator, low: int, high: int, *, skew: float
) -> list[frozenset[str]]:
    """For each of ``n`` people, ``low``-``high`` names; early (popular) names more often.

    Weighted sampling without replacement with the Gumbel top-k trick, for everyone at once.
    """
    ranks = np.arange(1, len(names) + 1, dtype=np.float64)
    keys = -skew * np.log(ranks)[None, :] + rng.gumbel(size=(n, len(names)))
    order = np.argsort(-keys, axis=1)[:, :high].tolist()
    sizes = np.minimum(rng.integers(low, high + 1, size=n), len(names)).tolist()
    return [frozenset([names[j] for j in order[i][: sizes[i]]]) for i in range(n)]


def _texts(
    opening: str,
    topics: list[frozenset[str]],
    rng: np.random.Generator,
    vocabulary: dict[str, tuple[str, ...]],
) -> list[str]:
    """Short free texts using two words from each topic plus a few everyday words."""
    out = []
    keyword_draws = rng.integers(0, 1 << 30, size=(len(topics), 16)).tolist()
    generic = np.argsort(rng.random((len(topics), len(GENERIC_WORDS))), axis=1).tolist()
    n_generic = rng.integers(3, 7, size=len(topics)).tolist()
    shuffle_keys = rng.random((len(topics), 24)).tolist()
    for i, chosen in enumerate(topics):
        draws = keyword_draws[i]
        words: list[str] = []
        for t, topic in enumerate(sorted(chosen)):
            keywords = vocabulary[topic]
            first = draws[2 * t] % len(keywords)
            second = (first + 1 + draws[2 * t + 1] % (len(keywords) - 1)) % len(keywords)
            words.extend((keywords[first], keywords[second]))
        words.extend(GENERIC_WORDS[j] for j in generic[i][: n_generic[i]])
        keys = shuffle_keys[i]
        order = sorted(range(len(words)), key=keys.__getitem__)
        out.append(f"{opening} " + " ".join(words[j] for j in order) + ".")
    return out


def _identities(n: int, rng: np.random.Generator, *, leader: bool) -> list[dict[str, str]]:
    out: list[dict[str, str]] = [{} for _ in range(n)]
    for dim, (values, lead_p, ment_p) in IDENTITY.items():
        consent = rng.random(n) < 0.7  # consented to share this dimension
        probs = np.asarray(lead_p if leader else ment_p)
        draws = rng.choice(len(values), size=n, p=probs / probs.sum())
        for i in np.flatnonzero(consent).tolist():
            out[i][dim] = values[int(draws[i])]
    return out


def _add_preferences(
    leaders: list[Participant], mentors: list[Participant], rng: np.random.Generator
) -> None:
    """Give some people ranked wishes and a few a private "please not" (in place)."""
    n_l, n_m = len(leaders), len(mentors)
    wish_l = rng.random(n_l) < 0.08
    not_l = rng.random(n_l) < 0.03
    for i in np.flatnonzero(wish_l | not_l).tolist():
        wishes: tuple[PersonId, ...] = ()
        please_not: frozenset[PersonId] = frozenset()
        if wish_l[i]:
            picks = rng.integers(n_m, size=int(rng.integers(1, 4))).tolist()
            wishes = tuple(dict.fromkeys(mentors[j].id for j in picks))
        if not_l[i]:
            please_not = frozenset({mentors[int(rng.integers(n_m))].id})
        leaders[i] = replace(leaders[i], wishes=wishes, please_not=please_not)
    draw = rng.random(n_m)
    for j in np.flatnonzero(draw < 0.08).tolist():
        if draw[j] < 0.05:
            picks = rng.integers(n_l, size=int(rng.integers(1, 3))).tolist()
            mentors[j] = replace(
                mentors[j], wishes=tuple(dict.fromkeys(leaders[i].id for i in picks))
            )
        else:
            mentors[j] = replace(
                mentors[j], please_not=frozenset({leaders[int(rng.integers(n_l))].id})
            )
