"""Publishing a run's pairs as proposals, each person's private answer, and the rematch.

A decline closes the proposal for both people and records neither who declined nor why: the
proposal keeps only that it will not go ahead, both people get the same short notice, and the
pair is excluded so that a rematch proposes someone new for each of them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from upward.notifications.services import notify
from upward.programmes.models import Application, Programme

from ..errors import MatchRuleBroken
from ..inputs import LIVE, load_input
from ..models import MatchingRun, PairExclusion, Proposal, ProposedPair, RunChange
from ..words import introduction
from ._common import checked_run, log
from .runs import run_start

# Called as ``hook(run=, proposals=)`` in the transaction of every publication, with the new
# proposals (integrations sends its webhook). Registered in ``AppConfig.ready()``.
PUBLISHED_HOOKS: list[Callable[..., object]] = []


def _names(apps: list[Application]) -> str:
    return ", ".join(sorted(a.person.name for a in apps))


def run_publish(
    *, run: MatchingRun, by: Any, version: int | None, base_url: str = "", notify: bool = True
) -> list[Proposal]:
    """Send a finished run's new pairs to both people as proposals, with introductions.

    Pairs already proposed (kept by a re-run or rematch) are left as they are. Refused, with
    nothing changed, when the run no longer fits: someone's application changed, a pair was
    excluded or declined since, a published proposal is missing from it, or a mentor would hold
    more pairs across programmes than they or their organisation allow.
    """
    with transaction.atomic():
        run = checked_run(run, version)
        programme = run.programme
        pairs = list(
            ProposedPair.objects.filter(run=run).select_related(
                "leader__person__organisation", "mentor__person__organisation"
            )
        )
        if not pairs:
            raise MatchRuleBroken("This run has no pairs to publish.")
        in_run = {p.leader_id for p in pairs} | {p.mentor_id for p in pairs}
        in_run |= set(run.unmatched.values_list("application_id", flat=True))
        pair_keys = {(p.leader_id, p.mentor_id) for p in pairs}
        live = list(
            Proposal.objects.select_for_update()
            .filter(programme=programme, status__in=LIVE)
            .select_related("leader__person", "mentor__person")
        )
        live_keys = {(p.leader_id, p.mentor_id) for p in live}
        missing = [
            p
            for p in live
            if (p.leader_id in in_run or p.mentor_id in in_run)
            and (p.leader_id, p.mentor_id) not in pair_keys
        ]
        if missing:
            raise MatchRuleBroken(
                "This run was made before some of the current proposals were published (for "
                f"example {missing[0].leader.person.name}'s). Start a rematch or a new run and "
                "publish that instead."
            )
        excluded = set(
            PairExclusion.objects.filter(programme=programme).values_list("leader_id", "mentor_id")
        )
        now_excluded = [p for p in pairs if (p.leader_id, p.mentor_id) in excluded]
        if now_excluded:
            raise MatchRuleBroken(
                f"{len(now_excluded)} of this run's pairs have been excluded or declined since it "
                "ran. Start a rematch or a new run and publish that instead."
            )
        new = [p for p in pairs if (p.leader_id, p.mentor_id) not in live_keys]
        if not new:
            raise MatchRuleBroken("Every pair in this run has already been proposed.")
        gone = [
            a
            for p in new
            for a in (p.leader, p.mentor)
            if a.status != Application.Status.ACCEPTED or not a.may_take_part
        ]
        if gone:
            raise MatchRuleBroken(
                "These people are no longer accepted applicants: "
                f"{_names(gone)}. Start a new run without them and publish that instead."
            )
        inp = load_input(programme, cohort=run.cohort, settings=run.policy.get("settings"))
        by_mentor = Counter(p.mentor_id for p in pairs)
        over = [
            p.mentor
            for p in {p.mentor_id: p for p in pairs}.values()
            if by_mentor[p.mentor_id] > inp.capacity.get(p.mentor_id, 0)
        ]
        if over:
            raise MatchRuleBroken(
                "These mentors would hold more pairs across programmes than they or their "
                f"organisation allow: {_names(over)}. Change their pairs (or start a new run) "
                "first."
            )
        people = {int(p.id): p for p in (*inp.leaders, *inp.mentors)}
        now = timezone.now()
        proposals = []
        for pair in new:
            leader = people[pair.leader.person_id]
            mentor = people[pair.mentor.person_id]
            proposals.append(
                Proposal(
                    programme=programme,
                    run=run,
                    leader_id=pair.leader_id,
                    mentor_id=pair.mentor_id,
                    score=pair.score,
                    introduction_for_leader=introduction(
                        leader=leader, mentor=mentor, criteria=pair.explanation, side="leader"
                    ),
                    introduction_for_mentor=introduction(
                        leader=leader, mentor=mentor, criteria=pair.explanation, side="mentor"
                    ),
                    published_at=now,
                )
            )
        created = Proposal.objects.bulk_create(proposals, batch_size=1000)
        ids = [p.pk for p in created]
        run.published_at = now
        run.published_by = by
        run.save(update_fields=["published_at", "published_by"])
        count = len(proposals)
        log(
            programme,
            by,
            RunChange.Action.PUBLISHED,
            f"Published run {run.number}: {count} proposal{'s' if count != 1 else ''} sent",
            run,
        )
        for hook in PUBLISHED_HOOKS:
            hook(run=run, proposals=created)
        if notify:
            from ..tasks import send_match_emails

            transaction.on_commit(lambda: send_match_emails.enqueue("published", ids, base_url))
    return list(Proposal.objects.filter(pk__in=ids))


def rematch_start(*, programme: Programme, by: Any) -> MatchingRun:
    """A new run for the people whose proposals will not go ahead; published proposals are
    kept, declined pairs are never proposed again."""
    latest = (
        MatchingRun.objects.filter(programme=programme, published_at__isnull=False)
        .order_by("-published_at")
        .first()
    )
    if latest is None:
        raise MatchRuleBroken("Nothing has been published yet, so there is nothing to rematch.")
    return run_start(
        programme=programme, by=by, based_on=latest, purpose=MatchingRun.Purpose.REMATCH
    )


# --- each person's answer ---------------------------------------------------------------------


def _side(proposal: Proposal, user: Any) -> str:
    if proposal.leader.user_id == getattr(user, "pk", None):
        return "leader"
    if proposal.mentor.user_id == getattr(user, "pk", None):
        return "mentor"
    raise MatchRuleBroken("This proposal is not yours.")


def _locked(proposal: Proposal) -> Proposal:
    return (
        Proposal.objects.select_for_update()
        .select_related("programme", "leader__person", "mentor__person")
        .get(pk=proposal.pk)
    )


def proposal_accept(*, proposal: Proposal, user: Any, base_url: str = "") -> Proposal:
    """Accept a proposed match; once both have accepted it is confirmed."""
    with transaction.atomic():
        proposal = _locked(proposal)
        side = _side(proposal, user)
        if proposal.status == Proposal.Status.DECLINED:
            raise MatchRuleBroken("This match will not go ahead, so it can no longer be accepted.")
        if proposal.status == Proposal.Status.CONFIRMED:
            raise MatchRuleBroken("You have both accepted already: this match is confirmed.")
        field = f"{side}_accepted_at"
        if getattr(proposal, field) is not None:
            raise MatchRuleBroken("You have already accepted this match.")
        now = timezone.now()
        setattr(proposal, field, now)
        fields = [field]
        if proposal.leader_accepted_at and proposal.mentor_accepted_at:
            proposal.status = Proposal.Status.CONFIRMED
            proposal.closed_at = now
            fields += ["status", "closed_at"]
        proposal.save(update_fields=fields)
        if proposal.status == Proposal.Status.CONFIRMED:
            from upward.pairs.services import pair_create_from_proposal

            pair_create_from_proposal(proposal=proposal)
            from ..tasks import send_match_emails

            ids = [proposal.pk]
            transaction.on_commit(lambda: send_match_emails.enqueue("confirmed", ids, base_url))
    return proposal


def proposal_decline(
    *, proposal: Proposal, user: Any, base_url: str = "", notify: bool = True
) -> Proposal:
    """Decline privately, or step back from a confirmed match. Nobody is told who did it or
    why; the pair is never proposed again and both people become free for a rematch."""
    with transaction.atomic():
        proposal = _locked(proposal)
        _side(proposal, user)
        if proposal.status == Proposal.Status.DECLINED:
            raise MatchRuleBroken("This match will not go ahead already; nothing more to do.")
        # A confirmed match can be left the same way: stepping back is as private as declining.
        proposal.status = Proposal.Status.DECLINED
        proposal.closed_at = timezone.now()
        # Either acceptance would show who did not accept: both are cleared.
        proposal.leader_accepted_at = None
        proposal.mentor_accepted_at = None
        proposal.save(
            update_fields=["status", "closed_at", "leader_accepted_at", "mentor_accepted_at"]
        )
        PairExclusion.objects.get_or_create(
            programme=proposal.programme,
            leader_id=proposal.leader_id,
            mentor_id=proposal.mentor_id,
            defaults={"reason": PairExclusion.Reason.DECLINED, "created_by": None},
        )
        _end_pair_of(proposal)
        log(
            proposal.programme,
            None,
            RunChange.Action.DECLINED,
            "A proposed match will not go ahead",
            leader_id=proposal.leader_id,
            mentor_id=proposal.mentor_id,
        )
        if notify:
            from ..tasks import send_match_emails

            ids = [proposal.pk]
            transaction.on_commit(lambda: send_match_emails.enqueue("closed", ids, base_url))
    return proposal


def _end_pair_of(proposal: Proposal) -> None:
    """Stepping back from a confirmed match ends the pair it formed, recorded against nobody."""
    from upward.pairs.models import Pair
    from upward.pairs.services import pair_move

    pair = Pair.objects.filter(proposal=proposal).first()
    if pair is not None and pair.state not in (Pair.State.ENDED, Pair.State.COMPLETED):
        pair_move(pair=pair, action="end", by=None, version=None)


# --- emails -----------------------------------------------------------------------------------

SUBJECTS = {
    "published": "Your proposed mentoring match in {programme}",
    "confirmed": "Your mentoring match in {programme} is confirmed",
    "closed": "Your proposed match in {programme} will not go ahead",
    "reminder": "Reminder: your proposed mentoring match in {programme} is waiting for you",
}


def match_emails_send(*, kind: str, proposal_ids: list[int], base_url: str = "") -> int:
    """Email both people of each proposal ('reminder': only whoever has not answered).
    'closed' sends both the same neutral notice, which names neither person."""
    if kind not in SUBJECTS:
        raise ValueError(f"Unknown kind of match email: {kind!r}")
    proposals = Proposal.objects.filter(pk__in=proposal_ids).select_related(
        "programme",
        "leader__person__organisation",
        "mentor__person__organisation",
        "leader__user",
        "mentor__user",
    )
    sent = 0
    for proposal in proposals:
        for side, mine, theirs in (
            ("leader", proposal.leader, proposal.mentor),
            ("mentor", proposal.mentor, proposal.leader),
        ):
            to = mine.user.email or mine.person.email
            if not to:
                continue
            if kind == "reminder" and getattr(proposal, f"{side}_accepted_at") is not None:
                continue  # only whoever has not answered is reminded
            context = {
                "kind": kind,
                "programme": proposal.programme,
                "name": mine.person.name,
                # Blind proposals: nothing about the other person before both accept.
                "blind": kind in ("published", "reminder") and proposal.programme.blind_proposals,
                "partner": theirs.person
                if kind == "confirmed"
                or (kind in ("published", "reminder") and not proposal.programme.blind_proposals)
                else None,
                "reminder": kind == "reminder",
                "introduction": proposal.introduction_for_leader
                if side == "leader"
                else proposal.introduction_for_mentor,
                "url": base_url.rstrip("/") + reverse("matches:proposal", args=[proposal.pk])
                if base_url
                else "",
            }
            notify(
                to=to,
                user_id=mine.user_id,
                event="proposal",
                subject=SUBJECTS[kind].format(programme=proposal.programme.name),
                context=context,
                base_url=base_url,
                programme=proposal.programme,
            )
            sent += 1
    return sent
