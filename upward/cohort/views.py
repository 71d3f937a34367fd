"""Pages of cohort life: the cohort space (posts, replies, reports; the coordinator's
announcements and hiding), a pair's private thread (its two people only), notification
choices, the mid-point questionnaire, and the coordinator's view of the cohort events."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from upward.accounts.permissions import can_coordinate
from upward.core.versioning import VersionConflict
from upward.notifications.models import Every
from upward.pairs.selectors import pairs_of_user
from upward.preparation.emails import person_zone
from upward.preparation.views._common import coordinator_page, site_url, version_of
from upward.programmes.models import Programme

from . import midpoint, selectors, services
from .errors import CohortRuleBroken

LIMIT = 20000  # longer than any text accepted: the service refuses it with a message


def report(request: HttpRequest, error: CohortRuleBroken) -> int:
    """Show the reason nothing changed; 409 for a stale version, else 400."""
    messages.error(request, str(error))
    return 409 if isinstance(error, VersionConflict) else 400


@login_required
def spaces(request: HttpRequest) -> HttpResponse:
    context = {
        "spaces": selectors.spaces_of(request.user),
        "pairs": [p for p in pairs_of_user(request.user)],
        "events": selectors.my_events(request.user),
    }
    return render(request, "cohort/spaces.html", context)


def _space_page(
    request: HttpRequest, programme: Programme, status: int = 200, draft: str = ""
) -> HttpResponse:
    coordinator = can_coordinate(request.user, programme)
    context = {
        "programme": programme,
        "posts": selectors.posts_of(programme, request.user),
        "coordinator": coordinator,
        "reports": list(selectors.open_reports(programme)) if coordinator else [],
        "events": [
            (w, place)
            for w, place in selectors.my_events(request.user)
            if w.programme_id == programme.pk
        ],
        "draft": draft,
        "max_length": services.MAX_POST,
    }
    return render(request, "cohort/space.html", context, status=status)


@login_required
def space(request: HttpRequest, slug: str) -> HttpResponse:
    return _space_page(request, selectors.space_or_404(request.user, slug))


@login_required
@require_POST
def post_add(request: HttpRequest, slug: str) -> HttpResponse:
    programme = selectors.space_or_404(request.user, slug)
    body = request.POST.get("body", "")[:LIMIT]
    try:
        services.post_create(
            programme=programme,
            by=request.user,
            body=body,
            announcement=request.POST.get("announcement") == "on",
            pinned=request.POST.get("announcement") == "on",
            base_url=site_url(request),
        )
    except CohortRuleBroken as exc:
        return _space_page(request, programme, status=report(request, exc), draft=body)
    messages.success(request, "Posted. Everyone in the cohort space can read it.")
    return redirect("cohort:space", slug=programme.slug)


@login_required
@require_POST
def reply_add(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_or_404(request.user, pk)
    try:
        services.reply_create(
            post=post,
            by=request.user,
            body=request.POST.get("body", "")[:LIMIT],
            base_url=site_url(request),
        )
    except CohortRuleBroken as exc:
        return _space_page(request, post.programme, status=report(request, exc))
    messages.success(request, "Reply posted.")
    return redirect("cohort:space", slug=post.programme.slug)


@login_required
@require_POST
def post_report(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_or_404(request.user, pk)
    try:
        services.post_report(
            post=post, by=request.user, reason=request.POST.get("reason", "")[:LIMIT]
        )
    except CohortRuleBroken as exc:
        return _space_page(request, post.programme, status=report(request, exc))
    messages.success(
        request, "Thank you. The coordinator will look at it; the author is not told who asked."
    )
    return redirect("cohort:space", slug=post.programme.slug)


@login_required
@require_POST
def post_hide(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_or_404(request.user, pk)
    if not can_coordinate(request.user, post.programme):
        from django.http import Http404

        raise Http404("No such post.")
    try:
        services.post_hide(post=post, by=request.user, version=version_of(request))
    except CohortRuleBroken as exc:
        return _space_page(request, post.programme, status=report(request, exc))
    messages.success(request, "Hidden. Participants no longer see it.")
    return redirect("cohort:space", slug=post.programme.slug)


def _thread_page(request: HttpRequest, pk: int, status: int = 200, draft: str = "") -> HttpResponse:
    pair = selectors.member_pair_or_404(request.user, pk)
    side = pair.side_of(request.user)
    partner = pair.mentor if side == "leader" else pair.leader
    context = {
        "pair": pair,
        "partner": partner.person,
        "thread": selectors.messages_of(pair),
        "draft": draft,
        "max_length": services.MAX_MESSAGE,
    }
    return render(request, "cohort/messages.html", context, status=status)


@login_required
def pair_messages(request: HttpRequest, pk: int) -> HttpResponse:
    return _thread_page(request, pk)


@login_required
@require_POST
def message_send(request: HttpRequest, pk: int) -> HttpResponse:
    pair = selectors.member_pair_or_404(request.user, pk)
    body = request.POST.get("body", "")[:LIMIT]
    try:
        services.message_send(pair=pair, by=request.user, body=body, base_url=site_url(request))
    except CohortRuleBroken as exc:
        return _thread_page(request, pk, status=report(request, exc), draft=body)
    messages.success(request, "Sent. Only the two of you can read it.")
    return redirect("cohort:messages", pk=pair.pk)


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    status = 200
    if request.method == "POST":
        try:
            services.preference_set(
                user=request.user,
                posts=request.POST.get("posts", ""),
                messages=request.POST.get("messages", ""),
            )
        except CohortRuleBroken as exc:
            status = report(request, exc)
        else:
            messages.success(request, "Your notification choices are saved.")
            return redirect("cohort:preferences")
    pref = selectors.preference_of(request.user)
    return render(
        request,
        "cohort/preferences.html",
        {"pref": pref, "choices": Every.choices},
        status=status,
    )


@login_required
def checkin(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = selectors.midpoint_for_user(request.user, pk)
    status = 200
    given: dict[str, Any] = {}
    if request.method == "POST":
        given = {k: request.POST.get(k, "") for k, _ in midpoint.QUESTIONS}
        try:
            midpoint.midpoint_answer(workshop=workshop, user=request.user, answers=given)
        except CohortRuleBroken as exc:
            status = report(request, exc)
        else:
            messages.success(request, "Thank you. Your answers are stored with no link to you.")
            return redirect("cohort:checkin", pk=workshop.pk)
    context = {
        "workshop": workshop,
        "answered": selectors.has_answered(request.user, workshop),
        "closed": timezone.now() > selectors.answers_close_at(workshop),
        "questions": midpoint.QUESTIONS,
        "scale": sorted(midpoint.SCALE_WORDS.items()),
        "given": given,
    }
    return render(request, "cohort/checkin.html", context, status=status)


@coordinator_page
def events(request: HttpRequest, programme: Programme) -> HttpResponse:
    from upward.core.ics import zone

    tz = zone(person_zone(request.user))
    rows = []
    for w in selectors.events_of(programme):
        results = midpoint.midpoint_results(w) if w.kind == "midpoint" else None
        rows.append((w, w.starts_at.astimezone(tz), results))
    return render(
        request,
        "cohort/events.html",
        {"programme": programme, "rows": rows, "zone": str(tz), "now": timezone.now()},
    )


@coordinator_page
@require_POST
def invite_all(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    event = selectors.event_of_programme_or_404(programme, pk)
    try:
        n = services.event_invite_all(workshop=event, by=request.user, base_url=site_url(request))
    except CohortRuleBroken as exc:
        messages.error(request, str(exc))
        return redirect("cohort:events", slug=programme.slug)
    messages.success(request, f"{n} people booked and sent a calendar invitation.")
    return redirect("cohort:events", slug=programme.slug)
