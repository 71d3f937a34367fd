"""Reads for programmes, and who may see which programme.

Coordinators see the programmes they coordinate. A participant sees a programme only when
their organisation takes part and they were invited, have applied, or an open call is running
for a side. Everyone else gets a 404, so nobody learns which programmes exist elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from upward.accounts import permissions
from upward.accounts.models import Role
from upward.consent.selectors import active_consent_ids
from upward.core import navigation
from upward.directory.models import Organisation, Person

from .models import (
    Application,
    Cohort,
    IdentityDisclosure,
    Invitation,
    InvitationWave,
    Programme,
    Question,
    ReadinessItem,
    Side,
)

# --- access ---------------------------------------------------------------------------------


def coordinated_programmes(user: Any) -> QuerySet[Programme]:
    if getattr(user, "is_superuser", False):
        return Programme.objects.all()
    return Programme.objects.filter(
        pk__in=permissions.programme_ids_with_role(user, Role.COORDINATOR)
    )


def can_set_up_programmes(user: Any) -> bool:
    return bool(
        getattr(user, "is_superuser", False) or permissions.coordinator_organisation_ids(user)
    )


def sees_programmes(user: Any) -> bool:
    """For the menu: may set up programmes or coordinates one (read from the role grants, which
    go with their programme when it is deleted)."""
    return can_set_up_programmes(user) or bool(
        permissions.programme_ids_with_role(user, Role.COORDINATOR)
    )


def organisations_for_setup(user: Any) -> QuerySet[Organisation]:
    """Organisations the user may include in a new programme."""
    if getattr(user, "is_superuser", False):
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=permissions.coordinator_organisation_ids(user))


def coordinated_programme_or_404(user: Any, slug: str) -> Programme:
    programme = Programme.objects.filter(slug=slug).first()
    if programme is None or not permissions.can_coordinate(user, programme):
        raise Http404("No such programme")
    return programme


HAS_PERSON = "has_person"


def has_person_fact(user: Any) -> Exists:
    """The menu's fact "is someone in a directory" (core.navigation answers all facts in one
    query)."""
    return Exists(Person.objects.filter(user_id=user.pk))


def person_of(user: Any) -> Person | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(user=user).select_related("organisation").first()


def page_person_of(user: Any) -> Person | None:
    """``person_of`` for the parts of one page (the home page asks in three places): read once
    and kept on the request's user object, which lives as long as the request. Services, which
    must see a change made earlier in the same request, read it afresh with ``person_of``."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_upward_person"):
        # On a page the menu has already asked whether there is one (core.navigation).
        none = navigation.known_fact(user, HAS_PERSON) is False
        user._upward_person = None if none else person_of(user)
    found: Person | None = user._upward_person
    return found


@dataclass
class ParticipantView:
    """What one participant can do in one programme."""

    programme: Programme
    person: Person
    invitation: Invitation | None = None
    application: Application | None = None
    sides: list[str] = field(default_factory=list)

    @property
    def stage(self) -> str:
        """What the programme's phase means for them right now."""
        from .phases import participant_stage

        return participant_stage(self.programme)

    @property
    def can_apply(self) -> bool:
        return (
            self.programme.applications_open
            and bool(self.sides)
            and (
                self.application is None or self.application.status == Application.Status.WITHDRAWN
            )
        )


def participant_view(programme: Programme, person: Person) -> ParticipantView | None:
    """The participant's standing in a programme, or None when it is none of their business."""
    if not programme.organisations.filter(pk=person.organisation_id).exists():
        return None
    invitation = Invitation.objects.filter(programme=programme, person=person).first()
    application = Application.objects.filter(programme=programme, person=person).first()
    return _standing(programme, person, invitation, application)


def _standing(
    programme: Programme,
    person: Person,
    invitation: Invitation | None,
    application: Application | None,
) -> ParticipantView | None:
    sides: list[str] = []
    if invitation is not None:
        sides.append(invitation.side)
    for side in (Side.LEADER, Side.MENTOR):
        if programme.open_call_for(side) and programme.applications_opened_at and side not in sides:
            sides.append(side)
    if invitation is None and application is None and not sides:
        return None
    return ParticipantView(programme, person, invitation, application, sides)


def participant_programme_or_404(user: Any, slug: str) -> ParticipantView:
    person = person_of(user)
    programme = Programme.objects.filter(slug=slug).first()
    if person is None or programme is None:
        raise Http404("No such programme")
    view = participant_view(programme, person)
    if view is None:
        raise Http404("No such programme")
    return view


# A person takes part in a handful of programmes; the bound keeps a page's cost fixed.
PARTICIPANT_PROGRAMMES_MAX = 100


def participant_programmes(user: Any) -> list[ParticipantView]:
    """Every programme the person was invited to, applied to, or may apply to by open call.

    Four queries whatever the programme's size: the person, the programmes (each condition an
    EXISTS subquery, so no join of a programme's invitations with its applications), and the
    person's own invitations and applications in them.
    """
    person = page_person_of(user)
    if person is None:
        return []
    invited = Invitation.objects.filter(programme=OuterRef("pk"), person=person)
    applied = Application.objects.filter(programme=OuterRef("pk"), person=person)
    programmes = list(
        Programme.objects.filter(organisations=person.organisation)
        .filter(
            Exists(invited)
            | Exists(applied)
            | (
                Q(applications_opened_at__isnull=False)
                & (Q(open_call_leaders=True) | Q(open_call_mentors=True))
            )
        )
        .order_by("-created_at")[:PARTICIPANT_PROGRAMMES_MAX]
    )
    ids = [p.pk for p in programmes]
    invitations: dict[int, Invitation] = {}
    for invitation in Invitation.objects.filter(programme_id__in=ids, person=person):
        invitations.setdefault(invitation.programme_id, invitation)
    applications: dict[int, Application] = {}
    # Standing needs the status, not the encrypted answers.
    for application in Application.objects.filter(programme_id__in=ids, person=person).defer(
        "answers"
    ):
        applications.setdefault(application.programme_id, application)
    views = [
        _standing(p, person, invitations.get(p.pk), applications.get(p.pk)) for p in programmes
    ]
    return [v for v in views if v is not None]


def application_of_coordinated(user: Any, programme: Programme, pk: int) -> Application:
    application = (
        Application.objects.filter(programme=programme, pk=pk)
        .select_related("person__organisation", "person__manager", "cohort", "user")
        .first()
    )
    if application is None:
        raise Http404("No such application")
    return application


# --- readiness ------------------------------------------------------------------------------


@dataclass
class Readiness:
    total: int
    done: int
    overridden: bool

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done == self.total

    @property
    def passed(self) -> bool:
        """The gate: applications may open."""
        return self.complete or self.overridden


def readiness_of(programme: Programme) -> Readiness:
    counts = ReadinessItem.objects.filter(programme=programme).aggregate(
        total=Count("id"), done=Count("id", filter=Q(status=ReadinessItem.Status.DONE))
    )
    return Readiness(
        total=counts["total"],
        done=counts["done"],
        overridden=programme.readiness_overridden_at is not None,
    )


def interview_themes(programme: Programme) -> list[tuple[str, int]]:
    """How often each theme came up across the stakeholder interviews, most frequent first."""
    from .models import StakeholderInterview

    labels = dict(StakeholderInterview.Theme.choices)
    counts: dict[str, int] = {}
    for themes in StakeholderInterview.objects.filter(programme=programme).values_list(
        "themes", flat=True
    ):
        for theme in themes or []:
            counts[theme] = counts.get(theme, 0) + 1
    return sorted(
        ((str(labels.get(k, k)), n) for k, n in counts.items()), key=lambda x: (-x[1], x[0])
    )


# --- invitations ----------------------------------------------------------------------------


@dataclass
class InvitationCounts:
    invited: int = 0
    opened: int = 0
    applied: int = 0
    declined: int = 0


def invitation_counts(programme: Programme) -> tuple[InvitationCounts, dict[int, InvitationCounts]]:
    """Totals and per-wave counts. 'Opened' includes everyone who went on to apply or decline."""
    rows = (
        Invitation.objects.filter(programme=programme)
        .values("wave_id", "status")
        .annotate(n=Count("id"))
    )
    total = InvitationCounts()
    per_wave: dict[int, InvitationCounts] = {}
    for row in rows:
        counts = per_wave.setdefault(row["wave_id"], InvitationCounts())
        for target in (total, counts):
            target.invited += row["n"]
            if row["status"] in (
                Invitation.Status.OPENED,
                Invitation.Status.APPLIED,
                Invitation.Status.DECLINED,
            ):
                target.opened += row["n"]
            if row["status"] == Invitation.Status.APPLIED:
                target.applied += row["n"]
            if row["status"] == Invitation.Status.DECLINED:
                target.declined += row["n"]
    return total, per_wave


ORDERINGS = {
    "senior": ("-grade_level", "name", "pk"),
    "junior": ("grade_level", "name", "pk"),
    "name": ("name", "pk"),
}


def invitation_candidates(
    *,
    programme: Programme,
    organisation_ids: list[int] | None = None,
    departments: list[str] | None = None,
    grade_min: int | None = None,
    grade_max: int | None = None,
    identifiers: list[str] | None = None,
    order: str = "senior",
) -> QuerySet[Person]:
    """People who could be invited, most senior first unless asked otherwise.

    Only active people with an email address in the participating organisations, and nobody
    already invited to or applying for this programme.
    """
    people = Person.objects.filter(
        organisation__in=programme.organisations.all(), active=True
    ).exclude(email="")
    if organisation_ids:
        people = people.filter(organisation_id__in=organisation_ids)
    if departments:
        people = people.filter(department__in=departments)
    if grade_min is not None:
        people = people.filter(grade_level__gte=grade_min)
    if grade_max is not None:
        people = people.filter(grade_level__lte=grade_max)
    if identifiers:
        lowered = [i.lower() for i in identifiers]
        people = people.filter(Q(employee_id__in=identifiers) | Q(email__in=lowered))
    invited = Invitation.objects.filter(programme=programme).values("person_id")
    applied = Application.objects.filter(programme=programme).values("person_id")
    people = people.exclude(pk__in=invited).exclude(pk__in=applied)
    return people.select_related("organisation").order_by(
        *ORDERINGS.get(order, ORDERINGS["senior"])
    )


def unmatched_identifiers(programme: Programme, identifiers: list[str]) -> list[str]:
    """Employee ids or emails in a pasted list that match nobody in the organisations."""
    people = Person.objects.filter(organisation__in=programme.organisations.all())
    found_ids = set(
        people.filter(employee_id__in=identifiers).values_list("employee_id", flat=True)
    )
    found_emails = {
        e.lower()
        for e in people.filter(email__in=[i.lower() for i in identifiers]).values_list(
            "email", flat=True
        )
    }
    return [i for i in identifiers if i not in found_ids and i.lower() not in found_emails]


def departments_of(programme: Programme) -> list[str]:
    return list(
        Person.objects.filter(organisation__in=programme.organisations.all(), active=True)
        .exclude(department="")
        .values_list("department", flat=True)
        .distinct()
        .order_by("department")
    )


def waves_of(programme: Programme) -> QuerySet[InvitationWave]:
    return InvitationWave.objects.filter(programme=programme).order_by("number")


# --- applications ---------------------------------------------------------------------------


def applications_for_screening(
    programme: Programme,
    *,
    side: str = "",
    status: str = "",
    eligibility: str = "",
    organisation_id: int | None = None,
    cohort_id: int | None = None,
    department: str = "",
    query: str = "",
) -> QuerySet[Application]:
    apps = Application.objects.filter(programme=programme).select_related(
        "person__organisation", "cohort"
    )
    if side:
        apps = apps.filter(side=side)
    if status:
        apps = apps.filter(status=status)
    if eligibility == "eligible":
        apps = apps.filter(eligible=True)
    elif eligibility == "ineligible":
        apps = apps.filter(eligible=False, eligibility_override_reason="")
    elif eligibility == "overridden":
        apps = apps.filter(eligible=False).exclude(eligibility_override_reason="")
    if organisation_id:
        apps = apps.filter(person__organisation_id=organisation_id)
    if cohort_id == 0:
        apps = apps.filter(cohort__isnull=True)
    elif cohort_id:
        apps = apps.filter(cohort_id=cohort_id)
    if department:
        apps = apps.filter(person__department=department)
    if query:
        apps = apps.filter(
            Q(person__name__icontains=query)
            | Q(person__employee_id__iexact=query)
            | Q(person__email__icontains=query)
        )
    return apps.order_by("side", "-person__grade_level", "person__name", "pk")


def application_counts(programme: Programme) -> dict[str, dict[str, int]]:
    """{side: {status: count}} for the programme's overview."""
    counts: dict[str, dict[str, int]] = {
        Side.LEADER: {s: 0 for s in Application.Status.values},
        Side.MENTOR: {s: 0 for s in Application.Status.values},
    }
    rows = (
        Application.objects.filter(programme=programme)
        .values("side", "status")
        .annotate(n=Count("id"))
    )
    for row in rows:
        counts[row["side"]][row["status"]] = row["n"]
    return counts


def cohorts_with_counts(programme: Programme) -> QuerySet[Cohort]:
    return Cohort.objects.filter(programme=programme).annotate(
        accepted=Count("applications", filter=Q(applications__status=Application.Status.ACCEPTED)),
        members=Count("applications"),
    )


def form_questions(programme: Programme, side: str) -> list[Question]:
    return list(
        Question.objects.filter(form__programme=programme, form__side=side).order_by("order", "pk")
    )


def consented_identity(application: Application) -> dict[str, str]:
    """The identity answers held under a consent that is still active: {dimension: value}."""
    disclosures = list(
        IdentityDisclosure.objects.filter(application=application).only(
            "dimension", "value", "consent_id"
        )
    )
    active = active_consent_ids(consent_ids=[d.consent_id for d in disclosures])
    return {d.dimension: d.value for d in disclosures if d.consent_id in active}


# --- the matching engine's input ------------------------------------------------------------

MATCHING_STATUSES = (Application.Status.ACCEPTED,)


# The columns a matching profile reads, as ``values()`` names them.
PROFILE_FIELDS = (
    "pk",
    "side",
    "cohort_id",
    "answers",
    "person_id",
    "person__organisation_id",
    "person__department",
    "person__grade_level",
    "person__manager_id",
    "person__time_zone",
    "person__organisation__mentor_load_cap",
)


# The same columns read from an application already loaded (``person__grade_level`` is
# ``application.person.grade_level``), so the one-by-one profile cannot drift from the bulk one.
_PROFILE_GETTERS = {name: attrgetter(name.replace("__", ".")) for name in PROFILE_FIELDS}


def _row(application: Application) -> dict[str, Any]:
    """One application as the flat row ``matching_input`` reads with ``values()``."""
    return {name: get(application) for name, get in _PROFILE_GETTERS.items()}


def _profile(
    row: dict[str, Any],
    questions: list[Question],
    identity_values: dict[str, str],
    seek: set[str],
) -> dict[str, Any]:
    answers = row["answers"] or {}
    profile: dict[str, Any] = {
        "application_id": row["pk"],
        "person_id": row["person_id"],
        "side": row["side"],
        "cohort_id": row["cohort_id"],
        "organisation_id": row["person__organisation_id"],
        "department": row["person__department"],
        "grade_level": row["person__grade_level"],
        "manager_id": row["person__manager_id"],
        "time_zone": row["person__time_zone"],
        "topics": [],
        "topics_avoid": [],
        "topics_back": [],
        "text": [],
        "availability": [],
        "languages": [],
        "culture_history": [],
        "capacity": 1,
        "preferences": {},
        "identity": {k: v for k, v in identity_values.items() if k in seek},
    }
    for question in questions:
        use = question.use
        if not use:
            continue
        value = answers.get(str(question.pk))
        if value in (None, "", [], False):
            continue
        if use in (Question.Use.TOPICS, Question.Use.TOPICS_AVOID, Question.Use.TOPICS_BACK):
            key = str(use)
            profile[key] = sorted(set(profile[key]) | {int(v) for v in value})
        elif use == Question.Use.TEXT:
            profile["text"].append(str(value))
        elif use == Question.Use.AVAILABILITY:
            profile["availability"] = sorted(set(profile["availability"]) | set(value))
        elif use in (Question.Use.LANGUAGES, Question.Use.CULTURE_HISTORY):
            items = value if isinstance(value, list) else [value]
            profile[use] = [*profile[use], *[str(v) for v in items]]
        elif use == Question.Use.CAPACITY:
            try:
                profile["capacity"] = max(1, int(value))
            except (TypeError, ValueError):
                profile["capacity"] = 1
        elif use == Question.Use.PREFERENCE:
            profile["preferences"][question.label] = value
    if row["side"] == Side.MENTOR:
        profile["capacity"] = min(profile["capacity"], row["person__organisation__mentor_load_cap"])
    return profile


def matching_profile(application: Application) -> dict[str, Any]:
    """What the matching engine may use about one applicant.

    Identity data appears only where the applicant still consents and the programme seeks
    difference on that dimension; sensitive free text never appears.
    """
    programme = application.programme
    seek = set(programme.identity_dimensions or [])
    questions = [q for q in form_questions(programme, application.side) if not q.sensitive or q.use]
    profile = _profile(_row(application), questions, consented_identity(application), seek)
    styles = _working_styles(programme, [application.pk])
    if application.pk in styles:
        profile["working_style"] = styles[application.pk]
    return profile


def matching_input(
    programme: Programme,
    *,
    statuses: tuple[str, ...] = MATCHING_STATUSES,
    cohort: Cohort | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """Profiles of the programme's applicants for the matching engine, by side.

    Only applicants who may take part; identity data only under active consent, read in bulk
    (a fixed number of queries whatever the size of the programme).
    """
    # Plain rows, not model instances: at 10,000 applicants building the objects cost as much
    # as decrypting the answers. "May take part" (``Application.may_take_part``) is asked of
    # the database: eligible, or let in by a coordinator with a recorded reason.
    apps = Application.objects.filter(programme=programme, status__in=statuses).filter(
        Q(eligible=True) | ~Q(eligibility_override_reason="")
    )
    if cohort is not None:
        apps = apps.filter(cohort=cohort)
    rows = list(apps.order_by("pk").values(*PROFILE_FIELDS))
    ids = [row["pk"] for row in rows]
    disclosures = list(
        IdentityDisclosure.objects.filter(application_id__in=ids).only(
            "application_id", "dimension", "value", "consent_id"
        )
    )
    active = active_consent_ids(consent_ids={d.consent_id for d in disclosures})
    by_application: dict[int, dict[str, str]] = {}
    for d in disclosures:
        if d.consent_id in active:
            by_application.setdefault(d.application_id, {})[d.dimension] = d.value
    seek = set(programme.identity_dimensions or [])
    questions: dict[str, list[Question]] = {
        side: [q for q in form_questions(programme, side) if not q.sensitive or q.use]
        for side in (Side.LEADER, Side.MENTOR)
    }
    styles = _working_styles(programme, ids)
    result: dict[str, list[dict[str, Any]]] = {Side.LEADER: [], Side.MENTOR: []}
    for row in rows:
        profile = _profile(row, questions[row["side"]], by_application.get(row["pk"], {}), seek)
        if row["pk"] in styles:
            profile["working_style"] = styles[row["pk"]]
        result[row["side"]].append(profile)
    return result


def _working_styles(programme: Programme, ids: list[int]) -> dict[int, dict[str, float]]:
    """Working-style trait scores under active consent, when the programme matches on them."""
    from .working_style import asked, profiles_for

    return profiles_for(ids) if asked(programme) else {}
