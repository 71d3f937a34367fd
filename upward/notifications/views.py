"""Pages of notifications: each person's choices, and the unsubscribe link's page (no sign-in
needed: the signed link is the permission)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import catalogue, selectors, services
from .errors import NotificationRuleBroken
from .tokens import WHOLE_DIGEST


def _rows(choices: dict[str, str]) -> list[dict[str, object]]:
    return [
        {
            "key": key,
            "name": category.name,
            "every": choices[key],
            "choosable": catalogue.choosable(key),
            "events": catalogue.events_of(key),
        }
        for key, category in catalogue.CATEGORIES.items()
    ]


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    status = 200
    choices = selectors.choices_of(request.user)
    if request.method == "POST":
        # The categories the form sent; a category left out keeps its choice.
        given = {
            key: request.POST[key][:10]
            for key in catalogue.CATEGORIES
            if catalogue.choosable(key) and key in request.POST
        }
        try:
            services.preferences_set(user=request.user, choices=given)
        except NotificationRuleBroken as exc:
            messages.error(request, str(exc))
            status = 400
            choices = {**choices, **{k: v for k, v in given.items() if v in catalogue.EVERY}}
        else:
            messages.success(request, "Your notification choices are saved.")
            return redirect("notifications:settings")
    return render(
        request,
        "notifications/settings.html",
        {"rows": _rows(choices), "every": list(catalogue.EVERY.items())},
        status=status,
    )


# The link in an email is followed by people who are not signed in, and mail programs send the
# one-click POST of RFC 8058 with no session and no CSRF token: the signed token is the only
# permission, and it can only ever turn emails off.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        found = services.unsubscribe_check(token=token)
    except NotificationRuleBroken as exc:
        return render(
            request, "notifications/unsubscribe_invalid.html", {"reason": str(exc)}, status=400
        )
    what = (
        "your daily digest"
        if found.category == WHOLE_DIGEST
        else f'emails about "{catalogue.CATEGORIES[found.category].name}"'
    )
    if request.method == "POST":
        stopped = services.unsubscribe(token=token)
        return render(
            request,
            "notifications/unsubscribed.html",
            {"what": what, "stopped": [catalogue.CATEGORIES[c].name for c in stopped]},
        )
    return render(request, "notifications/unsubscribe.html", {"what": what, "token": token})
