"""What recognition holds about a person, for their export and erasure, and what goes when a
programme's retention ends. A certificate outlives retention with only what its verification
shows (name, programme, dates), so that it can still be checked; its holder's erasure ends it."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from upward.privacy.registry import DataSubject

from .models import Certificate, CompletionGrant, Story


def _stories_of(subject: DataSubject) -> Any:
    person = subject.person
    if person is None:
        return Story.objects.none()
    return Story.objects.filter(Q(pair__leader__person=person) | Q(pair__mentor__person=person))


def export_recognition(subject: DataSubject) -> dict[str, Any]:
    certificates = (
        Certificate.objects.filter(user=subject.user).select_related("programme")
        if subject.user is not None
        else Certificate.objects.none()
    )
    grants = (
        CompletionGrant.objects.filter(application__person=subject.person).select_related(
            "programme"
        )
        if subject.person is not None
        else CompletionGrant.objects.none()
    )
    return {
        "certificates": [
            {
                "programme": c.programme.name,
                "name": c.holder_name,
                "role": c.get_role_display(),
                "from": c.starts_on,
                "completed_on": c.completed_on,
                "code": c.grouped_code,
                "withdrawn_on": c.revoked_at,
            }
            for c in certificates
        ],
        "completion_granted": [
            {"programme": g.programme.name, "when": g.granted_at, "reason": g.reason}
            for g in grants
        ],
        "stories": [
            {
                "title": s.title,
                "text": s.body,
                "anonymised": s.anonymised,
                "published": s.published,
            }
            for s in _stories_of(subject).select_related("pair")
        ],
    }


def erase_recognition(subject: DataSubject) -> dict[str, int]:
    from upward.privacy.services import delete_with_history

    counts = {"stories_deleted": _stories_of(subject).delete()[0]}
    counts["certificates_deleted"] = (
        delete_with_history(Certificate.objects.filter(user=subject.user))
        if subject.user is not None
        else 0
    )
    counts["grants_deleted"] = (
        delete_with_history(CompletionGrant.objects.filter(application__person=subject.person))
        if subject.person is not None
        else 0
    )
    return counts


def purge_recognition(programme: Any) -> dict[str, int]:
    from upward.privacy.services import delete_with_history

    return {
        "stories_deleted": Story.objects.filter(pair__programme=programme).delete()[0],
        "grants_deleted": delete_with_history(CompletionGrant.objects.filter(programme=programme)),
        # What only the holder's page and PDF need; verification keeps name, programme, dates.
        "certificate_links_cleared": Certificate.objects.filter(
            programme=programme, application__isnull=False
        ).update(application=None, revoked_reason=""),
    }
