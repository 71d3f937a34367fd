"""What the programmes app holds about a person, for their subject access export and erasure;
what goes when a programme's retention period ends; who takes part in a programme, for the
audit view; and each look at an application's identity answers, copied into the access log."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from upward.directory.models import Person
from upward.privacy.audit import current_where
from upward.privacy.models import AccessKind
from upward.privacy.registry import DataSubject
from upward.privacy.services import access_log_record, delete_with_history

from . import identity, working_style
from . import selectors as programme_selectors
from .models import (
    Application,
    Invitation,
    InvitationWave,
    ProgrammeLog,
    StakeholderInterview,
)
from .questions import answers_for_display


def log_sensitive_access(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """The programmes app records each look at an application's special-category answers in
    its own SensitiveAccess table; the same read goes to the tamper-proof access log."""
    if not created or kwargs.get("raw"):
        return
    application = instance.application
    access_log_record(
        actor=instance.viewer,
        subject_person=application.person,
        kind=AccessKind.SPECIAL_CATEGORY,
        object_ref=f"application:{application.pk}",
        route=current_where() or f"programmes: {instance.channel}",
        programme=instance.programme_id,
    )


def programme_applicants(programme_ids: set[int]) -> Any:
    """People invited to or applying to the programmes: their coordinators' audit scope."""
    return Person.objects.filter(
        Q(pk__in=Application.objects.filter(programme_id__in=programme_ids).values("person_id"))
        | Q(pk__in=Invitation.objects.filter(programme_id__in=programme_ids).values("person_id"))
    ).values("pk")


def _identity_label(code: str, value: str) -> tuple[str, str]:
    dimension = identity.BY_CODE.get(code)
    if dimension is None:
        return code, value
    return str(dimension.label), str(dimension.option_label(value))


def export_programmes(subject: DataSubject) -> dict[str, Any]:
    """Invitations and applications: answers in the person's words, the identity answers they
    shared, and every time a coordinator looked at those."""
    if subject.person is None:
        return {"invitations": [], "applications": []}
    invitations = [
        {
            "programme": i.programme.name,
            "side": i.get_side_display(),
            "status": i.get_status_display(),
            "sent_to": i.email,
            "sent_at": i.sent_at,
            "opened_at": i.opened_at,
            "declined_at": i.declined_at,
        }
        for i in Invitation.objects.filter(person=subject.person).select_related("programme")
    ]
    applications = []
    for a in Application.objects.filter(person=subject.person).select_related(
        "programme", "cohort"
    ):
        rows = answers_for_display(
            programme_selectors.form_questions(a.programme, a.side),
            a.answers or {},
            a.programme.topics.all(),
            include_sensitive=True,
        )
        applications.append(
            {
                "programme": a.programme.name,
                "side": a.get_side_display(),
                "status": a.get_status_display(),
                "submitted_at": a.submitted_at,
                "decided_at": a.decided_at,
                "withdrawn_at": a.withdrawn_at,
                "cohort": a.cohort.name if a.cohort else None,
                "eligible": a.eligible,
                "eligibility_reasons": a.eligibility_reasons,
                "answers": {str(r["question"].label): r["text"] for r in rows if r["answered"]},
                "identity_shared": dict(
                    _identity_label(d.dimension, d.value) for d in a.identity_disclosures.all()
                ),
                "working_style": {
                    row["label"]: row["score"] for row in working_style.own_scores(a)
                },
                "identity_looked_at_by": [
                    {
                        "when": look.created_at,
                        "by": f"staff user #{look.viewer_id}" if look.viewer_id else "the system",
                        "reason": look.get_reason_display(),
                    }
                    for look in a.sensitive_accesses.all()
                ],
            }
        )
    return {"invitations": invitations, "applications": applications}


def erase_programme_log(subject: DataSubject) -> dict[str, int]:
    """Log entries about the person's applications name them ("Eligibility overridden for …"):
    they go before the applications themselves."""
    if subject.person is None:
        return {"log_entries_deleted": 0}
    rows = ProgrammeLog._base_manager.filter(application__person=subject.person)
    return {"log_entries_deleted": rows.delete()[0]}


def purge_programme_records(programme: Any) -> dict[str, int]:
    """An ended programme's records about people: applications (with identity answers and
    the record of who looked at them), invitations, stakeholder interviews, and log entries
    about individual applications. The programme, its objectives, cohorts and forms stay."""
    log = ProgrammeLog._base_manager.filter(programme=programme).filter(
        Q(application__isnull=False) | Q(action="eligibility_override")
    )
    counts = {"log_entries_deleted": log.delete()[0]}
    counts["applications_deleted"] = delete_with_history(
        Application._base_manager.filter(programme=programme)
    )
    counts["invitations_deleted"] = delete_with_history(
        Invitation._base_manager.filter(programme=programme)
    )
    counts["interviews_deleted"] = delete_with_history(
        StakeholderInterview._base_manager.filter(programme=programme)
    )
    # A wave's criteria may list the employee ids or emails it was sent to.
    counts["waves_cleared"] = InvitationWave._base_manager.filter(programme=programme).update(
        criteria={}
    )
    return counts
