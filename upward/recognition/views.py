"""Pages of recognition: the coordinator's completion page and close-out, the holder's
certificates, the public verification page and the pair's stories."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from upward.core.versioning import VersionConflict
from upward.pairs.selectors import pair_or_404, pairs_of_user
from upward.preparation.views._common import coordinator_page, version_of
from upward.programmes.models import Programme

from . import selectors, services
from .errors import RecognitionRuleBroken
from .forms import ReasonForm, RulesForm, StoryEditForm, StoryForm, VerifyForm
from .models import Closure
from .pdf import certificate_pdf
from .throttling import verify_retry_after


def _refused(request: HttpRequest, error: Exception) -> int:
    messages.error(request, str(error))
    return 409 if isinstance(error, VersionConflict) else 400


def verify_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("recognition:verify"))


# --- the coordinator's pages -----------------------------------------------------------------


def _completion_page(
    request: HttpRequest, programme: Programme, status: int = 200, **extra: Any
) -> HttpResponse:
    rules = selectors.rules_of(programme)
    rows = selectors.completion_status(programme)
    context = {
        "programme": programme,
        "tab": "recognition",
        "rules": rules,
        "rule_words": selectors.rule_words(rules),
        "rules_form": extra.pop(
            "rules_form",
            RulesForm(
                initial={
                    "agreement_signed": rules.agreement_signed,
                    "training_done": rules.training_done,
                    "min_meetings": rules.min_meetings,
                    "final_checkin": rules.final_checkin,
                    "version": rules.version,
                }
            ),
        ),
        "completing": [r for r in rows if r.completes],
        "not_completing": [r for r in rows if not r.completes],
        "closure": Closure.objects.filter(programme=programme).first(),
        **extra,
    }
    return render(request, "recognition/completion.html", context, status=status)


@coordinator_page
def completion(request: HttpRequest, programme: Programme) -> HttpResponse:
    return _completion_page(request, programme)


@coordinator_page
@require_POST
def rules(request: HttpRequest, programme: Programme) -> HttpResponse:
    form = RulesForm(request.POST)
    if not form.is_valid():
        return _completion_page(request, programme, 400, rules_form=form)
    try:
        services.rules_set(programme=programme, by=request.user, **form.cleaned_data)
    except (RecognitionRuleBroken, VersionConflict) as e:
        return _completion_page(request, programme, _refused(request, e), rules_form=form)
    messages.success(request, "The completion rules were saved.")
    return redirect("recognition:completion", programme.slug)


@coordinator_page
@require_POST
def grant(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    application = selectors.application_in(programme, pk)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise RecognitionRuleBroken(
                "Give the reason for granting completion (1,000 characters at most)."
            )
        services.completion_grant(
            programme=programme,
            application=application,
            by=request.user,
            reason=form.cleaned_data["reason"],
        )
    except RecognitionRuleBroken as e:
        return _completion_page(request, programme, _refused(request, e))
    messages.success(request, f"Completion was granted to {application.person.name}.")
    return redirect("recognition:completion", programme.slug)


@coordinator_page
@require_POST
def issue(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    application = selectors.application_in(programme, pk)
    try:
        services.certificate_issue(programme=programme, application=application, by=request.user)
    except RecognitionRuleBroken as e:
        return _completion_page(request, programme, _refused(request, e))
    messages.success(request, f"A certificate was issued to {application.person.name}.")
    return redirect("recognition:completion", programme.slug)


@coordinator_page
@require_POST
def revoke(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    certificate = selectors.certificate_of_coordinator(request.user, programme, pk)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise RecognitionRuleBroken("Give the reason for withdrawing the certificate.")
        services.certificate_revoke(
            certificate=certificate, by=request.user, reason=form.cleaned_data["reason"]
        )
    except RecognitionRuleBroken as e:
        return _completion_page(request, programme, _refused(request, e))
    messages.success(request, f"The certificate of {certificate.holder_name} was withdrawn.")
    return redirect("recognition:completion", programme.slug)


def _retention_preview(programme: Programme) -> dict[str, dict[str, int]]:
    """What retention would delete today, counted by running every purger and rolling back."""
    from django.db import transaction

    from upward.privacy import registry

    class Preview(Exception):
        def __init__(self, summary: dict[str, dict[str, int]]) -> None:
            self.summary = summary

    try:
        with transaction.atomic():
            raise Preview(
                {
                    section: purger(programme)
                    for section, purger in registry.retention_purgers().items()
                }
            )
    except Preview as p:
        return p.summary


@coordinator_page
def close(request: HttpRequest, programme: Programme) -> HttpResponse:
    """The close-out: first what it will do and delete, and when; then, on confirmation, do it."""
    from django.utils import timezone

    from upward.pairs.models import Pair

    status = 200
    if request.method == "POST":
        version = version_of(request)
        try:
            if version is None:
                raise RecognitionRuleBroken("Reload the page: the version you saw is missing.")
            closure = services.programme_close(
                programme=programme, by=request.user, version=version
            )
        except (RecognitionRuleBroken, VersionConflict) as e:
            status = _refused(request, e)
            programme.refresh_from_db()
        else:
            done = closure.summary
            messages.success(
                request,
                f"{programme.name} is closed: {done['pairs_completed']} pairs completed, "
                f"{done['certificates_issued']} certificates issued.",
            )
            return redirect("recognition:completion", programme.slug)
    today = timezone.localdate()
    closed = Closure.objects.filter(programme=programme).first()
    pairs = Pair.objects.filter(programme=programme)
    rows = selectors.completion_status(programme)
    context = {
        "programme": programme,
        "tab": "recognition",
        "closure": closed,
        "to_complete": pairs.filter(state__in=[Pair.State.ACTIVE, Pair.State.PAUSED]).count(),
        "to_end": pairs.filter(state=Pair.State.PREPARING).count(),
        "certificates": [r for r in rows if r.completes and r.certificate is None],
        "surveys": services.final_survey_instruments(programme),
        "retention_on": services.retention_date(programme, today),
        "retention_now": services.retention_date(programme, today) <= today,
        "preview": _retention_preview(programme) if closed is None else {},
    }
    return render(request, "recognition/close.html", context, status=status)


def _sponsor_or_coordinator(request: HttpRequest, slug: str) -> Programme:
    programme = get_object_or_404(Programme, slug=slug[:80])
    if not selectors.may_see_recognition_list(request.user, programme):
        raise Http404("No such programme.")
    return programme


@login_required
def sponsor_index(request: HttpRequest) -> HttpResponse:
    """A sponsor's way in: the recognition list and the stories of each programme sponsored."""
    return render(
        request,
        "recognition/index.html",
        {"programmes": selectors.sponsored_programmes(request.user)},
    )


@login_required
def recognition_list(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _sponsor_or_coordinator(request, slug)
    return render(
        request,
        "recognition/list.html",
        {"programme": programme, "rows": selectors.recognition_list(programme)},
    )


@login_required
def stories_published(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_object_or_404(Programme, slug=slug[:80])
    if not selectors.may_read_stories(request.user, programme):
        raise Http404("No such programme.")
    return render(
        request,
        "recognition/published.html",
        {"programme": programme, "stories": selectors.published(programme)},
    )


# --- the holder's certificates ---------------------------------------------------------------


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    certificates = selectors.certificates_of(request.user)
    return render(
        request,
        "recognition/mine.html",
        {
            "certificates": [
                (c, selectors.listed(request.user, c.programme)) for c in certificates
            ],
            "verify_url": verify_url(request),
            "pairs": list(pairs_of_user(request.user)),
        },
    )


@login_required
def certificate_download(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = selectors.certificate_of_holder(request.user, pk)
    if certificate.revoked:
        raise Http404("This certificate was withdrawn.")
    response = HttpResponse(
        certificate_pdf(certificate, verify_url(request)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def listing(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = selectors.certificate_of_holder(request.user, pk)
    wanted = request.POST.get("listed") == "yes"
    try:
        services.listing_set(user=request.user, programme=certificate.programme, listed=wanted)
    except RecognitionRuleBroken as e:
        messages.error(request, str(e))
        return redirect("recognition:mine")
    messages.success(
        request,
        "You are on the programme's recognition list."
        if wanted
        else "You are no longer on the programme's recognition list.",
    )
    return redirect("recognition:mine")


# --- public verification ---------------------------------------------------------------------


def _limited(request: HttpRequest) -> HttpResponse | None:
    wait = verify_retry_after(request)
    if wait is None:
        return None
    response = render(request, "recognition/verify_limited.html", {"wait": wait}, status=429)
    response["Retry-After"] = str(wait)
    return response


def verify(request: HttpRequest) -> HttpResponse:
    """The form; a code given in the query is checked on its own page."""
    form = VerifyForm(request.GET or None)
    if request.GET and form.is_valid():
        code = selectors.normalise_code(form.cleaned_data["code"]) or "-"
        return redirect("recognition:verify_code", code=code)
    return render(request, "recognition/verify.html", {"form": form})


def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    limited = _limited(request)
    if limited is not None:
        return limited
    result = selectors.verify(code)
    response = render(
        request, "recognition/verified.html", {"result": result, "form": VerifyForm()}
    )
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


# --- the pair's stories ----------------------------------------------------------------------


@login_required
def pair_stories(request: HttpRequest, pk: int) -> HttpResponse:
    pair = pair_or_404(request.user, pk)
    if pair.side_of(request.user) is None:
        raise Http404("No such pair.")
    form = StoryForm(request.POST or None)
    status = 200
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise RecognitionRuleBroken("Give the story a title and its text.")
            story = services.story_draft(pair=pair, by=request.user, **form.cleaned_data)
        except RecognitionRuleBroken as e:
            status = _refused(request, e)
        else:
            messages.success(request, "Your draft was saved. Nobody has agreed to publish it yet.")
            return redirect("recognition:story", story.pk)
    return render(
        request,
        "recognition/pair_stories.html",
        {"pair": pair, "stories": selectors.stories_of_pair(pair), "form": form},
        status=status,
    )


def _story_page(
    request: HttpRequest, story: Any, form: Any = None, status: int = 200
) -> HttpResponse:
    side = story.pair.side_of(request.user)
    other = "mentor" if side == "leader" else "leader"
    words = services.identifying_words(story.pair, f"{story.title}\n{story.body}")
    return render(
        request,
        "recognition/story.html",
        {
            "story": story,
            "pair": story.pair,
            "mine": story.consent_of(side),
            "theirs": story.consent_of(other),
            "named": words if story.anonymised else [],
            "form": form
            or StoryEditForm(
                initial={
                    "title": story.title,
                    "body": story.body,
                    "anonymised": story.anonymised,
                    "version": story.version,
                }
            ),
        },
        status=status,
    )


@login_required
def story(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.story_for(request.user, pk)
    if request.method != "POST":
        return _story_page(request, found)
    form = StoryEditForm(request.POST)
    try:
        if not form.is_valid():
            raise RecognitionRuleBroken("Give the story a title and its text.")
        services.story_edit(story=found, by=request.user, **form.cleaned_data)
    except (RecognitionRuleBroken, VersionConflict) as e:
        found = selectors.story_for(request.user, pk)
        return _story_page(request, found, form, _refused(request, e))
    messages.success(request, "Saved. Both of you need to agree to the new text again.")
    return redirect("recognition:story", found.pk)


@login_required
@require_POST
def story_consent(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.story_for(request.user, pk)
    version = version_of(request)
    try:
        if version is None:
            raise RecognitionRuleBroken("Reload the page: the version you read is missing.")
        services.story_consent(story=found, by=request.user, version=version)
    except (RecognitionRuleBroken, VersionConflict) as e:
        return _story_page(
            request, selectors.story_for(request.user, pk), None, _refused(request, e)
        )
    messages.success(request, "You agreed to publishing this text.")
    return redirect("recognition:story", found.pk)


@login_required
@require_POST
def story_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.story_for(request.user, pk)
    services.story_withdraw(story=found, by=request.user)
    messages.success(request, "Your agreement was withdrawn: the story is not published.")
    return redirect("recognition:story", found.pk)
