"""Reads of recognition: who completes a programme and why others do not, certificates,
verification, published stories and the sponsor's recognition list."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.http import Http404

from upward.accounts.models import Role
from upward.accounts.permissions import can_coordinate, programme_ids_with_role
from upward.consent.models import Consent
from upward.pairs.models import Pair
from upward.pairs.selectors import programme_pairs
from upward.programmes.models import Application, Programme

from .models import Certificate, CompletionGrant, CompletionRules, Story

LISTING_PURPOSE = "recognition.listing"
# Base32 without padding: 16 characters hold 80 bits.
CODE_CHARS = re.compile(r"^[A-Z2-7]{16}$")
# Characters base32 never uses, read as the letters they are mistaken for.
LOOK_ALIKES = str.maketrans("018", "OIB")


def rules_of(programme: Programme) -> CompletionRules:
    """The programme's rules; an unsaved default set (agreement and training) until edited."""
    found = CompletionRules.objects.filter(programme=programme).first()
    return found if found is not None else CompletionRules(programme=programme)


def rule_words(rules: CompletionRules) -> list[str]:
    words = []
    if rules.agreement_signed:
        words.append("Signed the mentoring agreement")
    if rules.training_done:
        words.append("Finished the required training")
    if rules.min_meetings:
        words.append(f"At least {rules.min_meetings} meetings held")
    if rules.final_checkin:
        words.append("Answered the final check-in")
    return words


def role_of(pair: Pair, side: str) -> str:
    if pair.reciprocal:
        return Certificate.Role.BOTH
    return Certificate.Role.LEADER if side == "leader" else Certificate.Role.MENTOR


@dataclass
class PersonStatus:
    application: Application
    pair: Pair
    side: str
    unmet: list[str] = field(default_factory=list)
    grant: CompletionGrant | None = None
    certificate: Certificate | None = None

    @property
    def name(self) -> str:
        return str(self.application.person.name)

    @property
    def role(self) -> str:
        return role_of(self.pair, self.side)

    @property
    def role_label(self) -> str:
        return str(Certificate.Role(self.role).label)

    @property
    def met(self) -> bool:
        return not self.unmet

    @property
    def completes(self) -> bool:
        return self.met or self.grant is not None


def completion_status(programme: Programme) -> list[PersonStatus]:
    """Each person in a pair of the programme, with the rules they have not met. One row per
    person: when someone was in more than one pair (a rematch), their latest pair counts.
    A fixed number of queries, whatever the number of pairs."""
    from upward.preparation.gate import statuses
    from upward.running.models import CheckIn, Meeting

    rules = rules_of(programme)
    pairs = list(programme_pairs(programme))
    latest: dict[int, tuple[Pair, str]] = {}
    for pair in pairs:  # oldest first: a later pair replaces an earlier one
        latest[pair.leader_id] = (pair, "leader")
        latest[pair.mentor_id] = (pair, "mentor")
    gates = statuses(pairs) if (rules.agreement_signed or rules.training_done) else {}
    held: dict[int, int] = {}
    if rules.min_meetings:
        held = dict(
            Meeting.objects.filter(pair__in=pairs, state=Meeting.State.HELD)
            .values("pair_id")
            .annotate(n=Count("pk"))
            .values_list("pair_id", "n")
        )
    last_checkin: dict[tuple[int, int], bool] = {}
    if rules.final_checkin:
        for pair_id, user_id, answered_at in (
            CheckIn.objects.filter(pair__in=pairs)
            .order_by("due_on", "pk")
            .values_list("pair_id", "user_id", "answered_at")
        ):
            last_checkin[(pair_id, user_id)] = answered_at is not None
    grants = {g.application_id: g for g in CompletionGrant.objects.filter(programme=programme)}
    certificates = {
        c.application_id: c
        for c in Certificate.objects.filter(programme=programme, application__isnull=False)
    }
    out: list[PersonStatus] = []
    for application_id, (pair, side) in latest.items():
        application = pair.leader if side == "leader" else pair.mentor
        row = PersonStatus(
            application=application,
            pair=pair,
            side=side,
            grant=grants.get(application_id),
            certificate=certificates.get(application_id),
        )
        gate = gates.get(pair.pk)
        if rules.agreement_signed and gate is not None and f"signature:{side}" in gate.waits_for:
            row.unmet.append("Has not signed the mentoring agreement.")
        if rules.training_done and gate is not None and f"training:{side}" in gate.waits_for:
            done, of = gate.modules_done.get(side, (0, 0))
            row.unmet.append(f"Training not finished ({done} of {of} modules).")
        if rules.min_meetings and held.get(pair.pk, 0) < rules.min_meetings:
            row.unmet.append(f"{held.get(pair.pk, 0)} of {rules.min_meetings} meetings held.")
        if rules.final_checkin:
            final = last_checkin.get((pair.pk, application.user_id))
            if final is None:
                row.unmet.append("No check-in was asked of them.")
            elif not final:
                row.unmet.append("The final check-in is not answered.")
        out.append(row)
    out.sort(key=lambda r: (not r.completes, r.name.lower(), r.application.pk))
    return out


def status_of(programme: Programme, application: Application) -> PersonStatus | None:
    for row in completion_status(programme):
        if row.application.pk == application.pk:
            return row
    return None


def application_in(programme: Programme, pk: int) -> Application:
    """An application of someone in a pair of the programme, or 404."""
    found = (
        Application.objects.select_related("person", "user")
        .filter(programme=programme, pk=pk)
        .filter(
            Q(pk__in=Pair.objects.filter(programme=programme).values("leader_id"))
            | Q(pk__in=Pair.objects.filter(programme=programme).values("mentor_id"))
        )
        .first()
    )
    if found is None:
        raise Http404("Nobody of that number is in a pair of this programme.")
    return found


# --- certificates ----------------------------------------------------------------------------


def normalise_code(raw: str) -> str:
    """What the person typed, as stored: capitals, no dashes or spaces, look-alikes fixed."""
    text = re.sub(r"[\s\-]", "", raw or "")[:64].upper()
    return text.translate(LOOK_ALIKES)


def code_hash(code: str) -> str:
    return hashlib.sha256(f"upward.certificate:{code}".encode()).hexdigest()


@dataclass(frozen=True)
class Verification:
    state: str  # "valid", "withdrawn" or "not_valid"
    name: str = ""
    programme: str = ""
    completed_on: Any = None


NOT_VALID = Verification("not_valid")


def verify(raw: str) -> Verification:
    """Found by the hash of the code, so a wrong code costs the same look-up as a right one and
    nothing is compared character by character. Any wrong code gets the one same answer."""
    code = normalise_code(raw)
    digest = code_hash(code if CODE_CHARS.match(code) else f"!{code}")
    found = (
        Certificate.objects.filter(code_hash=digest)
        .values_list("holder_name", "programme__name", "completed_on", "revoked_at")
        .first()
    )
    if found is None:
        return NOT_VALID
    name, programme, completed_on, revoked_at = found
    if revoked_at is not None:
        return Verification("withdrawn")
    return Verification("valid", name=name, programme=programme, completed_on=completed_on)


def certificates_of(user: Any) -> list[Certificate]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Certificate.objects.filter(user=user).select_related("programme"))


def certificate_of_holder(user: Any, pk: int) -> Certificate:
    found = (
        Certificate.objects.filter(pk=pk, user__isnull=False).select_related("programme").first()
    )
    if found is None or found.user_id != getattr(user, "pk", None):
        raise Http404("No such certificate.")
    return found


def certificate_of_coordinator(user: Any, programme: Programme, pk: int) -> Certificate:
    found = Certificate.objects.filter(pk=pk, programme=programme).first()
    if found is None or not can_coordinate(user, programme):
        raise Http404("No such certificate.")
    return found


def listed(user: Any, programme: Programme) -> bool:
    return Consent.objects.filter(
        user=user, purpose=LISTING_PURPOSE, scope=programme.slug, withdrawn_at__isnull=True
    ).exists()


def may_see_recognition_list(user: Any, programme: Programme) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return can_coordinate(user, programme) or programme.pk in programme_ids_with_role(
        user, Role.SPONSOR
    )


def sponsors_anything(user: Any) -> bool:
    """For the menu: holds the sponsor role of some programme (grants are cached per request)."""
    return bool(programme_ids_with_role(user, Role.SPONSOR))


def sponsored_programmes(user: Any) -> list[Programme]:
    ids = programme_ids_with_role(user, Role.SPONSOR)
    return list(Programme.objects.filter(pk__in=ids).order_by("name", "pk"))


def recognition_list(programme: Programme) -> list[tuple[str, str, Any]]:
    """Name, role and date of each certificate holder who consented to be listed."""
    consenting = Consent.objects.filter(
        purpose=LISTING_PURPOSE, scope=programme.slug, withdrawn_at__isnull=True
    ).values("user_id")
    rows = Certificate.objects.filter(
        programme=programme, revoked_at__isnull=True, user_id__in=consenting
    ).order_by("holder_name", "pk")
    return [(c.holder_name, c.get_role_display(), c.completed_on) for c in rows]


# --- stories ---------------------------------------------------------------------------------


def stories_of_pair(pair: Pair) -> list[Story]:
    return list(Story.objects.filter(pair=pair).select_related("pair"))


def story_for(user: Any, pk: int) -> Story:
    """A story, for the two people of its pair; 404 for anyone else."""
    story = (
        Story.objects.filter(pk=pk)
        .select_related("pair__leader__person", "pair__mentor__person", "pair__programme")
        .first()
    )
    if story is None or story.pair.side_of(user) is None:
        raise Http404("No such story.")
    return story


def published(programme: Programme) -> list[Story]:
    stories = Story.objects.filter(
        pair__programme=programme,
        leader_consent_at__isnull=False,
        mentor_consent_at__isnull=False,
    ).order_by("-updated_at", "-pk")
    # The hashes are compared here because the text is encrypted: an edit leaves a stale hash.
    return [s for s in stories if s.published]


def published_stories(programme: Programme) -> list[str]:
    """The text of each published story of the programme, for other apps (a report)."""
    return [f"{s.title}\n\n{s.body}" for s in published(programme)]


def may_read_stories(user: Any, programme: Programme) -> bool:
    """Published stories: the programme's staff, sponsors and everyone who applied to it."""
    if not getattr(user, "is_authenticated", False):
        return False
    if can_coordinate(user, programme):
        return True
    if any(programme.pk in programme_ids_with_role(user, r) for r in (Role.SPONSOR,)):
        return True
    return Application.objects.filter(programme=programme, user=user).exists()


def pair_names(pair: Pair) -> dict[str, str]:
    return {"leader": pair.leader.person.name, "mentor": pair.mentor.person.name}


def stories_section(programme: Programme) -> Any:
    """The report's and dashboard's "Success stories" (evidence's sections hook): only stories
    both people agreed to, word for word."""
    from upward.evidence.sections import SectionData

    stories = published_stories(programme)
    if not stories:
        return None
    return SectionData(rows=[("Published success stories", str(len(stories)))], paragraphs=stories)
