"""Matching: the coordinator runs it, watches it work, reads why, locks a pair, re-runs, publishes.

The run goes through the real task queue (the database backend and its worker), so the page the
coordinator watches is the progress page, which updates itself (htmx polling) and turns into
the review when the worker is done. The review is also walked with the keyboard alone: reading
a pair's explanation and locking it.
"""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.core.management import call_command

from personas import PASSWORD
from upward.matches.models import MatchingRun, PairLock, Proposal, ProposedPair
from upward.matches.tests.conftest import Cast

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def work_queue() -> None:
    """The task worker takes everything waiting, as `upward db_worker` does beside the site."""
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


def watch_run(me: Any, number: int) -> None:
    """On the progress page of a queued run: it says so, then becomes the review by itself."""
    page = me.page
    polls: list[str] = []
    page.on("request", lambda r: polls.append(r.url) if r.headers.get("hx-request") else None)
    assert f"Run {number} is waiting to start" in me.text()
    progress = page.get_by_role("progressbar")
    assert progress.get_attribute("value") == "0"
    assert page.get_by_role("list", name="Stages of the run").locator("li").count() >= 4
    assert page.get_by_role("button", name="Cancel this run").is_visible()
    me.check_accessibility()
    me.shot(f"matching-run-{number}-waiting")
    # The page asks the server again every second while the run is waiting or working.
    page.wait_for_timeout(1500)
    assert polls, "the progress page does not update itself"
    work_queue()
    page.get_by_role("heading", name="Pairs", exact=True).wait_for(timeout=15_000)
    page.wait_for_load_state("load")
    assert "Ready to review" in me.text()
    me.check_accessibility()


def test_coordinator_runs_matching_reads_locks_reruns_and_publishes(
    journey: Any, cast: Cast, settings: Any
) -> None:
    settings.TASKS = DATABASE_TASKS
    programme = cast.programme
    me = journey()
    me.sign_in(cast.coordinator.email, PASSWORD, totp_secret=cast.coordinator.totp_secret)
    me.visit(f"/programmes/{programme.slug}/")
    me.follow("Matching", within=me.page.locator("nav.tabs"))
    assert "8 accepted leaders · 10 accepted mentors" in me.text()
    me.shot("matching-start")

    # --- Run 1 in the background, watched. ---------------------------------------------------
    me.submit("Start matching", check=False)
    assert me.path() == f"/programmes/{programme.slug}/matching/runs/1/"
    run = MatchingRun.objects.get(programme=programme, number=1)
    assert run.status == MatchingRun.Status.QUEUED
    watch_run(me, 1)
    run.refresh_from_db()
    assert run.status == MatchingRun.Status.DONE
    pairs = list(ProposedPair.objects.filter(run=run).select_related("leader__person"))
    assert len(pairs) == run.stats["pairs"] >= 6
    review = me.text()
    assert f"{len(pairs)} of 8" in review and "leaders matched" in review
    for pair in pairs:
        assert pair.leader.person.name in review
    # Whoever is left without a partner is listed with the reason.
    for missing in run.unmatched.select_related("application__person"):
        assert missing.application.person.name in review
    # The leader and mentor personas share a reporting line: never paired.
    assert not any(p.leader_id == cast.leader.pk and p.mentor_id == cast.mentor.pk for p in pairs)

    # --- Keyboard only: read the best pair's explanation, then lock it. ----------------------
    page = me.page
    best = max(pairs, key=lambda p: p.score)
    leader_name = best.leader.person.name
    mentor_name = ProposedPair.objects.get(pk=best.pk).mentor.person.name
    summary = page.locator("summary", has_text=f"for {leader_name} with {mentor_name}")
    me.tab_to(summary)
    page.keyboard.press("Enter")
    lines = summary.locator("xpath=..").locator(".criteria li").all_inner_texts()
    # Each criterion with its points, and at most one line placing the score in the programme.
    scored = [line for line in lines if "points" in line]
    assert len(scored) >= 3 and len(lines) - len(scored) <= 1, lines
    me.check_accessibility(again=True)
    page.locator("#pairs-heading").evaluate("el => el.scrollIntoView()")
    me.shot("matching-review", doc="matching-review")
    lock = page.get_by_role("button", name=f"Lock {leader_name} with {mentor_name}")
    me.tab_to(lock)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    me.check_accessibility()
    assert "Locked: every later run keeps this pair." in me.message()
    assert PairLock.objects.filter(
        programme=programme, leader=best.leader, mentor=best.mentor
    ).exists()
    # Back with Shift+Tab from the next control: the lock is now an unlock, focus still visible.
    unlock = page.get_by_role("button", name=f"Unlock {leader_name} with {mentor_name}")
    change = page.get_by_role("link", name=f"Change partner of {leader_name}")
    change.focus()
    me.tab_to(unlock, backwards=True)

    # --- Re-run keeping the lock, watched again. ----------------------------------------------
    me.submit("Re-run keeping locks", check=False)
    assert me.path() == f"/programmes/{programme.slug}/matching/runs/2/"
    watch_run(me, 2)
    second = MatchingRun.objects.get(programme=programme, number=2)
    assert second.parent_id == run.pk
    kept = ProposedPair.objects.get(run=second, leader=best.leader)
    assert kept.mentor_id == best.mentor_id
    row = me.page.locator("table.pairs tbody tr", has_text=leader_name)
    assert row.locator(".badge", has_text="Locked").count() == 1
    assert "Compared with run 1" in me.text()
    me.shot("matching-review-run-2")

    # --- Publish. -------------------------------------------------------------------------------
    me.follow("Publish these pairs…")
    count = ProposedPair.objects.filter(run=second).count()
    assert f"{count} new proposals will be sent" in me.text()
    me.shot("matching-publish")
    me.submit(f"Publish and send {count} proposals")
    assert f"Published: {count} proposals sent." in me.message()
    assert Proposal.objects.filter(programme=programme, run=second).count() == count
    second.refresh_from_db()
    assert second.published_at is not None
    me.shot("matching-after-publish")
    # The emails go out through the queue too.
    work_queue()
    told = {m.to[0].lower() for m in mail.outbox}
    for proposal in Proposal.objects.filter(run=second).select_related(
        "leader__user", "mentor__user"
    ):
        assert proposal.leader.user.email.lower() in told
        assert proposal.mentor.user.email.lower() in told
