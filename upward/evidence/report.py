"""The programme report: one PDF (WeasyPrint, charts embedded as SVG) and a ZIP of CSV files of
aggregates only. Both are built from the same selectors as the dashboard, so every figure has
passed the anonymity engine; no answer of any one person is in either."""

from __future__ import annotations

import base64
import csv
import io
import zipfile
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from upward.programmes.models import Programme

from . import activity, anonymity, catalogue, charts, notes, selectors
from .models import ResultNote
from .sections import COMMITMENTS, Section, SectionData, sections_for


@dataclass(frozen=True)
class Report:
    programme: Programme
    objectives: list[Any]
    funnel: list[tuple[str, int]]
    safety: list[tuple[Any, anonymity.Aggregate | anonymity.Hidden]]
    pre_post: list[selectors.PrePost]
    campaigns: list[tuple[Any, anonymity.Aggregate | anonymity.Hidden | None]]
    meetings: activity.MeetingsPerMonth
    goals: activity.GoalsProgress
    commitments: SectionData | None
    sections: list[tuple[Section, SectionData]]  # the other apps' sections, commitments aside
    stories: dict[str, list[ResultNote]]  # by what they sit beside ("" for the whole)
    lessons: list[ResultNote]

    def beside(self, anchor: str) -> list[ResultNote]:
        return self.stories.get(anchor, [])


def gather(programme: Programme) -> Report:
    """Programme-level figures only (the sponsor's level)."""
    level = selectors.Level.PROGRAMME
    campaigns: list[tuple[Any, anonymity.Aggregate | anonymity.Hidden | None]] = []
    for c in programme.campaigns.order_by("closes_on", "pk"):
        if not selectors.is_closed(c):
            campaigns.append((c, None))
            continue
        release, responses = selectors.plan_of(c)
        scored = [(r.segment_attributes, r.score) for r in responses if r.score is not None]
        campaigns.append((c, anonymity.aggregate(release, (), scored)))
    sections = sections_for(programme)
    return Report(
        programme=programme,
        objectives=list(programme.objectives.all()),
        funnel=selectors.funnel(programme),
        safety=selectors.safety_over_time(programme, level, set()),
        pre_post=selectors.pre_post(programme),
        campaigns=campaigns,
        # The report goes to sponsors: programme-level rules.
        meetings=activity.meetings_per_month(programme, programme_level=True),
        goals=activity.goals_progress(programme, programme_level=True),
        commitments=next((d for s, d in sections if s.key == COMMITMENTS), None),
        sections=[(s, d) for s, d in sections if s.key != COMMITMENTS],
        stories=notes.stories_by_anchor(programme),
        lessons=notes.notes_of(programme, ResultNote.Kind.LESSON),
    )


def _data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def report_pdf(programme: Programme) -> bytes:
    from weasyprint import HTML

    r = gather(programme)
    safety_points = [(c.title, a.mean) for c, a in r.safety if isinstance(a, anonymity.Aggregate)]
    changes = [
        (p.title, p.change.mean_before, p.change.mean_after, p.change.ci_low, p.change.ci_high)
        for p in r.pre_post
        if p.change is not None
    ]
    html = render_to_string(
        "evidence/report_pdf.html",
        {
            "r": r,
            "made_at": timezone.now(),
            "funnel_chart": _data_uri(charts.funnel("Participation", r.funnel)),
            "safety_chart": _data_uri(
                charts.line_over_time("Psychological safety over time", safety_points, (1, 7))
            )
            if safety_points
            else "",
            "change_chart": _data_uri(charts.before_after("Change from before to after", changes))
            if changes
            else "",
            "meetings_chart": _data_uri(
                charts.columns("Meetings held per month", r.meetings.months, "Meetings")
            )
            if r.meetings.shown
            else "",
            "goals_chart": _data_uri(charts.bands("Goals progress", r.goals.bands, "Goals"))
            if r.goals.shown
            else "",
            "stories": {
                k.replace("-", "_").replace(":", "_") or "overall": v for k, v in r.stories.items()
            },
            "instrument_stories": [
                (i.title, r.beside(f"instrument:{i.key}"))
                for i in catalogue.available_for(programme)
                if r.beside(f"instrument:{i.key}")
            ],
        },
    )
    # No base URL: the charts are inline, so nothing is fetched from anywhere.
    return bytes(HTML(string=html).write_pdf())


def _csv(rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def report_csv_bundle(programme: Programme) -> bytes:
    r = gather(programme)
    files: dict[str, list[list[Any]]] = {
        "participation.csv": [["step", "people"], *[[s, n] for s, n in r.funnel]],
        "surveys.csv": [
            [
                "survey",
                "instrument",
                "stage",
                "opens_on",
                "closes_on",
                "people",
                "mean_score",
                "note",
            ],
            *[
                [
                    c.title,
                    c.instrument,
                    c.stage,
                    c.opens_on.isoformat(),
                    c.closes_on.isoformat(),
                    a.respondents if isinstance(a, anonymity.Aggregate) else "",
                    f"{a.mean:.4f}" if isinstance(a, anonymity.Aggregate) else "",
                    "open"
                    if a is None
                    else ("" if isinstance(a, anonymity.Aggregate) else f"hidden: {a.reason}"),
                ]
                for c, a in r.campaigns
            ],
        ],
        "pre_post.csv": [
            [
                "measure",
                "people",
                "before",
                "after",
                "change",
                "ci_low",
                "ci_high",
                "cohens_d",
                "t_p_value",
                "wilcoxon_p_value",
                "rank_biserial",
                "note",
            ],
            *[
                [
                    p.title,
                    p.change.pairs,
                    f"{p.change.mean_before:.4f}",
                    f"{p.change.mean_after:.4f}",
                    f"{p.change.mean_change:.4f}",
                    f"{p.change.ci_low:.4f}",
                    f"{p.change.ci_high:.4f}",
                    f"{p.change.cohens_d:.4f}",
                    f"{p.change.t_p_value:.4f}",
                    f"{p.change.wilcoxon_p_value:.4f}",
                    f"{p.change.rank_biserial:.4f}",
                    "",
                ]
                if p.change is not None
                else [
                    p.title,
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    f"hidden: {p.hidden_because}",
                ]
                for p in r.pre_post
            ],
        ],
        "activity.csv": [
            ["measure", "label", "count"],
            *[["meetings held", month, count] for month, count in r.meetings.months],
            *(
                [["meetings held", "hidden", r.meetings.hidden_because]]
                if r.meetings.hidden_because
                else []
            ),
            *[["goals", band, count] for band, count in r.goals.bands],
            *(
                [["goals", "hidden", r.goals.hidden_because]]
                if not r.goals.shown
                else [["goal progress updates", "all", r.goals.updates]]
            ),
        ],
        "sections.csv": [
            ["section", "label", "value"],
            *(
                [
                    ["Commitments and follow-through", label, value]
                    for label, value in r.commitments.rows
                ]
                if r.commitments
                else []
            ),
            *[[s.title, label, value] for s, d in r.sections for label, value in d.rows],
        ],
        "lessons.csv": [["lesson", "text"], *[[n.title, n.body] for n in r.lessons]],
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, rows in files.items():
            z.writestr(name, _csv(rows))
    return out.getvalue()
