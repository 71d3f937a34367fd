"""Reads of evidence: who a campaign asks, which surveys a person may answer, and results,
always through the anonymity engine."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.lookups import Exact, IsNull
from django.http import Http404
from django.utils import timezone

from upward.core import navigation
from upward.directory.models import Organisation, Person
from upward.programmes.models import Application, Programme

from . import anonymity, text
from .models import Campaign, Participation, Response
from .permissions import Level, results_level

DIMENSIONS = ("side", "organisation", "cohort")
TAKING_PART = (
    Application.Status.SUBMITTED,
    Application.Status.ACCEPTED,
    Application.Status.WAITLISTED,
)


def audience_of(campaign: Campaign, user_id: int | None = None) -> dict[int, dict[str, str]]:
    """Everyone the campaign asks, by user id, with the coarse attributes kept on a response;
    with ``user_id``, only that person (an empty answer when the campaign does not ask them)."""
    out: dict[int, dict[str, str]] = {}
    if campaign.audience == Campaign.Audience.WIDER:
        orgs: QuerySet[Organisation] = campaign.programme.organisations.all()
        if campaign.organisation_id:
            orgs = orgs.filter(pk=campaign.organisation_id)
        people = Person.objects.filter(
            organisation__in=orgs, user__isnull=False, active=True
        ).select_related("organisation")
        if user_id is not None:
            people = people.filter(user_id=user_id)
        for p in people:
            assert p.user_id is not None
            out[p.user_id] = {"side": "", "organisation": p.organisation.name, "cohort": ""}
        return out
    apps = Application.objects.filter(
        programme=campaign.programme, status__in=TAKING_PART
    ).select_related("person__organisation", "cohort")
    if campaign.side:
        apps = apps.filter(side=campaign.side)
    if campaign.cohort_id:
        apps = apps.filter(cohort_id=campaign.cohort_id)
    if campaign.organisation_id:
        apps = apps.filter(person__organisation_id=campaign.organisation_id)
    if user_id is not None:
        apps = apps.filter(user_id=user_id)
    for a in apps:
        out[a.user_id] = {
            "side": a.side,
            "organisation": a.person.organisation.name,
            "cohort": a.cohort.name if a.cohort else "",
        }
    return out


def is_open(campaign: Campaign, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return campaign.opens_on <= today <= campaign.closes_on


def is_closed(campaign: Campaign, today: dt.date | None = None) -> bool:
    return (today or timezone.localdate()) > campaign.closes_on


def _asks(user: Any) -> Q:
    """Campaigns whose audience (``audience_of``) includes the user, as a filter the database
    answers on the user's own rows: a taking-part application of the campaign's programme (of
    its side, cohort and organisation when it names them), or for a wider campaign an active
    directory entry in one of the programme's organisations (or the one it names)."""
    applications = Application.objects.filter(
        programme_id=OuterRef("programme_id"), user_id=user.pk, status__in=TAKING_PART
    ).filter(
        Q(side=OuterRef("side")) | Exact(OuterRef("side"), ""),
        Q(cohort_id=OuterRef("cohort_id")) | IsNull(OuterRef("cohort_id"), True),
        Q(person__organisation_id=OuterRef("organisation_id"))
        | IsNull(OuterRef("organisation_id"), True),
    )
    people = Person.objects.filter(
        user_id=user.pk, active=True, organisation__programmes=OuterRef("programme_id")
    ).filter(
        Q(organisation_id=OuterRef("organisation_id")) | IsNull(OuterRef("organisation_id"), True)
    )
    return (Q(audience=Campaign.Audience.PARTICIPANTS) & Exists(applications)) | (
        Q(audience=Campaign.Audience.WIDER) & Exists(people)
    )


def _open_for(user: Any) -> QuerySet[Campaign]:
    today = timezone.localdate()
    answered = Participation.objects.filter(campaign_id=OuterRef("pk"), user_id=user.pk)
    return (
        Campaign.objects.filter(opens_on__lte=today, closes_on__gte=today)
        .filter(_asks(user))
        .exclude(Exists(answered))
    )


def open_surveys_for(user: Any) -> list[Campaign]:
    """Open campaigns that ask this person and that they have not answered yet, in one query."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(_open_for(user).select_related("programme"))


OPEN_SURVEY = "open_survey"


def open_survey_fact(user: Any) -> Exists:
    """The menu's fact "has a survey to answer" (core.navigation answers all facts in one
    query)."""
    return Exists(_open_for(user))


def has_open_surveys(user: Any) -> bool:
    return navigation.fact(user, OPEN_SURVEY)


def survey_or_404(user: Any, pk: int) -> Campaign:
    """A campaign this person is asked to answer (open or not); a 404 for anyone else."""
    if not getattr(user, "is_authenticated", False):
        raise Http404("No such survey.")
    campaign = (
        Campaign.objects.select_related("programme").filter(pk=pk).filter(_asks(user)).first()
    )
    if campaign is None:
        raise Http404("No such survey.")
    return campaign


def has_responded(campaign: Campaign, user: Any) -> bool:
    return Participation.objects.filter(campaign=campaign, user=user).exists()


# --- results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    segment: anonymity.Segment
    label: str
    result: anonymity.Aggregate | anonymity.Hidden


@dataclass(frozen=True)
class Results:
    campaign: Campaign
    level: Level
    n: int
    invited: int
    responded: int
    closed: bool
    rows: list[Row]
    comments: dict[str, list[str] | anonymity.Hidden]
    # Per question, for released comments only: sentiment and themes of the whole set.
    summaries: dict[str, tuple[Any, list[tuple[str, int]]]] = field(default_factory=dict)


def results_campaigns(user: Any, programme: Programme) -> list[Campaign]:
    if results_level(user, programme) is None:
        raise Http404("No such programme.")
    return list(programme.campaigns.all())


def campaign_for_results_or_404(user: Any, pk: int) -> tuple[Campaign, Level, set[int]]:
    campaign = Campaign.objects.select_related("programme").filter(pk=pk).first()
    level = results_level(user, campaign.programme) if campaign else None
    if campaign is None or level is None:
        raise Http404("No such campaign.")
    return campaign, level[0], level[1]


def plan_of(campaign: Campaign) -> tuple[anonymity.Plan, list[Response]]:
    responses = list(campaign.responses.all())
    population = anonymity.Population.from_rows(
        DIMENSIONS, [r.segment_attributes for r in responses]
    )
    n = anonymity.threshold_for(campaign.programme.anonymity_threshold)
    return anonymity.plan(population, n), responses


def visible_segments(
    release: anonymity.Plan, level: Level, org_names: set[str]
) -> list[anonymity.Segment]:
    """The segments a viewer at ``level`` may ask about, all drawn from the one plan."""
    candidates = anonymity.candidate_segments(release.population)
    if level is Level.PROGRAMME:
        return [()]
    if level is Level.ORGANISATION:
        return [s for s in candidates if any(d == "organisation" and v in org_names for d, v in s)]
    return candidates


def results(user: Any, pk: int) -> Results:
    campaign, level, org_ids = campaign_for_results_or_404(user, pk)
    invited = len(audience_of(campaign))
    responded = Participation.objects.filter(campaign=campaign).count()
    closed = is_closed(campaign)
    n = anonymity.threshold_for(campaign.programme.anonymity_threshold)
    if not closed:
        # Figures that move as responses arrive would reveal the latest respondent.
        return Results(campaign, level, n, invited, responded, False, [], {})
    release, responses = plan_of(campaign)
    org_names = set(Organisation.objects.filter(pk__in=org_ids).values_list("name", flat=True))
    scored = [(r.segment_attributes, r.score) for r in responses if r.score is not None]
    rows = [
        Row(s, anonymity.describe(s), anonymity.aggregate(release, s, scored))
        for s in visible_segments(release, level, org_names)
        if s == () or release.population.count(s) > 0
    ]
    comments: dict[str, list[str] | anonymity.Hidden] = {}
    segment: anonymity.Segment = ()
    if level is Level.ORGANISATION:
        orgs = sorted(org_names)
        segment = anonymity.make_segment({"organisation": orgs[0]}) if orgs else ()
    if level is not Level.ORGANISATION or segment:
        for item in campaign.definition.text_items:
            texts = [(r.segment_attributes, str(r.answers.get(item.key, ""))) for r in responses]
            comments[item.text] = anonymity.release_comments(
                release, segment, texts, seed=campaign.pk
            )
    summaries = {
        q: (text.sentiment_summary(shown), text.themes(shown))
        for q, shown in comments.items()
        if isinstance(shown, list) and shown
    }
    return Results(campaign, level, n, invited, responded, True, rows, comments, summaries)


# --- the programme's evidence dashboard ---------------------------------------------------------

SAFETY = "psychological_safety"


def dashboard_level_or_404(user: Any, programme: Programme) -> tuple[Level, set[str]]:
    level = results_level(user, programme)
    if level is None:
        raise Http404("No such programme.")
    names = set(Organisation.objects.filter(pk__in=level[1]).values_list("name", flat=True))
    return level[0], names


def _closed(programme: Programme, instrument: str) -> list[Campaign]:
    today = timezone.localdate()
    found = list(
        Campaign.objects.filter(
            programme=programme, instrument=instrument, closes_on__lt=today
        ).order_by("closes_on", "pk")
    )
    for campaign in found:
        campaign.programme = programme  # already read: not once more per campaign
    return found


def safety_over_time(
    programme: Programme, level: Level, org_names: set[str]
) -> list[tuple[Campaign, anonymity.Aggregate | anonymity.Hidden]]:
    """Psychological safety per closed campaign: the programme, or the viewer's organisation."""
    segment: anonymity.Segment = ()
    if level is Level.ORGANISATION:
        segment = anonymity.make_segment({"organisation": min(org_names)}) if org_names else ()
        if not segment:
            return []
    out = []
    for c in _closed(programme, SAFETY):
        release, responses = plan_of(c)
        scored = [(r.segment_attributes, r.score) for r in responses if r.score is not None]
        out.append((c, anonymity.aggregate(release, segment, scored)))
    return out


@dataclass(frozen=True)
class PrePost:
    instrument: str
    title: str
    higher_is: str
    change: Any  # statistics.PairedChange, or None when hidden
    hidden_because: str

    @property
    def words(self) -> str:
        return self.change.in_words(self.higher_is) if self.change is not None else ""


def pre_post(programme: Programme) -> list[PrePost]:
    """The paired change per instrument, from the latest closed before and after campaigns.

    Shown only at programme level, only with at least n people who answered both times, and
    only when those who answered once are none or at least n in each campaign (otherwise the
    difference between a campaign's result and the paired result would show them).
    """
    from .catalogue import available_for
    from .statistics import paired_change

    n = anonymity.threshold_for(programme.anonymity_threshold)
    today = timezone.localdate()
    closed: dict[str, list[Campaign]] = {}
    for c in Campaign.objects.filter(programme=programme, closes_on__lt=today).order_by(
        "closes_on", "pk"
    ):
        closed.setdefault(c.instrument, []).append(c)
    out = []
    for definition in available_for(programme):
        key = definition.key
        before = [c for c in closed.get(key, []) if c.stage == Campaign.Stage.PRE]
        after = [c for c in closed.get(key, []) if c.stage == Campaign.Stage.POST]
        if not before or not after:
            continue
        pre = {
            r.pair_token: r.score
            for r in before[-1].responses.all()
            if r.pair_token and r.score is not None
        }
        post = {
            r.pair_token: r.score
            for r in after[-1].responses.all()
            if r.pair_token and r.score is not None
        }
        both = sorted(set(pre) & set(post))
        only_pre, only_post = len(pre) - len(both), len(post) - len(both)
        if len(both) < n:
            reason = str(anonymity.Reason.TOO_FEW)
        elif 0 < only_pre < n or 0 < only_post < n:
            reason = str(anonymity.Reason.REMAINDER)
        else:
            change = paired_change([pre[t] for t in both], [post[t] for t in both])
            out.append(PrePost(key, definition.title, definition.higher_is, change, ""))
            continue
        out.append(PrePost(key, definition.title, definition.higher_is, None, reason))
    return out


def funnel(programme: Programme) -> list[tuple[str, int]]:
    """People at each step: invited, applied, matched, active (ever), completed."""
    from upward.pairs.models import Pair

    states = Pair.State
    pairs = Pair.objects.filter(programme=programme).aggregate(
        matched=Count("pk"),
        active=Count("pk", filter=Q(state__in=[states.ACTIVE, states.PAUSED, states.COMPLETED])),
        completed=Count("pk", filter=Q(state=states.COMPLETED)),
    )
    return [
        ("Invited", programme.invitations.count()),
        ("Applied", Application.objects.filter(programme=programme).count()),
        ("Matched", 2 * pairs["matched"]),
        ("Active", 2 * pairs["active"]),
        ("Completed", 2 * pairs["completed"]),
    ]


def historical(
    programme: Programme, level: Level, org_names: set[str]
) -> list[tuple[Any, anonymity.Hidden | None]]:
    """Imported historical results, each with the reason it is hidden (None when shown).

    The rules are applied per measure and period over all rows, before the viewer's level
    narrows them, so every viewer sees a subset of one safe set.
    """
    from .models import HistoricalScore

    n = anonymity.threshold_for(programme.anonymity_threshold)
    scores = list(HistoricalScore.objects.filter(programme=programme))
    groups: dict[tuple[str, str], list[Any]] = {}
    for s in scores:
        groups.setdefault((s.measure, s.period), []).append(s)
    out: list[tuple[Any, anonymity.Hidden | None]] = []
    for rows in groups.values():

        def seg(s: Any) -> anonymity.Segment:
            return ((s.dimension, s.value),) if s.dimension else ()

        hidden = anonymity.suppress_reported(
            [anonymity.Reported(seg(s), s.respondents, s.mean) for s in rows], n
        )
        for s in rows:
            if level is Level.PROGRAMME and s.dimension:
                continue
            if level is Level.ORGANISATION and not (
                s.dimension == "organisation" and s.value in org_names
            ):
                continue
            reason = hidden.get(seg(s))
            out.append((s, anonymity.Hidden(seg(s), reason) if reason else None))
    out.sort(key=lambda x: (x[0].measure, x[0].period_end, x[0].dimension, x[0].value))
    return out
