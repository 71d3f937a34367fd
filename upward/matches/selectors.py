"""Reads for matching, and who may see what.

Coordinators of a programme see its runs, pairs and proposals. A participant sees only their
own proposals, through :class:`ParticipantProposal`, which is built so that nothing about a
decline (who, when, why) can reach the other person: once a proposal will not go ahead, the
view holds neither the partner nor the introduction nor anyone's answer.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, Exists, Min, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from upward.core import navigation
from upward.directory import selectors as directory_selectors
from upward.programmes import selectors as programme_selectors
from upward.programmes.models import Application, Programme
from upward.programmes.selectors import coordinated_programme_or_404

from . import problem as run_problem
from .errors import MatchRuleBroken
from .inputs import LIVE, WEIGHT_LABELS
from .models import (
    MatchingRun,
    PairExclusion,
    PairLock,
    Proposal,
    ProposedPair,
    RunChange,
    UnmatchedPerson,
)
from .words import note_text, stored_criteria

__all__ = ["coordinated_programme_or_404"]

_PEOPLE = ("leader__person__organisation", "mentor__person__organisation")


# --- runs ---------------------------------------------------------------------------------------


def _looks_dead(runs: Sequence[MatchingRun]) -> bool:
    """Some run is working by its status but its worker stopped reporting (the same test as
    ``runs_fail_stale``), so the read must fail it before showing it."""
    from .services.runs import STALE_AFTER

    cutoff = timezone.now() - STALE_AFTER
    return any(
        run.status == MatchingRun.Status.RUNNING
        and run.heartbeat_at is not None
        and run.heartbeat_at < cutoff
        for run in runs
    )


def run_or_404(programme: Programme, number: int) -> MatchingRun:
    from .services.runs import runs_fail_stale

    query = MatchingRun.objects.filter(programme=programme, number=number).select_related(
        "programme", "cohort", "created_by", "published_by", "parent"
    )
    run = query.first()
    if run is None:
        raise Http404("No such run")
    # A run whose worker died shows as failed, with why, rather than working for ever. Only
    # then is anything written: the read of a live or finished run stays a read.
    if _looks_dead([run]):
        runs_fail_stale(programme=programme)
        run = query.get()
    return run


def runs_of(programme: Programme) -> list[MatchingRun]:
    """The programme's runs, newest first; any whose worker died is failed first (a write
    only when one looks dead by its heartbeat)."""
    from .services.runs import runs_fail_stale

    query = (
        MatchingRun.objects.filter(programme=programme)
        .select_related("cohort", "created_by", "parent")
        .annotate(
            pair_count=Count("pairs"),
            mean_score=Avg("pairs__score"),
            min_score=Min("pairs__score"),
        )
        .order_by("-number")
    )
    runs: list[MatchingRun] = list(query)
    if _looks_dead(runs):
        runs_fail_stale(programme=programme)
        runs = list(query.all())
    return runs


def active_run(programme: Programme) -> MatchingRun | None:
    return (
        MatchingRun.objects.filter(
            programme=programme,
            status__in=(MatchingRun.Status.QUEUED, MatchingRun.Status.RUNNING),
        )
        .order_by("-number")
        .first()
    )


def latest_published(programme: Programme) -> MatchingRun | None:
    return (
        MatchingRun.objects.filter(programme=programme, published_at__isnull=False)
        .order_by("-published_at")
        .first()
    )


def run_notes(run: MatchingRun) -> list[str]:
    ids = {a for item in run.notes if isinstance(item, dict) for a in item.get("people", [])}
    names = dict(Application.objects.filter(pk__in=ids).values_list("pk", "person__name"))
    return [note_text(item, names) for item in run.notes]


def weights_of(run: MatchingRun) -> list[tuple[str, str, int]]:
    weights = (run.policy.get("settings") or {}).get("weights", {})
    return [(key, label, int(weights.get(key, 0))) for key, label in WEIGHT_LABELS.items()]


# --- summary figures -------------------------------------------------------------------------


@dataclass
class Bar:
    label: str
    count: int
    width: int = 0  # of 100, against the longest bar


def _bars(items: list[tuple[str, int]]) -> list[Bar]:
    top = max((n for _, n in items), default=0)
    return [Bar(label, n, round(100 * n / top) if top else 0) for label, n in items]


@dataclass
class Summary:
    leaders: int
    mentors: int
    pairs: int
    unmatched_leaders: int
    unmatched_mentors: int
    mean_score: float | None
    min_score: float | None
    median_score: float | None
    cross_department: int
    cross_organisation: int
    locked: int
    manual: int
    mentors_used: int
    places: int
    score_bands: list[Bar] = field(default_factory=list)
    grade_gaps: list[Bar] = field(default_factory=list)
    mentor_load: list[Bar] = field(default_factory=list)

    @property
    def matched_percent(self) -> int:
        return round(100 * self.pairs / self.leaders) if self.leaders else 0

    @property
    def cross_department_percent(self) -> int:
        return round(100 * self.cross_department / self.pairs) if self.pairs else 0

    @property
    def cross_organisation_percent(self) -> int:
        return round(100 * self.cross_organisation / self.pairs) if self.pairs else 0


def run_summary(run: MatchingRun) -> Summary:
    """How many matched, scores, how many pairs cross departments and organisations, grade
    gaps and mentor load, from the run's current pairs (after any edits)."""
    rows = list(
        ProposedPair.objects.filter(run=run).values_list(
            "score",
            "leader__person__organisation_id",
            "leader__person__department",
            "leader__person__grade_level",
            "mentor__person__organisation_id",
            "mentor__person__department",
            "mentor__person__grade_level",
            "leader_id",
            "mentor_id",
            "source",
        )
    )
    scores = [r[0] for r in rows]
    locks = set(
        PairLock.objects.filter(programme=run.programme_id).values_list("leader_id", "mentor_id")
    )
    unmatched = Counter(UnmatchedPerson.objects.filter(run=run).values_list("side", flat=True))
    bands = Counter(min(9, int(s // 10)) for s in scores)
    gaps = Counter(r[3] - r[6] for r in rows)
    load = Counter(r[8] for r in rows)
    per_mentor = Counter(load.values())
    capacity = {int(k): int(v) for k, v in (run.mentor_capacity or {}).items()}
    idle = sum(1 for m, cap in capacity.items() if cap > 0 and m not in load)
    most = max(per_mentor, default=0)
    load_items = [("No leader", idle)] + [
        (f"{n} leader{'s' if n != 1 else ''}", per_mentor.get(n, 0)) for n in range(1, most + 1)
    ]
    return Summary(
        leaders=run.leaders_count,
        mentors=run.mentors_count,
        pairs=len(rows),
        unmatched_leaders=unmatched.get("leader", 0),
        unmatched_mentors=unmatched.get("mentor", 0),
        mean_score=statistics.fmean(scores) if scores else None,
        min_score=min(scores) if scores else None,
        median_score=statistics.median(scores) if scores else None,
        cross_department=sum(1 for r in rows if (r[1], r[2]) != (r[4], r[5])),
        cross_organisation=sum(1 for r in rows if r[1] != r[4]),
        locked=sum(1 for r in rows if (r[7], r[8]) in locks),
        manual=sum(1 for r in rows if r[9] == ProposedPair.Source.MANUAL),
        mentors_used=len(load),
        places=sum(capacity.values()),
        score_bands=_bars(
            [(f"{10 * b} to {10 * b + 10 if b < 9 else 100}", bands.get(b, 0)) for b in range(10)]
        ),
        grade_gaps=_bars(
            [(f"{g} grade{'s' if abs(g) != 1 else ''}", gaps[g]) for g in sorted(gaps)]
        ),
        mentor_load=_bars(load_items),
    )


# --- pairs and the unmatched ------------------------------------------------------------------

PAIR_ORDERS = {
    "score": ("score", "pk"),
    "-score": ("-score", "pk"),
    "leader": ("leader__person__name", "pk"),
    "mentor": ("mentor__person__name", "pk"),
}


def run_pairs(
    run: MatchingRun, *, query: str = "", show: str = "", order: str = "-score"
) -> QuerySet[ProposedPair]:
    """The run's pairs with whether each is locked and whether it was already published."""
    pairs = (
        ProposedPair.objects.filter(run=run)
        .select_related(*_PEOPLE)
        .annotate(
            locked=Exists(
                PairLock.objects.filter(
                    programme_id=run.programme_id,
                    leader=OuterRef("leader"),
                    mentor=OuterRef("mentor"),
                )
            ),
            published=Exists(
                Proposal.objects.filter(
                    leader=OuterRef("leader"), mentor=OuterRef("mentor"), status__in=LIVE
                )
            ),
            # "pending" or "confirmed" once published, so the page says which.
            proposal_status=Subquery(
                Proposal.objects.filter(
                    leader=OuterRef("leader"), mentor=OuterRef("mentor"), status__in=LIVE
                ).values("status")[:1]
            ),
        )
    )
    if query:
        pairs = pairs.filter(
            Q(leader__person__name__icontains=query) | Q(mentor__person__name__icontains=query)
        )
    if show == "locked":
        pairs = pairs.filter(locked=True)
    elif show == "manual":
        pairs = pairs.filter(source=ProposedPair.Source.MANUAL)
    elif show == "published":
        pairs = pairs.filter(published=True)
    elif show == "new":
        pairs = pairs.filter(published=False)
    return pairs.order_by(*PAIR_ORDERS.get(order, PAIR_ORDERS["-score"]))


def unmatched_of(run: MatchingRun) -> QuerySet[UnmatchedPerson]:
    return (
        UnmatchedPerson.objects.filter(run=run)
        .select_related("application__person__organisation")
        .order_by("side", "application__person__name", "pk")
    )


def locks_of(programme: Programme) -> QuerySet[PairLock]:
    return PairLock.objects.filter(programme=programme).select_related(*_PEOPLE, "created_by")


def exclusions_of(programme: Programme) -> QuerySet[PairExclusion]:
    return PairExclusion.objects.filter(programme=programme).select_related(*_PEOPLE, "created_by")


def changes_of(programme: Programme, run: MatchingRun | None = None) -> QuerySet[RunChange]:
    changes = RunChange.objects.filter(programme=programme)
    if run is not None:
        changes = changes.filter(run=run)
    return changes.select_related("actor", "run", "leader__person", "mentor__person")


# --- proposals, from the coordinator's side -------------------------------------------------


@dataclass
class ProposalCounts:
    pending: int = 0
    confirmed: int = 0
    declined: int = 0
    awaiting_rematch: int = 0

    @property
    def total(self) -> int:
        return self.pending + self.confirmed + self.declined


def proposal_counts(programme: Programme) -> ProposalCounts:
    counts = ProposalCounts()
    for row in (
        Proposal.objects.filter(programme=programme).values("status").annotate(n=Count("pk"))
    ):
        setattr(counts, row["status"], row["n"])
    declined = Proposal.objects.filter(programme=programme, status=Proposal.Status.DECLINED)
    people = set(declined.values_list("leader_id", flat=True)) | set(
        declined.values_list("mentor_id", flat=True)
    )
    live = Proposal.objects.filter(programme=programme, status__in=LIVE)
    matched = set(live.values_list("leader_id", flat=True)) | set(
        live.values_list("mentor_id", flat=True)
    )
    still = Application.objects.filter(
        pk__in=people - matched, status=Application.Status.ACCEPTED
    ).count()
    counts.awaiting_rematch = still
    return counts


def proposals_of_programme(programme: Programme) -> QuerySet[Proposal]:
    return (
        Proposal.objects.filter(programme=programme)
        .select_related(*_PEOPLE, "run")
        .order_by("status", "leader__person__name")
    )


PROPOSAL_STATES = {
    "pending": "Waiting for replies",
    "confirmed": "Confirmed",
    "declined": "Will not go ahead",
}


@dataclass(frozen=True)
class ProposalRow:
    """One proposal on the coordinator's list: who answered, who is waiting and since when.

    For a proposal that will not go ahead nobody's answer is kept, so the row says nothing
    about who declined.
    """

    proposal: Proposal
    leader_answered: bool
    mentor_answered: bool
    next_reminder_at: Any

    @property
    def waiting_on(self) -> list[str]:
        if self.proposal.status != Proposal.Status.PENDING:
            return []
        people = []
        if not self.leader_answered:
            people.append(self.proposal.leader.person.name)
        if not self.mentor_answered:
            people.append(self.proposal.mentor.person.name)
        return people

    @property
    def can_remind(self) -> bool:
        return self.proposal.status == Proposal.Status.PENDING and self.next_reminder_at is None


def proposal_rows(programme: Programme, state: str) -> QuerySet[Proposal]:
    """The programme's proposals in one state, longest waiting first."""
    order = ("published_at", "pk") if state == "pending" else ("-closed_at", "pk")
    return (
        Proposal.objects.filter(programme=programme, status=state)
        .select_related(*_PEOPLE)
        .order_by(*order)
    )


def proposal_row(proposal: Proposal) -> ProposalRow:
    from .services.reminders import next_reminder_at

    return ProposalRow(
        proposal=proposal,
        leader_answered=proposal.leader_accepted_at is not None,
        mentor_answered=proposal.mentor_accepted_at is not None,
        next_reminder_at=next_reminder_at(proposal),
    )


# --- comparing runs -------------------------------------------------------------------------


@dataclass
class PairDifference:
    leader: Application
    before: Application | None
    before_score: float | None
    after: Application | None
    after_score: float | None


@dataclass
class Comparison:
    a: MatchingRun
    b: MatchingRun
    a_summary: Summary
    b_summary: Summary
    same_inputs: bool
    weight_changes: list[tuple[str, int, int]]
    same_pairs: int
    differences: list[PairDifference]
    total_differences: int


def compare_runs(a: MatchingRun, b: MatchingRun, *, limit: int = 200) -> Comparison:
    """Two runs side by side: figures, whether their inputs and weights differ, and which
    leaders have a different mentor (or none) in the second run."""
    pa = dict(ProposedPair.objects.filter(run=a).values_list("leader_id", "mentor_id"))
    pb = dict(ProposedPair.objects.filter(run=b).values_list("leader_id", "mentor_id"))
    sa = dict(ProposedPair.objects.filter(run=a).values_list("leader_id", "score"))
    sb = dict(ProposedPair.objects.filter(run=b).values_list("leader_id", "score"))
    changed = sorted(lead for lead in set(pa) | set(pb) if pa.get(lead) != pb.get(lead))
    shown = changed[:limit]
    ids = set(shown) | {pa[x] for x in shown if x in pa} | {pb[x] for x in shown if x in pb}
    apps = Application.objects.filter(pk__in=ids).select_related("person").in_bulk()
    wa, wb = weights_of(a), weights_of(b)
    return Comparison(
        a=a,
        b=b,
        a_summary=run_summary(a),
        b_summary=run_summary(b),
        same_inputs=bool(a.inputs_fingerprint) and a.inputs_fingerprint == b.inputs_fingerprint,
        weight_changes=[(label, x, y) for (_, label, x), (_, _, y) in zip(wa, wb, strict=True)],
        same_pairs=sum(1 for lead, m in pa.items() if pb.get(lead) == m),
        differences=[
            PairDifference(
                leader=apps[lead],
                before=apps.get(pa[lead]) if lead in pa else None,
                before_score=sa.get(lead),
                after=apps.get(pb[lead]) if lead in pb else None,
                after_score=sb.get(lead),
            )
            for lead in shown
        ],
        total_differences=len(changed),
    )


# --- manual matching ------------------------------------------------------------------------


@dataclass
class RankedRow:
    mentor: Application
    score: float
    criteria: list[dict[str, Any]]
    load: int
    places: int

    @property
    def full(self) -> bool:
        return self.load >= self.places


def run_leaders(run: MatchingRun) -> list[tuple[Application, Application | None]]:
    """Every leader in the run with their current mentor (None when unmatched), unmatched
    first, for the manual-matching picker."""
    pairs = {
        p.leader_id: p.mentor
        for p in ProposedPair.objects.filter(run=run).select_related("mentor__person")
    }
    ids = set(pairs) | set(
        UnmatchedPerson.objects.filter(run=run, side="leader").values_list(
            "application_id", flat=True
        )
    )
    leaders = Application.objects.filter(pk__in=ids).select_related("person")
    return sorted(
        ((a, pairs.get(a.pk)) for a in leaders),
        key=lambda t: (t[1] is not None, t[0].person.name),
    )


def ranked_mentors(
    run: MatchingRun, *, leader_id: int, limit: int = 20
) -> tuple[Application, list[RankedRow]]:
    """Mentors the hard rules allow for one leader, best first, with explanations.

    Nobody in the leader's reporting line is ever listed: the engine leaves them out, and the
    directory is asked again as a second lock.
    """
    leader = (
        Application.objects.filter(pk=leader_id, programme=run.programme, side="leader")
        .select_related("person")
        .first()
    )
    rp = run_problem.build(run, resolve_locks=False)
    if leader is None or leader.pk not in rp.input.person_of:
        raise MatchRuleBroken("That leader is not an accepted applicant in this run.")
    in_problem = {int(p.id) for p in rp.problem.leaders}
    if leader.person_id not in in_problem:
        raise MatchRuleBroken(
            f"{leader.person.name} already has a published proposal outside this run."
        )
    ranked = rp.problem.rank_mentors_for(leader.person_id, limit=limit, excluded=rp.excluded)
    line = {p.pk for p in directory_selectors.reporting_chain_above(leader.person)}
    line |= set(
        directory_selectors.reporting_chain_below(leader.person).values_list("pk", flat=True)
    )
    app_ids = [rp.input.application_of[int(r.mentor_id)] for r in ranked]
    mentors = Application.objects.filter(pk__in=app_ids).select_related("person__organisation")
    by_id = mentors.in_bulk()
    load = Counter(
        ProposedPair.objects.filter(run=run, mentor_id__in=app_ids).values_list(
            "mentor_id", flat=True
        )
    )
    rows = []
    for r, app_id in zip(ranked, app_ids, strict=True):
        mentor = by_id[app_id]
        if mentor.person_id in line:
            continue
        rows.append(
            RankedRow(
                mentor=mentor,
                score=r.score,
                criteria=stored_criteria(r.explanation.as_dict()),
                load=load.get(app_id, 0),
                places=rp.input.capacity.get(app_id, 0),
            )
        )
    return leader, rows


# --- participants ---------------------------------------------------------------------------


HAS_PROPOSAL = "has_proposal"


def _of_user(user: Any) -> Q:
    """Proposals whose leader or mentor is one of the user's own applications: found on the
    proposals' leader and mentor indexes (``any_of``, core.lookups), instead of joining every
    proposal of every programme with both its applications."""
    mine = Application.objects.filter(user_id=user.pk).values("pk")
    return Q(leader__any_of=mine) | Q(mentor__any_of=mine)


def has_proposal_fact(user: Any) -> Exists:
    """The menu's fact "has a proposed match" (core.navigation answers all facts in one query)."""
    return Exists(Proposal.objects.filter(_of_user(user)))


def has_proposals(user: Any) -> bool:
    return navigation.fact(user, HAS_PROPOSAL)


@dataclass(frozen=True)
class Partner:
    """The other person of a proposal. In a programme with blind proposals, until both accept,
    ``blind`` is true and ``name``, ``job_title`` and ``organisation`` are empty: the person
    sees only the explanation, the other's ``topics`` and ``level``."""

    name: str
    job_title: str
    organisation: str
    role: str  # "your mentor" / "your leader"
    blind: bool = False
    topics: tuple[str, ...] = ()
    level: str = ""


@dataclass(frozen=True)
class ParticipantProposal:
    """One person's view of their proposal: nothing more than they may know.

    When the proposal will not go ahead, ``partner`` and ``introduction`` are empty and
    ``you_accepted`` is False, whoever declined, so that both people see exactly the same.
    """

    pk: int
    programme: str
    programme_slug: str
    side: str
    state: str
    partner: Partner | None
    introduction: tuple[str, ...]
    you_accepted: bool
    published_at: Any

    STATES = {
        "awaiting_you": "Waiting for your answer",
        "waiting": "You accepted: waiting for the match to be confirmed",
        "confirmed": "Confirmed: you have both accepted",
        "not_going_ahead": "This match will not go ahead",
    }

    @property
    def state_words(self) -> str:
        return self.STATES[self.state]

    @property
    def heading(self) -> str:
        """What the match is, in the page's heading: proposed until both accept."""
        if self.state == "confirmed":
            return "Your confirmed match"
        if self.state == "not_going_ahead":
            return "A match that will not go ahead"
        return "Your proposed match"

    @property
    def can_answer(self) -> bool:
        return self.state in ("awaiting_you", "waiting")

    @property
    def can_step_back(self) -> bool:
        """Anyone may leave a live match, confirmed or not, privately and without penalty."""
        return self.state != "not_going_ahead"

    @property
    def can_accept(self) -> bool:
        return self.state == "awaiting_you"


def _participant_view(proposal: Proposal, user: Any) -> ParticipantProposal:
    side = "leader" if proposal.leader.user_id == user.pk else "mentor"
    mine_accepted = proposal.leader_accepted_at if side == "leader" else proposal.mentor_accepted_at
    other = proposal.mentor if side == "leader" else proposal.leader
    if proposal.status == Proposal.Status.DECLINED:
        return ParticipantProposal(
            pk=proposal.pk,
            programme=proposal.programme.name,
            programme_slug=proposal.programme.slug,
            side=side,
            state="not_going_ahead",
            partner=None,
            introduction=(),
            you_accepted=False,
            published_at=proposal.published_at,
        )
    if proposal.status == Proposal.Status.CONFIRMED:
        state = "confirmed"
    else:
        state = "waiting" if mine_accepted else "awaiting_you"
    person = other.person
    role = "your mentor" if side == "leader" else "your leader"
    if proposal.programme.blind_proposals and state != "confirmed":
        partner = blind_partner(proposal.programme, other, role)
    else:
        partner = Partner(
            name=person.name,
            job_title=person.job_title,
            organisation=person.organisation.name,
            role=role,
        )
    return ParticipantProposal(
        pk=proposal.pk,
        programme=proposal.programme.name,
        programme_slug=proposal.programme.slug,
        side=side,
        state=state,
        partner=partner,
        introduction=tuple(
            proposal.introduction_for_leader
            if side == "leader"
            else proposal.introduction_for_mentor
        ),
        you_accepted=mine_accepted is not None,
        published_at=proposal.published_at,
    )


def blind_partner(programme: Programme, other: Application, role: str) -> Partner:
    """The other person as a blind proposal shows them: the topics they chose for matching
    and their grade, nothing that names or reaches them."""
    profile = programme_selectors.matching_profile(other)
    chosen = set(profile.get("topics", [])) - set(profile.get("topics_avoid", []))
    names = programme.topics.filter(pk__in=chosen).order_by("name").values_list("name", flat=True)
    grade = other.person.grade_level
    return Partner(
        name="",
        job_title="",
        organisation="",
        role=role,
        blind=True,
        topics=tuple(names),
        level=f"grade {grade}" if grade else "not given",
    )


def _mine(user: Any) -> QuerySet[Proposal]:
    if not getattr(user, "is_authenticated", False):
        return Proposal.objects.none()
    return Proposal.objects.filter(_of_user(user)).select_related("programme", *_PEOPLE)


def proposals_for(user: Any) -> list[ParticipantProposal]:
    """The person's own proposals, live ones first."""
    # The applications' encrypted answers are not shown; a blind proposal's partner reads
    # them (matching_profile) when it needs them.
    mine = _mine(user).defer("leader__answers", "mentor__answers")
    views = [_participant_view(p, user) for p in mine.order_by("-published_at", "-pk")]
    return sorted(views, key=lambda v: v.state == "not_going_ahead")


def proposal_record_or_404(user: Any, pk: int) -> Proposal:
    proposal = _mine(user).filter(pk=pk).first()
    if proposal is None:
        raise Http404("No such proposal")
    return proposal


def proposal_for(user: Any, pk: int) -> ParticipantProposal:
    return _participant_view(proposal_record_or_404(user, pk), user)
