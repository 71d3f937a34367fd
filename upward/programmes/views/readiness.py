"""The readiness board: checklist, stakeholder interviews, the gate and its override, and
opening or closing applications."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from upward.core.versioning import VersionConflict, conflict_form

from .. import selectors, services
from ..errors import RuleBroken
from ..forms import (
    InterviewForm,
    OpenApplicationsForm,
    OpenCallForm,
    ReadinessItemAddForm,
    ReadinessItemForm,
    ReasonForm,
)
from ..models import Programme, ReadinessItem, StakeholderInterview
from ._common import coordinator_page, report


@coordinator_page
def board(request: HttpRequest, programme: Programme) -> HttpResponse:
    return render(
        request,
        "programmes/readiness/board.html",
        {
            "programme": programme,
            "tab": "readiness",
            "readiness": selectors.readiness_of(programme),
            "items": programme.readiness_items.select_related("completed_by"),
            "interviews": programme.interviews.select_related("organisation"),
            "themes": selectors.interview_themes(programme),
            "override_form": ReasonForm(),
            "open_form": OpenApplicationsForm(),
            "add_form": ReadinessItemAddForm(),
        },
    )


@coordinator_page
def item_edit(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    item = get_object_or_404(ReadinessItem, pk=pk, programme=programme)
    form = ReadinessItemForm(request.POST or None, instance=item)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # Re-read the item: a failed ModelForm validation must not leave it half-changed.
        fresh = ReadinessItem.objects.get(pk=item.pk)
        try:
            services.readiness_item_update(
                item=fresh,
                by=request.user,
                version=form.expected_version,
                status=data["status"],
                owner=data["owner"],
                evidence=data["evidence"],
                due_on=data["due_on"],
            )
        except VersionConflict as exc:
            item = ReadinessItem.objects.get(pk=item.pk)
            form = conflict_form(form, ReadinessItemForm(instance=item), exc)
            status = 409
        except RuleBroken as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"“{fresh.title}” updated.")
            return redirect("programmes:readiness", slug=programme.slug)
    return render(
        request,
        "programmes/readiness/item.html",
        {"programme": programme, "item": item, "form": form, "tab": "readiness"},
        status=status,
    )


@coordinator_page
@require_POST
def item_add(request: HttpRequest, programme: Programme) -> HttpResponse:
    form = ReadinessItemAddForm(request.POST)
    if form.is_valid():
        try:
            item = services.readiness_item_add(
                programme=programme,
                by=request.user,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
            )
        except RuleBroken as exc:
            report(request, exc)
        else:
            messages.success(request, f"“{item.title}” added to the checklist.")
    else:
        messages.error(request, "Give the new item a title of up to 200 characters.")
    return redirect("programmes:readiness", slug=programme.slug)


@coordinator_page
@require_POST
def item_remove(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    item = get_object_or_404(ReadinessItem, pk=pk, programme=programme)
    try:
        services.readiness_item_remove(item=item, by=request.user)
    except RuleBroken as exc:
        report(request, exc)
    else:
        messages.success(request, f"“{item.title}” removed from the checklist.")
    return redirect("programmes:readiness", slug=programme.slug)


@coordinator_page
@require_POST
def override(request: HttpRequest, programme: Programme) -> HttpResponse:
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.programme_readiness_override(
                programme=programme, by=request.user, reason=form.cleaned_data["reason"]
            )
        except RuleBroken as exc:
            report(request, exc)
        else:
            messages.warning(
                request,
                "Override recorded. Applications can open before the checklist is complete.",
            )
            return redirect("programmes:readiness", slug=programme.slug)
    else:
        for error in form.errors.get("reason", []):
            messages.error(request, str(error))
    return redirect("programmes:readiness", slug=programme.slug)


@coordinator_page
@require_POST
def open_applications(request: HttpRequest, programme: Programme) -> HttpResponse:
    form = OpenApplicationsForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("deadline", []):
            messages.error(request, str(error))
        return redirect("programmes:readiness", slug=programme.slug)
    try:
        services.programme_applications_open(
            programme=programme, by=request.user, deadline=form.cleaned_data["deadline"]
        )
    except RuleBroken as exc:
        report(request, exc)
        return redirect("programmes:readiness", slug=programme.slug)
    messages.success(request, "Applications are open. Next, invite people.")
    return redirect("programmes:invitations", slug=programme.slug)


@coordinator_page
@require_POST
def deadline(request: HttpRequest, programme: Programme) -> HttpResponse:
    form = OpenApplicationsForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("deadline", []):
            messages.error(request, str(error))
        return redirect("programmes:detail", slug=programme.slug)
    try:
        services.programme_deadline_set(
            programme=programme, by=request.user, deadline=form.cleaned_data["deadline"]
        )
    except RuleBroken as exc:
        report(request, exc)
    else:
        messages.success(request, "Deadline saved.")
    return redirect("programmes:detail", slug=programme.slug)


@coordinator_page
@require_POST
def close_applications(request: HttpRequest, programme: Programme) -> HttpResponse:
    try:
        services.programme_applications_close(programme=programme, by=request.user)
    except RuleBroken as exc:
        report(request, exc)
    else:
        messages.success(request, "Applications are closed. Applicants can no longer change them.")
    return redirect("programmes:detail", slug=programme.slug)


@coordinator_page
@require_POST
def open_call(request: HttpRequest, programme: Programme) -> HttpResponse:
    form = OpenCallForm(request.POST, version=programme.version)
    back = (
        "programmes:invitations"
        if request.POST.get("back") == "invitations"
        else "programmes:detail"
    )
    if not form.is_valid():
        for error in form.non_field_errors():
            messages.error(request, str(error))
        return redirect(back, slug=programme.slug)
    try:
        services.programme_open_call_set(
            programme=programme,
            by=request.user,
            version=form.expected_version,
            leaders=form.cleaned_data.get("leaders", False),
            mentors=form.cleaned_data.get("mentors", False),
        )
    except VersionConflict as exc:
        # The page it goes back to shows the open call as it is saved now.
        messages.error(request, str(exc))
        return redirect(back, slug=programme.slug)
    sides = [
        word
        for word, on in (
            ("leaders", programme.open_call_leaders),
            ("mentors", programme.open_call_mentors),
        )
        if on
    ]
    if sides:
        messages.success(
            request,
            "Open call saved: anyone in the programme's organisations may apply as "
            + " or ".join(sides)
            + (" once applications open." if not programme.applications_opened_at else "."),
        )
    else:
        messages.success(request, "Open call ended: only invited people can apply.")
    return redirect(back, slug=programme.slug)


def _interview_form_page(
    request: HttpRequest, programme: Programme, interview: StakeholderInterview | None
) -> HttpResponse:
    form = InterviewForm(request.POST or None, instance=interview, programme=programme)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            "interviewee": data["interviewee"],
            "role": data["role"],
            "held_on": data["held_on"],
            "problems": data["problems"],
            "themes": data["themes"],
            "organisation": data["organisation"],
        }
        try:
            if interview is None:
                services.interview_record(programme=programme, by=request.user, **fields)
            else:
                services.interview_update(
                    interview=StakeholderInterview.objects.get(pk=interview.pk),
                    by=request.user,
                    version=form.expected_version,
                    **fields,
                )
        except VersionConflict as exc:
            interview = StakeholderInterview.objects.get(pk=form.instance.pk)
            fresh = InterviewForm(instance=interview, programme=programme)
            form = conflict_form(form, fresh, exc)
            status = 409
        except RuleBroken as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Interview saved.")
            return redirect("programmes:readiness", slug=programme.slug)
    return render(
        request,
        "programmes/readiness/interview.html",
        {"programme": programme, "form": form, "interview": interview, "tab": "readiness"},
        status=status,
    )


@coordinator_page
def interview_new(request: HttpRequest, programme: Programme) -> HttpResponse:
    return _interview_form_page(request, programme, None)


@coordinator_page
def interview_edit(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    interview = get_object_or_404(StakeholderInterview, pk=pk, programme=programme)
    return _interview_form_page(request, programme, interview)


@coordinator_page
@require_POST
def interview_delete(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    interview = get_object_or_404(StakeholderInterview, pk=pk, programme=programme)
    services.interview_delete(interview=interview, by=request.user)
    messages.success(request, "Interview deleted.")
    return redirect("programmes:readiness", slug=programme.slug)
