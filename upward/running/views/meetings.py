"""Meeting pages: one's meetings, a pair's meetings (propose, pick, move, cancel, outcome,
invitation), the private calendar feed and the choice of reminders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from upward.accounts.models import User
from upward.preparation.views._common import site_url, version_of

from .. import selectors, services
from ..emails import feed_ics, meeting_ics
from ..errors import RunningRuleBroken
from ..forms import MoveForm, OutcomeForm, ProposeForm
from ..models import CalendarFeed, Meeting, NudgePreference
from ..zones import shown_in
from ._common import _done, _meeting_post, _zone_of


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    pairs = list(selectors.own_pairs(request.user)[:100])
    upcoming = selectors.next_meeting(request.user, [p.pk for p in pairs])
    context = {
        "pairs": pairs,
        "next": upcoming,
        # In the person's own time zone, as on the pair's meetings page.
        "next_text": shown_in(upcoming.starts_at, _zone_of(request.user))
        if upcoming is not None and upcoming.starts_at is not None
        else "",
        "checkins": list(selectors.open_checkins(request.user)),
        "nudge_every": NudgePreference.objects.filter(user_id=request.user.pk or 0)
        .values_list("every_days", flat=True)
        .first()
        or NudgePreference.Every.WEEK,
        "nudge_choices": NudgePreference.Every.choices,
        "has_feed": CalendarFeed.objects.filter(user_id=request.user.pk or 0).exists(),
        "feed_url": request.session.pop("running_feed_url", ""),
    }
    return render(request, "running/mine.html", context)


def _pair_page(
    request: HttpRequest, pk: int, form: ProposeForm | None = None, status: int = 200
) -> HttpResponse:
    pair = selectors.member_pair_or_404(request.user, pk)
    meetings = selectors.meetings_of(pair)
    rows = []
    for meeting in meetings:
        moments = (
            [o.starts_at for o in meeting.options.all()] if meeting.state == "proposed" else []
        )
        rows.append(
            {
                "meeting": meeting,
                "when": selectors.both_zones(pair, meeting.starts_at) if meeting.starts_at else [],
                "options": [
                    (o, selectors.both_zones(pair, o.starts_at)) for o in meeting.options.all()
                ]
                if moments
                else [],
                "mine": meeting.proposed_by_id == request.user.pk,
            }
        )
    context = {
        "pair": pair,
        "side": pair.side_of(request.user),
        "rows": rows,
        "totals": selectors.time_totals(pair),
        "form": form or ProposeForm(initial={"zone": _zone_of(request.user), "minutes": 60}),
        "outcome_choices": [(Meeting.State.HELD, "Held"), (Meeting.State.NO_SHOW, "No-show")],
        "zone": _zone_of(request.user),
    }
    return render(request, "running/pair.html", context, status=status)


@login_required
def pair_meetings(request: HttpRequest, pk: int) -> HttpResponse:
    return _pair_page(request, pk)


@login_required
@require_POST
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    pair = selectors.member_pair_or_404(request.user, pk)
    form = ProposeForm(request.POST)
    if not form.is_valid():
        return _pair_page(request, pk, form, status=400)
    try:
        services.meeting_propose(
            pair=pair,
            by=request.user,
            times=form.cleaned_data["times"],
            minutes=form.cleaned_data["minutes"],
            place=form.cleaned_data["place"],
        )
    except RunningRuleBroken as exc:
        form.add_error(None, str(exc))
        return _pair_page(request, pk, form, status=400)
    messages.success(request, "Proposed. The other person picks one of the times.")
    return redirect("running:pair", pk=pair.pk)


@login_required
@require_POST
def pick(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_post(request, pk)
    try:
        option_id = int(request.POST.get("option", "")[:12])
    except ValueError:
        option_id = 0
    return _done(
        request,
        meeting,
        lambda: services.meeting_pick(
            meeting=meeting,
            by=request.user,
            option_id=option_id,
            version=version_of(request),
            base_url=site_url(request),
        ),
        "Arranged. You both get a calendar invitation by email.",
    )


@login_required
@require_POST
def move(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_post(request, pk)
    form = MoveForm(request.POST)
    if not form.is_valid() or not form.cleaned_data["times"]:
        errors = [str(e) for e in form.non_field_errors()] or [
            "Give the new date and time, and a time zone."
        ]
        messages.error(request, errors[0])
        return redirect("running:pair", pk=meeting.pair_id)
    return _done(
        request,
        meeting,
        lambda: services.meeting_move(
            meeting=meeting,
            by=request.user,
            starts_at=form.cleaned_data["times"][0],
            version=form.cleaned_data["version"],
            base_url=site_url(request),
        ),
        "Moved. You both get the updated invitation.",
    )


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_post(request, pk)
    return _done(
        request,
        meeting,
        lambda: services.meeting_cancel(
            meeting=meeting,
            by=request.user,
            version=version_of(request),
            base_url=site_url(request),
        ),
        "Cancelled.",
    )


@login_required
@require_POST
def outcome(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_post(request, pk)
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose held or no-show, with the length in minutes (0 to 480).")
        return redirect("running:pair", pk=meeting.pair_id)
    data = form.cleaned_data
    return _done(
        request,
        meeting,
        lambda: services.meeting_record(
            meeting=meeting,
            by=request.user,
            outcome=data["outcome"],
            minutes=data["minutes"] or 0,
            topics=data["topics"],
            version=data["version"],
        ),
        "Saved.",
    )


@login_required
def meeting_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_or_404(request.user, pk)
    if meeting.starts_at is None:
        raise Http404("No time has been chosen for this meeting yet.")
    response = HttpResponse(
        meeting_ics(meeting, request.user, site_url(request)),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


@login_required
@require_POST
def feed_reset(request: HttpRequest) -> HttpResponse:
    token = services.feed_reset(user=request.user)
    request.session["running_feed_url"] = request.build_absolute_uri(
        f"/calendar/{token}/meetings.ics"
    )
    messages.success(
        request, "Your new calendar address is below. Any older address has stopped working."
    )
    return redirect("running:mine")


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private feed: no sign-in (calendar apps cannot), the secret token is the key."""
    if len(token) > 100:
        raise Http404("No such calendar.")
    found = (
        CalendarFeed.objects.filter(token_hash=services.feed_hash(token))
        .values_list("user_id", flat=True)
        .first()
    )
    if found is None:
        raise Http404("No such calendar.")
    user = User.objects.select_related("person").get(pk=found)
    response = HttpResponse(
        feed_ics(list(selectors.feed_meetings(user)), user),
        content_type="text/calendar; charset=utf-8",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def nudges(request: HttpRequest) -> HttpResponse:
    """Choose how often reminders about one's pair may come."""
    from ..nudges import nudge_preference_set

    try:
        every = int(request.POST.get("every_days", "")[:3])
        nudge_preference_set(user=request.user, every_days=every)
    except ValueError:
        messages.error(request, "Choose once a week, a fortnight, a month, or never.")
        return redirect("running:mine")
    messages.success(request, "Saved: reminders follow your choice.")
    return redirect("running:mine")
