"""Reads for preparation: each person's training and workshops, the coordinator's board and
who is behind. Each reads in a fixed number of queries, whatever the size of the programme."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from upward.accounts.permissions import can_coordinate
from upward.pairs import selectors as pair_selectors
from upward.pairs.models import Pair
from upward.programmes.models import Programme

from . import gate
from .models import Agreement, Module, ModuleCompletion, Track, Workshop, WorkshopSeat


def _audiences(user: Any, pairs: list[Pair]) -> dict[int, set[str]]:
    """The audiences a person belongs to in each programme where they are in a pair."""
    out: dict[int, set[str]] = {}
    for pair in pairs:
        side = pair.side_of(user)
        if side:
            out.setdefault(pair.programme_id, set()).update(
                gate.audiences_for(side, pair.reciprocal)
            )
    return out


@dataclass
class TrackProgress:
    track: Track
    modules: list[tuple[Module, bool]] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(1 for _m, d in self.modules if d)


def my_training(user: Any) -> list[tuple[Programme, list[TrackProgress]]]:
    pairs = [p for p in pair_selectors.pairs_of_user(user) if p.live]
    audiences = _audiences(user, pairs)
    if not audiences:
        return []
    tracks = list(
        Track.objects.filter(programme_id__in=audiences)
        .select_related("programme")
        .prefetch_related(Prefetch("modules", queryset=Module.objects.order_by("order", "pk")))
    )
    done = set(
        ModuleCompletion.objects.filter(user=user, module__track__in=tracks).values_list(
            "module_id", flat=True
        )
    )
    by_programme: dict[int, tuple[Programme, list[TrackProgress]]] = {}
    for track in tracks:
        if track.audience not in audiences[track.programme_id]:
            continue
        entry = by_programme.setdefault(track.programme_id, (track.programme, []))
        entry[1].append(TrackProgress(track, [(m, m.pk in done) for m in track.modules.all()]))
    return list(by_programme.values())


def module_for(user: Any, pk: int) -> tuple[Module, bool]:
    """A module of the person's own training (404 otherwise), and whether they finished it."""
    module = Module.objects.select_related("track__programme").filter(pk=pk).first()
    if module is None:
        raise Http404("No such module.")
    pairs = [p for p in pair_selectors.pairs_of_user(user) if p.live]
    if module.track.audience not in _audiences(user, pairs).get(module.track.programme_id, set()):
        raise Http404("No such module.")
    return module, ModuleCompletion.objects.filter(module=module, user=user).exists()


def module_readable(user: Any, pk: int) -> Module:
    """For the module's attachment: its learners and the programme's coordinators."""
    module = Module.objects.select_related("track__programme").filter(pk=pk).first()
    if module is None:
        raise Http404("No such module.")
    if can_coordinate(user, module.track.programme):
        return module
    return module_for(user, pk)[0]


def workshop_open_to(user: Any, workshop: Workshop) -> bool:
    pairs = [
        p
        for p in pair_selectors.pairs_of_user(user).filter(programme_id=workshop.programme_id)
        if p.live
    ]
    audiences = _audiences(user, pairs).get(workshop.programme_id, set())
    if workshop.audience not in audiences:
        return False
    if workshop.cohort_id is None:
        return True
    return any(p.cohort_id == workshop.cohort_id for p in pairs)


def my_workshops(user: Any) -> list[tuple[Workshop, str]]:
    """Upcoming workshops the person may join, with their place: '', 'booked' or 'waiting'."""
    pairs = [p for p in pair_selectors.pairs_of_user(user) if p.live]
    audiences = _audiences(user, pairs)
    cohorts = {p.cohort_id for p in pairs}
    if not audiences:
        return []
    rows = (
        Workshop.objects.filter(programme_id__in=audiences, cancelled_at__isnull=True)
        .filter(starts_at__gte=timezone.now() - dt.timedelta(hours=12))
        .filter(Q(cohort__isnull=True) | Q(cohort_id__in=cohorts))
        .annotate(booked=Count("seats", filter=Q(seats__status=WorkshopSeat.Status.BOOKED)))
        .select_related("programme")
    )
    seats = dict(
        WorkshopSeat.objects.filter(user=user, workshop__in=rows).values_list(
            "workshop_id", "status"
        )
    )
    return [(w, seats.get(w.pk, "")) for w in rows if w.audience in audiences[w.programme_id]]


def workshop_for_user(user: Any, pk: int) -> Workshop:
    workshop = Workshop.objects.select_related("programme").filter(pk=pk).first()
    if workshop is None:
        raise Http404("No such workshop.")
    if workshop_open_to(user, workshop):
        return workshop
    raise Http404("No such workshop.")


@dataclass
class BoardRow:
    pair: Pair
    status: gate.PairStatus
    waits_words: list[str]

    @property
    def waits(self) -> list[tuple[str, str]]:
        return list(zip(self.status.waits_for, self.waits_words, strict=False))


# What a row of the pairs board shows and what the gate needs: the people's names, not their
# applications' answers (which are encrypted, and would be decrypted row by row).
BOARD_FIELDS = (
    "programme_id",
    "cohort__name",
    "leader_id",
    "mentor_id",
    "reciprocal",
    "state",
    "since",
    "version",
    "leader__user_id",
    "leader__person__name",
    "mentor__user_id",
    "mentor__person__name",
)


def board_pair_ids(programme: Programme, *, state: str = "", query: str = "") -> QuerySet[Any]:
    """The ids of the pairs on the coordinator's board, oldest first, of one state and with a
    person whose name holds ``query`` when given. Page the ids, then read one page's pairs with
    ``board_pairs``: sorting ids alone is cheap, sorting the pairs joined with their people
    costs the whole programme."""
    pairs = Pair.objects.filter(programme=programme)
    if state:
        pairs = pairs.filter(state=state)
    if query:
        pairs = pairs.filter(
            Q(leader__person__name__icontains=query) | Q(mentor__person__name__icontains=query)
        )
    return pairs.order_by("since", "pk").values_list("pk", flat=True)


def board_pairs(ids: Iterable[int]) -> list[Pair]:
    """The pairs of one page of the board, with only what a row shows."""
    return list(
        Pair.objects.filter(pk__in=list(ids))
        .select_related("cohort", "leader__person", "mentor__person")
        .only(*BOARD_FIELDS)
        .order_by("since", "pk")
    )


def board_counts(programme: Programme) -> list[tuple[str, str, int]]:
    """Each state's value, label and number of pairs, in one query."""
    found = dict(
        Pair.objects.filter(programme=programme)
        .order_by()
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    return [(value, label, found.get(value, 0)) for value, label in Pair.State.choices]


def board(pairs: Iterable[Pair]) -> list[BoardRow]:
    """The board's rows for some pairs (one page of ``board_pairs``): what each waits for."""
    pairs = list(pairs)
    statuses = gate.statuses(pairs)
    rows = []
    for pair in pairs:
        status = statuses[pair.pk]
        words = (
            [gate.requirement_words(pair, r) for r in status.waits_for]
            if pair.state == Pair.State.PREPARING
            else []
        )
        rows.append(BoardRow(pair, status, words))
    return rows


@dataclass
class Behind:
    user_id: int
    name: str
    email: str
    done: int
    of: int


def people_behind(programme: Programme) -> list[Behind]:
    """People in preparing pairs who have not finished their required training (not waived)."""
    pairs = list(
        pair_selectors.programme_pairs(programme)
        .filter(state=Pair.State.PREPARING)
        .select_related("leader__user", "mentor__user")
    )
    statuses = gate.statuses(pairs)
    out: dict[int, Behind] = {}
    for pair in pairs:
        for side in ("leader", "mentor"):
            if f"training:{side}" not in statuses[pair.pk].waits_for:
                continue
            application = pair.leader if side == "leader" else pair.mentor
            done, of = statuses[pair.pk].modules_done[side]
            out.setdefault(
                application.user_id,
                Behind(
                    application.user_id,
                    application.person.name,
                    application.user.email or application.person.email,
                    done,
                    of,
                ),
            )
    return sorted(out.values(), key=lambda b: b.name)


def agreements_of(pair: Pair) -> list[Agreement]:
    return list(
        Agreement.objects.filter(pair=pair).select_related("updated_by").order_by("-number")
    )


def agreement_version(pair: Pair, number: int) -> Agreement:
    agreement = Agreement.objects.filter(pair=pair, number=number).first()
    if agreement is None:
        raise Http404("No such version.")
    return agreement


def workshops_of(programme: Programme) -> list[Workshop]:
    return list(
        Workshop.objects.filter(programme=programme)
        .select_related("cohort")
        .annotate(
            booked=Count("seats", filter=Q(seats__status=WorkshopSeat.Status.BOOKED)),
            waiting=Count("seats", filter=Q(seats__status=WorkshopSeat.Status.WAITING)),
        )
        .order_by("-starts_at", "pk")
    )


def seats_of(workshop: Workshop) -> list[WorkshopSeat]:
    return list(
        workshop.seats.select_related("user__person").order_by("status", "created_at", "pk")
    )


def tracks_of(programme: Programme) -> list[Track]:
    return list(
        Track.objects.filter(programme=programme).prefetch_related(
            Prefetch("modules", queryset=Module.objects.annotate(n_questions=Count("questions")))
        )
    )
