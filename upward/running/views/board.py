"""The coordinator's running board: each pair's health, the answers people chose to share, the
no-fault rematch after a low fit, and the programme's running settings."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from upward.core.versioning import VersionConflict
from upward.pairs.errors import PairVersionConflict
from upward.pairs.models import Pair
from upward.pairs.selectors import RELATED
from upward.preparation.views._common import coordinator_page, version_of
from upward.programmes.models import Programme

from .. import selectors
from ..errors import RunningRuleBroken
from ..programme_settings import QUIET_MAX, QUIET_MIN, running_settings_save
from ..rematch import rematch_offer

BOARD_PAGE = 50


@coordinator_page
def board(request: HttpRequest, programme: Programme) -> HttpResponse:
    """Each pair's health, meeting time and goal figures, fifty pairs a page; the quiet
    pairs of the whole programme above."""
    allowance = (programme.hours_per_month or 0) * 60
    today = timezone.localdate()
    weeks = selectors.quiet_weeks(programme)
    # Page the pairs' ids first, so the figures are worked out for one page of pairs only.
    ids = programme.pairs.order_by("since", "pk").values_list("pk", flat=True)
    page = Paginator(ids, BOARD_PAGE).get_page(request.GET.get("page", "1")[:7])
    page_ids = list(page.object_list)
    shown = selectors.board_pairs(programme).filter(pk__in=page_ids)
    shared = selectors.shared_answers(page_ids)
    rows = [(p, selectors.health_of(p, today, weeks), shared.get(p.pk, [])) for p in shown]
    return render(
        request,
        "running/board.html",
        {
            "programme": programme,
            "rows": rows,
            "page": page,
            "quiet": selectors.quiet_pairs(programme, weeks),
            "allowance": allowance,
            "quiet_weeks": weeks,
        },
    )


@coordinator_page
@require_POST
def rematch(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    """Offer the pair a no-fault rematch: it ends, and both people wait for a new match."""
    pair = Pair.objects.select_related(*RELATED).filter(pk=pk, programme=programme).first()
    if pair is None:
        raise Http404("No such pair.")
    try:
        rematch_offer(pair=pair, by=request.user, version=version_of(request))
    except (RunningRuleBroken, PairVersionConflict) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"The pairing of {pair.leader.person.name} and {pair.mentor.person.name} has ended "
            "without fault. Both were told privately and wait for a rematch on the matching "
            "page.",
        )
    return redirect("running:board", slug=programme.slug)


@coordinator_page
def settings_page(request: HttpRequest, programme: Programme) -> HttpResponse:
    """The programme's running settings: the weeks without a meeting that make a pair quiet."""
    found = selectors.running_settings_of(programme)
    status = 200
    if request.method == "POST":
        raw = request.POST.get("quiet_weeks", "").strip()[:6]
        try:
            weeks = int(raw)
        except ValueError:
            weeks = 0
        try:
            running_settings_save(
                programme=programme,
                by=request.user,
                quiet_weeks=weeks,
                version=version_of(request) if request.POST.get("version") != "0" else 0,
            )
        except RunningRuleBroken as exc:
            messages.error(request, str(exc))
            status = 400
        except VersionConflict as exc:
            messages.error(request, str(exc))
            status = 409
        else:
            messages.success(request, "Saved. Health and reminders use the new number of weeks.")
            return redirect("running:settings", slug=programme.slug)
        found = selectors.running_settings_of(programme)
    return render(
        request,
        "running/settings.html",
        {
            "programme": programme,
            "settings": found,
            "site_default": selectors.site_quiet_weeks(),
            "low": QUIET_MIN,
            "high": QUIET_MAX,
            "draft": request.POST.get("quiet_weeks", "")[:6] if request.method == "POST" else "",
        },
        status=status,
    )
