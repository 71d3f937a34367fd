"""Applying, changing and withdrawing an application; screening decisions; sensitive views."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from django.db import IntegrityError, transaction
from django.utils import timezone

from upward.consent.errors import ConsentError
from upward.consent.models import Consent
from upward.consent.services import consent_give, consent_withdraw_purpose

from .. import identity, selectors
from .. import working_style as ws
from ..eligibility import eligibility_reasons
from ..errors import RuleBroken
from ..models import (
    Application,
    Cohort,
    IdentityDisclosure,
    Invitation,
    Programme,
    ProgrammeLog,
    SensitiveAccess,
    Side,
)
from ..questions import answers_for_display
from ._log import log
from .programmes import MIN_REASON_LENGTH

EDITABLE = (Application.Status.SUBMITTED, Application.Status.WAITLISTED)


def _check_identity(programme: Programme, values: dict[str, str], consents: set[str]) -> None:
    offered = set(programme.identity_dimensions or [])
    for code, value in values.items():
        dimension = identity.BY_CODE.get(code)
        if dimension is None or code not in offered:
            raise RuleBroken(f"This programme does not ask about '{code}'.")
        if value not in dict(dimension.options):
            raise RuleBroken(f"Choose one of the options given for {dimension.label.lower()}.")
        if code not in consents:
            raise RuleBroken(
                f"Your answer about {dimension.label.lower()} can only be kept with your "
                "consent. Tick the box to agree, or leave the question blank."
            )


def delete_identity_held_under(consent: Consent) -> None:
    """Withdrawal handler: the identity answers kept under a consent go with it."""
    IdentityDisclosure.objects.filter(consent=consent).delete()


def application_submit(
    *,
    programme: Programme,
    user: Any,
    side: str,
    answers: dict[str, Any],
    identity_values: dict[str, str],
    identity_consents: set[str],
    channel: str,
    working_style: list[int] | Literal[False] | None = False,
) -> Application:
    """Apply, or change an application before the deadline. Answers were validated by the form;
    this enforces who may apply, when, and that identity data is kept only with consent.

    ``working_style``: the ten questionnaire answers to keep under consent, ``None`` to withdraw
    that consent and delete them, ``False`` (or a programme that does not ask) to leave them."""
    person = selectors.person_of(user)
    if person is None:
        raise RuleBroken(
            "Your account is not linked to your organisation's directory, so you cannot apply. "
            "Ask the programme's coordinator."
        )
    view = selectors.participant_view(programme, person)
    if view is None:
        raise RuleBroken("This programme is not open to you.")
    if side not in Side.values:
        raise RuleBroken("Choose whether you are applying as a leader or a mentor.")
    _check_identity(programme, identity_values, identity_consents)
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
        existing = (
            Application.objects.select_for_update()
            .filter(programme=programme, person=person)
            .first()
        )
        if not programme.applications_open:
            if existing is not None and existing.status in EDITABLE:
                raise RuleBroken(
                    "The deadline has passed, so your answers can no longer be changed."
                )
            raise RuleBroken("Applications for this programme are not open.")
        if existing is not None and existing.status not in (
            *EDITABLE,
            Application.Status.WITHDRAWN,
        ):
            raise RuleBroken(
                "A decision has been made on your application, so it can no longer be changed. "
                "If something has changed, talk to the coordinator."
            )
        if existing is not None and existing.status in EDITABLE and existing.side != side:
            raise RuleBroken(
                "You applied on the other side. To change side, withdraw and apply again."
            )
        if (
            existing is None or existing.status == Application.Status.WITHDRAWN
        ) and side not in view.sides:
            raise RuleBroken("You were not invited on this side, and there is no open call for it.")
        reasons = eligibility_reasons(programme=programme, side=side, person=person)
        now = timezone.now()
        application = existing or Application(programme=programme, person=person, user=user)
        if existing is None or existing.status == Application.Status.WITHDRAWN:
            application.submitted_at = now
            application.status = Application.Status.SUBMITTED
            application.withdrawn_at = None
            application.decided_at = None
            application.decided_by = None
            application.cohort = None
        application.side = side
        application.user = user
        application.answers = answers
        application.eligible = not reasons
        application.eligibility_reasons = reasons
        if view.invitation is not None and view.invitation.side == side:
            application.invitation = view.invitation
        try:
            with transaction.atomic():
                application.save()
        except IntegrityError:
            raise RuleBroken("You have already applied to this programme.") from None
        if view.invitation is not None and view.invitation.status != Invitation.Status.APPLIED:
            invitation = view.invitation
            invitation.status = Invitation.Status.APPLIED
            invitation.applied_at = now
            invitation.opened_at = invitation.opened_at or now
            invitation.save(update_fields=["status", "applied_at", "opened_at"])
        _save_identity(application, identity_values, channel)
        if working_style is not False and ws.asked(programme):
            ws.working_style_save(application=application, answers=working_style, channel=channel)
    return application


def _save_identity(application: Application, values: dict[str, str], channel: str) -> None:
    programme = application.programme
    held = {d.dimension: d for d in application.identity_disclosures.all()}
    for code in programme.identity_dimensions or []:
        dimension = identity.BY_CODE.get(code)
        if dimension is None:
            continue
        value = values.get(code)
        if value:
            try:
                consent = consent_give(
                    user=application.user,
                    purpose=dimension.purpose_code,
                    scope=programme.scope,
                    scope_label=programme.name,
                    channel=channel,
                    wording_version=identity.WORDING_VERSION,
                )
            except ConsentError as exc:
                raise RuleBroken(str(exc)) from exc
            IdentityDisclosure.objects.update_or_create(
                application=application,
                dimension=code,
                defaults={"value": value, "consent": consent},
            )
        elif code in held:
            # Left blank where an answer was held: the person no longer wants to share it.
            consent_withdraw_purpose(
                user=application.user,
                purpose=dimension.purpose_code,
                scope=programme.scope,
                channel=channel,
            )
            IdentityDisclosure.objects.filter(application=application, dimension=code).delete()


def application_withdraw(*, application: Application, channel: str) -> Application:
    """The applicant steps back. Their identity answers for the programme are deleted too."""
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status == Application.Status.WITHDRAWN:
            raise RuleBroken("You have already withdrawn this application.")
        application.status = Application.Status.WITHDRAWN
        application.withdrawn_at = timezone.now()
        application.save(update_fields=["status", "withdrawn_at", "updated_at"])
        for disclosure in list(application.identity_disclosures.all()):
            dimension = identity.BY_CODE.get(disclosure.dimension)
            if dimension is not None:
                consent_withdraw_purpose(
                    user=application.user,
                    purpose=dimension.purpose_code,
                    scope=application.programme.scope,
                    channel=channel,
                )
        application.identity_disclosures.all().delete()
        if ws.WorkingStyle.objects.filter(application=application).exists():
            ws.working_style_save(application=application, answers=None, channel=channel)
    return application


def application_identity_stop(*, application: Application, dimension: str, channel: str) -> None:
    """Stop sharing one identity answer: its consent is withdrawn and the answer deleted."""
    spec = identity.BY_CODE.get(dimension)
    if spec is None or not application.identity_disclosures.filter(dimension=dimension).exists():
        raise RuleBroken("You have not shared that.")
    with transaction.atomic():
        consent_withdraw_purpose(
            user=application.user,
            purpose=spec.purpose_code,
            scope=application.programme.scope,
            channel=channel,
        )
        application.identity_disclosures.filter(dimension=dimension).delete()


DECISIONS = {
    "accept": Application.Status.ACCEPTED,
    "waitlist": Application.Status.WAITLISTED,
    "decline": Application.Status.DECLINED,
}
DECISION_WORDS = {"accept": "Accepted", "waitlist": "Waitlisted", "decline": "Declined"}


def applications_decide(
    *,
    programme: Programme,
    by: Any,
    application_ids: Sequence[int],
    decision: str,
    cohort: Cohort | None = None,
) -> int:
    """Accept, waitlist or decline applications, or put them in a cohort, all or none.

    ``decision`` is 'accept', 'waitlist', 'decline' or 'cohort' (assign to ``cohort``, or to no
    cohort when it is None).
    """
    ids = sorted(set(application_ids))
    if not ids:
        raise RuleBroken("Choose at least one application.")
    if decision not in (*DECISIONS, "cohort"):
        raise RuleBroken("Choose what to do with the applications.")
    if cohort is not None and cohort.programme_id != programme.pk:
        raise RuleBroken("Choose one of this programme's cohorts.")
    with transaction.atomic():
        apps = list(
            Application.objects.select_for_update()
            .filter(programme=programme, pk__in=ids)
            .select_related("person")
        )
        if len(apps) != len(ids):
            raise RuleBroken("Some of the chosen applications are not in this programme.")
        withdrawn = [a.person.name for a in apps if a.status == Application.Status.WITHDRAWN]
        if withdrawn:
            raise RuleBroken(
                "These people withdrew, so their applications cannot be decided: "
                + ", ".join(withdrawn)
                + "."
            )
        if decision == "accept":
            blocked = [a.person.name for a in apps if not a.may_take_part]
            if blocked:
                raise RuleBroken(
                    "These people do not meet the eligibility rules; record an override with a "
                    "reason before accepting them: " + ", ".join(blocked) + "."
                )
        now = timezone.now()
        for application in apps:
            fields = ["updated_at"]
            if decision in DECISIONS:
                application.status = DECISIONS[decision]
                application.decided_at = now
                application.decided_by = by
                fields += ["status", "decided_at", "decided_by"]
            if decision == "cohort" or cohort is not None:
                application.cohort = cohort
                fields.append("cohort")
            application.save(update_fields=fields)
        if cohort is not None and cohort.capacity is not None:
            leaders = cohort.applications.filter(
                side=Side.LEADER, status=Application.Status.ACCEPTED
            ).count()
            if leaders > cohort.capacity:
                raise RuleBroken(
                    f"{cohort.name} takes at most {cohort.capacity} pairs; this would put "
                    f"{leaders} accepted leaders in it."
                )
        if decision == "cohort":
            summary = f"Put {len(apps)} applications in {cohort.name if cohort else 'no cohort'}"
        else:
            summary = (
                f"{DECISION_WORDS[decision]} {len(apps)} application{'s' if len(apps) != 1 else ''}"
            )
            if cohort is not None:
                summary += f" into {cohort.name}"
        log(
            programme,
            by,
            ProgrammeLog.Action.DECISION,
            summary,
            application=apps[0] if len(apps) == 1 else None,
        )
    return len(apps)


def application_eligibility_override(
    *, application: Application, by: Any, reason: str
) -> Application:
    """Let someone take part who does not meet a rule, with the reason on the record."""
    reason = reason.strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise RuleBroken(
            f"Give a reason of at least {MIN_REASON_LENGTH} characters: it is kept on the record."
        )
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.eligible:
            raise RuleBroken("This person already meets the eligibility rules.")
        application.eligibility_override_reason = reason
        application.eligibility_overridden_by = by
        application.eligibility_overridden_at = timezone.now()
        application.save(
            update_fields=[
                "eligibility_override_reason",
                "eligibility_overridden_by",
                "eligibility_overridden_at",
                "updated_at",
            ]
        )
        log(
            application.programme,
            by,
            ProgrammeLog.Action.ELIGIBILITY_OVERRIDE,
            f"Eligibility overridden for {application.person.name}",
            reason=reason,
            application=application,
        )
    return application


def application_sensitive_view(
    *, application: Application, viewer: Any, reason: str, note: str = "", channel: str = "web"
) -> dict[str, Any]:
    """Show a coordinator the sensitive answers, recording who looked, why and what they saw."""
    if reason not in SensitiveAccess.Reason.values:
        raise RuleBroken("Choose why you need to see this information.")
    note = note.strip()
    if reason == SensitiveAccess.Reason.OTHER and not note:
        raise RuleBroken("Say why you need to see this information.")
    identity_values = selectors.consented_identity(application)
    identity_rows = [
        {
            "code": code,
            "label": identity.BY_CODE[code].label,
            "value": identity.BY_CODE[code].option_label(value),
        }
        for code, value in sorted(identity_values.items())
        if code in identity.BY_CODE
    ]
    questions = [
        q for q in selectors.form_questions(application.programme, application.side) if q.sensitive
    ]
    topics = list(application.programme.topics.all())
    answer_rows = [
        {"label": row["question"].label, "text": row["text"]}
        for row in answers_for_display(
            questions, application.answers or {}, topics, include_sensitive=True
        )
        if row["answered"]
    ]
    shown = [f"identity.{row['code']}" for row in identity_rows] + [
        f"question.{q.pk}" for q in questions if str(q.pk) in (application.answers or {})
    ]
    SensitiveAccess.objects.create(
        programme=application.programme,
        application=application,
        viewer=viewer,
        reason=reason,
        note=note[:300],
        fields=shown,
        channel=channel,
    )
    return {"identity": identity_rows, "answers": answer_rows}
