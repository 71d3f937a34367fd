"""Evidence API: the instrument library, a person's open surveys and their response, campaigns
for coordinators, and results through the anonymity engine."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from upward.core.bounds import BoundedDate, Id
from upward.pairs.api import Detail
from upward.programmes.models import Cohort
from upward.programmes.selectors import coordinated_programme_or_404

from . import anonymity, instruments, selectors, services
from .errors import AnswersInvalid, EvidenceRuleBroken

router = Router(tags=["evidence"])
ERRORS: dict[int, Any] = {400: Detail, 404: Detail}


class ItemOut(Schema):
    key: str
    text: str
    kind: str
    reverse: bool
    labels: list[str]
    choices: list[str]
    minimum: float | None
    maximum: float | None


class InstrumentOut(Schema):
    key: str
    title: str
    purpose: str
    citation: str
    wording_note: str
    audiences: list[str]
    items: list[ItemOut]


def _instrument(i: instruments.Instrument) -> dict[str, Any]:
    return {
        "key": i.key,
        "title": i.title,
        "purpose": i.purpose,
        "citation": i.citation,
        "wording_note": i.wording_note,
        "audiences": list(i.audiences),
        "items": [
            {
                "key": it.key,
                "text": it.text,
                "kind": str(it.kind),
                "reverse": it.reverse,
                "labels": list(it.labels),
                "choices": list(it.choices),
                "minimum": it.minimum,
                "maximum": it.maximum,
            }
            for it in i.items
        ],
    }


@router.get("/instruments", response=list[InstrumentOut])
def instrument_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_instrument(i) for i in instruments.LIBRARY.values()]


class SurveyOut(Schema):
    id: int
    title: str
    programme: str
    instrument: str
    opens_on: dt.date
    closes_on: dt.date


def _survey(c: selectors.Campaign) -> dict[str, Any]:
    return {
        "id": c.pk,
        "title": c.title,
        "programme": c.programme.name,
        "instrument": c.instrument,
        "opens_on": c.opens_on,
        "closes_on": c.closes_on,
    }


@router.get("/surveys", response=list[SurveyOut])
def survey_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_survey(c) for c in selectors.open_surveys_for(request.user)]


class AnswersIn(Schema):
    # Keys are the instrument's item keys; values are checked against each item.
    answers: dict[
        str,
        Annotated[int, Field(ge=-1_000_000, le=1_000_000)]
        | Annotated[float, Field(ge=-1_000_000, le=1_000_000)]
        | str,
    ] = Field(..., max_length=60)


class Invalid(Schema):
    detail: str
    errors: dict[str, str]


@router.post(
    "/surveys/{campaign_id}/responses",
    response={201: None, 400: Detail, 404: Detail, 422: Invalid},
)
def survey_respond(request: HttpRequest, campaign_id: int, body: AnswersIn) -> Any:
    campaign = selectors.survey_or_404(request.user, campaign_id)
    answers = {k[:60]: (v[:2100] if isinstance(v, str) else v) for k, v in body.answers.items()}
    try:
        services.response_submit(campaign=campaign, by=request.user, answers=answers)
    except AnswersInvalid as e:
        return Status(422, {"detail": "Some answers need attention.", "errors": e.errors})
    return Status(201, None)


class CampaignIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    instrument: str = Field(..., max_length=40)
    stage: Literal["baseline", "pre", "mid", "post", "pulse"]
    audience: Literal["participants", "wider"] = "participants"
    side: Literal["", "leader", "mentor"] = ""
    cohort_id: Id | None = None
    organisation_id: Id | None = None
    opens_on: BoundedDate
    closes_on: BoundedDate
    reminder_every_days: int = Field(7, ge=1, le=60)


class CampaignOut(SurveyOut):
    stage: str
    audience: str
    side: str
    cohort_id: int | None
    organisation_id: int | None
    version: int


def _campaign(c: selectors.Campaign) -> dict[str, Any]:
    return {
        **_survey(c),
        "stage": c.stage,
        "audience": c.audience,
        "side": c.side,
        "cohort_id": c.cohort_id,
        "organisation_id": c.organisation_id,
        "version": c.version,
    }


@router.get("/programmes/{slug}/campaigns", response={200: list[CampaignOut], **ERRORS})
def campaign_list(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    programme = coordinated_programme_or_404(request.user, slug)
    return [_campaign(c) for c in programme.campaigns.select_related("programme")]


@router.post("/programmes/{slug}/campaigns", response={201: CampaignOut, **ERRORS})
def campaign_add(request: HttpRequest, slug: str, body: CampaignIn) -> Any:
    programme = coordinated_programme_or_404(request.user, slug)
    data = body.dict()
    cohort_id, organisation_id = data.pop("cohort_id"), data.pop("organisation_id")
    cohort = organisation = None
    if cohort_id is not None:
        cohort = Cohort.objects.filter(pk=cohort_id, programme=programme).first()
        if cohort is None:
            raise EvidenceRuleBroken("No such cohort in this programme.")
    if organisation_id is not None:
        organisation = programme.organisations.filter(pk=organisation_id).first()
        if organisation is None:
            raise EvidenceRuleBroken("That organisation does not take part in the programme.")
    campaign = services.campaign_create(
        programme=programme, by=request.user, cohort=cohort, organisation=organisation, **data
    )
    return Status(201, _campaign(campaign))


class FilterOut(Schema):
    dimension: str
    value: str


class ResultRowOut(Schema):
    segment: list[FilterOut]
    shown: bool
    respondents: int | None
    mean: float | None
    hidden_because: str | None


class ThemeOut(Schema):
    phrase: str
    comments: int


class CommentsOut(Schema):
    question: str
    shown: bool
    comments: list[str]
    hidden_because: str | None
    sentiment_mean: float | None
    positive: int | None
    neutral: int | None
    negative: int | None
    themes: list[ThemeOut]


class SurveyResultsOut(Schema):
    campaign: int
    level: str
    threshold: int
    invited: int
    responded: int
    closed: bool
    rows: list[ResultRowOut]
    comments: list[CommentsOut]


@router.get("/campaigns/{campaign_id}/results", response={200: SurveyResultsOut, **ERRORS})
def campaign_results(request: HttpRequest, campaign_id: int) -> dict[str, Any]:
    r = selectors.results(request.user, campaign_id)
    rows = []
    for row in r.rows:
        shown = isinstance(row.result, anonymity.Aggregate)
        rows.append(
            {
                "segment": [{"dimension": d, "value": v} for d, v in row.segment],
                "shown": shown,
                "respondents": row.result.respondents if shown else None,  # type: ignore[union-attr]
                "mean": round(row.result.mean, 4) if shown else None,  # type: ignore[union-attr]
                "hidden_because": None if shown else str(row.result.reason),  # type: ignore[union-attr]
            }
        )
    comments = []
    for q, c in r.comments.items():
        summary = r.summaries.get(q)
        tone = summary[0] if summary else None
        comments.append(
            {
                "question": q,
                "shown": isinstance(c, list),
                "comments": c if isinstance(c, list) else [],
                "hidden_because": None if isinstance(c, list) else str(c.reason),
                "sentiment_mean": round(tone.mean, 4) if tone else None,
                "positive": tone.positive if tone else None,
                "neutral": tone.neutral if tone else None,
                "negative": tone.negative if tone else None,
                "themes": [{"phrase": p, "comments": k} for p, k in summary[1]] if summary else [],
            }
        )
    return {
        "campaign": r.campaign.pk,
        "level": str(r.level),
        "threshold": r.n,
        "invited": r.invited,
        "responded": r.responded,
        "closed": r.closed,
        "rows": rows,
        "comments": comments,
    }


# The programme pages' operations add themselves to this router.
from . import api_programme  # noqa: E402, F401
