"""Starting, following, cancelling and failing matching runs; the run through the task worker."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from upward.matches import services
from upward.matches.errors import MatchRuleBroken
from upward.matches.models import MatchingRun, ProposedPair, RunChange
from upward.matches.services import runs as run_services
from upward.matching import MatchingInputError, MatchingProblem
from upward.programmes.models import Application, Cohort

from .conftest import Cast, client_for, finish

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.mark.django_db(transaction=True)
def test_a_run_started_from_the_page_completes_through_the_task_worker(cast: Cast) -> None:
    coordinator = client_for(cast.coordinator)
    slug = cast.programme.slug
    with override_settings(TASKS=DATABASE_TASKS):
        response = coordinator.post(reverse("matches:start", args=[slug]), {"cohort": ""})
        run = MatchingRun.objects.get(programme=cast.programme)
        assert response.status_code == 302
        assert response["Location"] == reverse("matches:run", args=[slug, run.number])
        # Queued, not run at once: the page shows its progress and a way to cancel it.
        assert run.status == MatchingRun.Status.QUEUED
        page = coordinator.get(response["Location"]).content.decode()
        assert "waiting to start" in page and "Cancel this run" in page
        assert 'hx-trigger="every 1s"' in page and "<progress" in page
        call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    run.refresh_from_db()
    assert run.status == MatchingRun.Status.DONE
    assert run.stage == MatchingRun.Stage.FINISHED and run.progress == 1.0
    assert run.pairs.count() == run.stats["pairs"] > 0
    assert run.leaders_count == 8 and run.mentors_count == 10
    assert set(run.timings) >= {"load", "candidates", "solve", "explain", "engine", "save"}
    assert len(run.inputs_fingerprint) == 64
    assert run.policy["settings"]["weights"]["topics"] == 5
    assert any("reporting line" in line for line in run.policy_words)
    # The polled fragment now asks the page to reload into the review.
    poll = coordinator.get(
        reverse("matches:run", args=[slug, run.number]), headers={"HX-Request": "true"}
    )
    assert poll.status_code == 204 and poll["HX-Refresh"] == "true"
    review = coordinator.get(reverse("matches:run", args=[slug, run.number])).content.decode()
    assert "Ready to review" in review and "Pairs" in review and "Without a partner" in review


def test_progress_is_written_stage_by_stage(cast: Cast, monkeypatch: Any) -> None:
    seen: list[tuple[str, float]] = []
    original = run_services._Reporter.__call__

    def spy(self: Any, stage: str, fraction: float) -> None:
        original(self, stage, fraction)
        run = MatchingRun.objects.get(pk=self.run.pk)
        seen.append((run.stage, run.progress))

    monkeypatch.setattr(run_services._Reporter, "__call__", spy)
    finish(cast.programme, cast.coordinator)
    stages = [s for s, _ in seen]
    order = ["loading", "candidates", "solving", "explaining", "saving"]
    assert [s for s in order if s in stages] == order
    firsts = [stages.index(s) for s in order]
    assert firsts == sorted(firsts)
    progress = [p for _, p in seen]
    assert progress == sorted(progress) and progress[0] == 0.0 and progress[-1] == 0.95


def test_the_running_run_shows_its_stage_to_the_coordinator(cast: Cast) -> None:
    run = services.run_start(programme=cast.programme, by=cast.coordinator, background=False)
    MatchingRun.objects.filter(pk=run.pk).update(status="running", stage="solving", progress=0.6)
    page = client_for(cast.coordinator).get(
        reverse("matches:run", args=[cast.programme.slug, run.number]),
        headers={"HX-Request": "true"},
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "Solving · 60%" in html and 'value="60"' in html
    assert 'aria-current="step" class="stages__current">Solving' in html


def test_cancelling_a_queued_run_stops_it_before_it_starts(cast: Cast) -> None:
    run = services.run_start(programme=cast.programme, by=cast.coordinator, background=False)
    cancelled = services.run_cancel(run=run, by=cast.coordinator)
    assert cancelled.status == MatchingRun.Status.CANCELLED
    assert services.run_execute(run_id=run.pk).status == MatchingRun.Status.CANCELLED
    assert not ProposedPair.objects.filter(run=run).exists()
    with pytest.raises(MatchRuleBroken, match="nothing to cancel"):
        services.run_cancel(run=run, by=cast.coordinator)
    assert RunChange.objects.filter(run=run, action="cancelled").count() == 1


def test_cancelling_a_running_run_stops_it_at_the_next_step(cast: Cast, monkeypatch: Any) -> None:
    original = run_services._Reporter.engine

    def cancel_while_solving(self: Any, stage: str, fraction: float) -> None:
        if stage == "solving":
            services.run_cancel(run=self.run, by=cast.coordinator)
        original(self, stage, fraction)

    monkeypatch.setattr(run_services._Reporter, "engine", cancel_while_solving)
    run = finish(cast.programme, cast.coordinator)
    assert run.status == MatchingRun.Status.CANCELLED
    assert run.cancel_requested and run.finished_at is not None
    assert not run.pairs.exists() and not run.unmatched.exists()


def test_cancel_from_the_page(cast: Cast) -> None:
    run = services.run_start(programme=cast.programme, by=cast.coordinator, background=False)
    client = client_for(cast.coordinator)
    response = client.post(reverse("matches:cancel", args=[cast.programme.slug, run.number]))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == MatchingRun.Status.CANCELLED
    page = client.get(response["Location"]).content.decode()
    assert "This run was cancelled" in page and f"Run {run.number} was cancelled." in page


def test_a_run_that_cannot_start_says_why_and_creates_nothing(cast: Cast, programme_b: Any) -> None:
    other = Cohort.objects.create(programme=programme_b, name="Elsewhere")
    with pytest.raises(MatchRuleBroken, match="this programme's cohorts"):
        services.run_start(programme=cast.programme, by=cast.coordinator, cohort=other)
    empty = Cohort.objects.create(programme=cast.programme, name="Spring")
    with pytest.raises(MatchRuleBroken, match="no accepted leaders in Spring"):
        services.run_start(programme=cast.programme, by=cast.coordinator, cohort=empty)
    Application.objects.filter(programme=cast.programme, side="mentor").update(status="waitlisted")
    with pytest.raises(MatchRuleBroken, match="no accepted mentors in this programme"):
        services.run_start(programme=cast.programme, by=cast.coordinator)
    assert not MatchingRun.objects.exists()


def test_only_one_run_works_at_a_time(cast: Cast) -> None:
    first = services.run_start(programme=cast.programme, by=cast.coordinator, background=False)
    with pytest.raises(MatchRuleBroken, match=f"Run {first.number} is still working"):
        services.run_start(programme=cast.programme, by=cast.coordinator)
    services.run_cancel(run=first, by=cast.coordinator)
    second = services.run_start(programme=cast.programme, by=cast.coordinator, background=False)
    assert second.number == first.number + 1


def test_starting_without_accepted_people_shows_the_reason_on_the_page(cast: Cast) -> None:
    Application.objects.filter(programme=cast.programme).update(status="submitted")
    response = client_for(cast.coordinator).post(
        reverse("matches:start", args=[cast.programme.slug]), {"cohort": ""}
    )
    assert response.status_code == 400
    assert "There are no accepted leaders in this programme yet" in response.content.decode()
    assert not MatchingRun.objects.exists()


def test_an_engine_error_fails_the_run_with_a_message_and_saves_nothing(
    cast: Cast, monkeypatch: Any
) -> None:
    def broken(self: Any, **kwargs: Any) -> Any:
        raise MatchingInputError("locked pair (1, 2) breaks a hard rule")

    monkeypatch.setattr(MatchingProblem, "match", broken)
    run = finish(cast.programme, cast.coordinator)
    assert run.status == MatchingRun.Status.FAILED
    assert run.error == "The matching could not run: locked pair (1, 2) breaks a hard rule."
    assert not run.pairs.exists()
    page = client_for(cast.coordinator).get(
        reverse("matches:run", args=[cast.programme.slug, run.number])
    )
    assert "This run failed" in page.content.decode() and run.error in page.content.decode()


def test_when_nobody_can_be_matched_everyone_gets_a_reason(cast: Cast) -> None:
    policy = dict(cast.programme.matching_policy or {})
    policy["min_grade_gap"] = 10
    cast.programme.matching_policy = policy
    cast.programme.save(update_fields=["matching_policy"])
    run = finish(cast.programme, cast.coordinator)
    assert run.status == MatchingRun.Status.DONE
    assert not run.pairs.exists()
    reasons = dict(run.unmatched.values_list("application_id", "reason"))
    assert set(reasons) == {a.pk for a in cast.leaders + cast.mentors}
    assert "no mentor is enough grades below them" in reasons[cast.leaders[1].pk]
    assert any("Nobody could be matched" in n["text"] for n in run.notes)


def test_runs_are_kept_with_fingerprint_policy_and_timings_for_comparison(cast: Cast) -> None:
    first = finish(cast.programme, cast.coordinator)
    second = finish(cast.programme, cast.coordinator)
    assert first.inputs_fingerprint == second.inputs_fingerprint
    client = client_for(cast.coordinator)
    url = reverse("matches:compare", args=[cast.programme.slug])
    page = client.get(url, {"a": first.number, "b": second.number}).content.decode()
    assert "Both runs used the same applications" in page
    Application.objects.filter(pk=cast.mentors[-1].pk).update(status="waitlisted")
    third = finish(cast.programme, cast.coordinator)
    assert third.inputs_fingerprint != first.inputs_fingerprint
    page = client.get(url, {"a": first.number, "b": third.number}).content.decode()
    assert "changed between the two runs" in page
    listing = client.get(reverse("matches:matching", args=[cast.programme.slug]))
    assert all(f"Run {n}" in listing.content.decode() for n in (1, 2, 3))
    refused = client.get(url, {"a": first.number, "b": first.number})
    assert refused.status_code == 400 and "Choose two different runs." in refused.content.decode()
