"""The coordinator's running board."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from upward.preparation.views._common import coordinator_page
from upward.programmes.models import Programme

from .. import selectors

BOARD_PAGE = 100


@coordinator_page
def board(request: HttpRequest, programme: Programme) -> HttpResponse:
    """Each pair's health, meeting time and goal figures, a hundred pairs a page; the quiet
    pairs of the whole programme above."""
    allowance = (programme.hours_per_month or 0) * 60
    today = timezone.localdate()
    # Page the pairs' ids first, so the figures are worked out for one page of pairs only.
    ids = programme.pairs.order_by("since", "pk").values_list("pk", flat=True)
    page = Paginator(ids, BOARD_PAGE).get_page(request.GET.get("page", "1")[:7])
    shown = selectors.board_pairs(programme).filter(pk__in=list(page.object_list))
    rows = [(p, selectors.health_of(p, today)) for p in shown]
    return render(
        request,
        "running/board.html",
        {
            "programme": programme,
            "rows": rows,
            "page": page,
            "quiet": selectors.quiet_pairs(programme),
            "allowance": allowance,
            "quiet_weeks": selectors.quiet_weeks(),
        },
    )
