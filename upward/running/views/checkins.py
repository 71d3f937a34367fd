"""Answering one's own check-ins."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from upward.preparation.views._common import report

from .. import selectors, services
from ..errors import RunningRuleBroken


@login_required
def checkin(request: HttpRequest, pk: int) -> HttpResponse:
    """Answer one's own check-in: a score from 1 to 5 and, if one likes, a private comment."""
    item = selectors.own_checkin_or_404(request.user, pk)
    status = 200
    if request.method == "POST":
        try:
            score = int(request.POST.get("score", "")[:2])
        except ValueError:
            score = 0
        try:
            services.checkin_answer(
                checkin=item,
                by=request.user,
                score=score,
                comment=request.POST.get("comment", "")[:4000],
                share=request.POST.get("share", "") == "yes",
            )
        except RunningRuleBroken as exc:
            status = report(request, exc)
        else:
            messages.success(
                request,
                "Thank you. Your comment is shared with the coordinator; the rest stays with you."
                if item.shared
                else "Thank you. Your answer stays with you.",
            )
            return redirect("running:mine")
    draft = request.POST if request.method == "POST" else {}
    return render(request, "running/checkin.html", {"item": item, "draft": draft}, status=status)
