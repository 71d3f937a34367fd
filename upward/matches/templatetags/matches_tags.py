from __future__ import annotations

from typing import Any

from django import template

from .. import selectors
from ..words import standing_of, summary

register = template.Library()


def _page_proposals(user: Any) -> list[selectors.ParticipantProposal]:
    """The person's proposals for the parts of one page (the home page's card and each of its
    programmes ask): read once, kept on the request's user object, which lives as long as the
    request; none read for someone the menu already knows has none."""
    if not hasattr(user, "_upward_page_proposals"):
        found = selectors.proposals_for(user) if selectors.has_proposals(user) else []
        user._upward_page_proposals = found
    mine: list[selectors.ParticipantProposal] = user._upward_page_proposals
    return mine


@register.inclusion_tag("matches/_dashboard.html")
def proposal_cards(user: Any) -> dict[str, Any]:
    """The home page's card for a participant's proposed matches."""
    return {"proposals": _page_proposals(user)}


@register.filter
def points(value: float | None) -> str:
    """A score as people read it: one decimal, or a dash when there is none."""
    if value is None:
        return "—"
    return f"{value:.1f}"


@register.filter
def signed(value: float | None) -> str:
    """A change of score with its sign: +3.2, -1.0, 0.0."""
    if value is None:
        return "—"
    if value > 0.05:
        return f"+{value:.1f}"
    if value < -0.05:
        return f"-{abs(value):.1f}"
    return "0.0"


@register.filter
def why(criteria: list[dict[str, Any]]) -> str:
    """The criteria that gave a pair most of its points, in one line."""
    return summary(criteria or []).capitalize()


@register.filter
def standing(criteria: list[dict[str, Any]]) -> str:
    """How the pair's score compares with the leader's other possible partners."""
    return standing_of(criteria or []).capitalize()


@register.filter
def policy_items(lines: list[str]) -> list[tuple[str, list[str]]]:
    """The engine's policy lines, with its "- criterion" lines nested under the line before."""
    items: list[tuple[str, list[str]]] = []
    for line in lines or []:
        if line.startswith("- ") and items:
            items[-1][1].append(line[2:])
        else:
            items.append((line, []))
    return items


@register.simple_tag(takes_context=True)
def my_match(context: template.Context, programme_slug: str) -> Any:
    """The signed-in person's live (or latest) match in one programme, as they may see it."""
    user = context.get("user") or getattr(context.get("request"), "user", None)
    for proposal in _page_proposals(user):
        if proposal.programme_slug == programme_slug:
            return proposal
    return None
