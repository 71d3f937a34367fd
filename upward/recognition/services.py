"""Writes of recognition, each one keyword-only service in one transaction: completion rules
and grants, certificates, stories, the recognition list and the close-out of a programme."""

from __future__ import annotations

import base64
import datetime as dt
import logging
import re
import secrets
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from upward.accounts.permissions import can_coordinate
from upward.core.versioning import claim_version, save_versioned
from upward.pairs.models import Pair
from upward.programmes.models import Application, Programme

from . import emails, selectors
from .errors import RecognitionRuleBroken
from .models import (
    MAX_MEETINGS,
    Certificate,
    Closure,
    CompletionGrant,
    CompletionRules,
    Story,
)

logger = logging.getLogger(__name__)

MAX_REASON = 1000
MAX_TITLE = 200
MAX_STORY = 10_000
SURVEY_DAYS = 21


def _coordinator(by: Any, programme: Programme) -> None:
    if not can_coordinate(by, programme):
        raise RecognitionRuleBroken("Only the programme's coordinators can do this.")


# --- completion rules and grants -------------------------------------------------------------


def rules_set(
    *,
    programme: Programme,
    by: Any,
    version: int,
    agreement_signed: bool,
    training_done: bool,
    min_meetings: int,
    final_checkin: bool,
) -> CompletionRules:
    """Choose the programme's completion rules. Edits carry the version they started from."""
    _coordinator(by, programme)
    if not 0 <= min_meetings <= MAX_MEETINGS:
        raise RecognitionRuleBroken(f"The number of meetings is 0 to {MAX_MEETINGS}.")
    with transaction.atomic():
        rules, _ = CompletionRules.objects.get_or_create(programme=programme)
        rules.agreement_signed = agreement_signed
        rules.training_done = training_done
        rules.min_meetings = min_meetings
        rules.final_checkin = final_checkin
        rules.updated_by = by
        save_versioned(
            rules,
            expected_version=version,
            fields=[
                "agreement_signed",
                "training_done",
                "min_meetings",
                "final_checkin",
                "updated_by",
            ],
            what="the completion rules",
        )
    logger.info("completion rules of programme %s set", programme.pk)
    return rules


def completion_grant(
    *, programme: Programme, application: Application, by: Any, reason: str
) -> CompletionGrant:
    """Count someone as having completed although the rules are not met, with the reason.
    The grant is kept in the audit log with who made it and when."""
    _coordinator(by, programme)
    reason = (reason or "").strip()
    if not reason:
        raise RecognitionRuleBroken("Give the reason for granting completion.")
    if len(reason) > MAX_REASON:
        raise RecognitionRuleBroken(f"Keep the reason to {MAX_REASON} characters.")
    row = selectors.status_of(programme, application)
    if row is None:
        raise RecognitionRuleBroken("This person is not in a pair of this programme.")
    if row.grant is not None:
        raise RecognitionRuleBroken("Completion was already granted to this person.")
    if row.met:
        raise RecognitionRuleBroken("This person already meets every rule: no grant is needed.")
    with transaction.atomic():
        grant = CompletionGrant(
            programme=programme,
            application=application,
            reason=reason,
            granted_by=by,
            granted_at=timezone.now(),
        )
        # The audit history names who granted it, from a page, the API or a command alike.
        grant._history_user = by  # type: ignore[attr-defined]
        grant.save()
    logger.info("completion granted in programme %s", programme.pk)
    return grant


# --- certificates ----------------------------------------------------------------------------


def new_code() -> str:
    """80 random bits from the operating system, as 16 base32 characters."""
    return base64.b32encode(secrets.token_bytes(10)).decode()


def _issue(row: selectors.PersonStatus, *, completed_on: dt.date) -> Certificate:
    code = new_code()
    programme = row.pair.programme
    return Certificate.objects.create(
        programme=programme,
        user_id=row.application.user_id,
        application=row.application,
        holder_name=row.name,
        role=row.role,
        starts_on=programme.starts_on or row.pair.since.date(),
        completed_on=completed_on,
        code_hash=selectors.code_hash(code),
        code=code,
        granted=not row.met,
        issued_at=timezone.now(),
    )


def certificate_issue(*, programme: Programme, application: Application, by: Any) -> Certificate:
    """Issue the certificate of someone who completed, or was granted completion."""
    _coordinator(by, programme)
    row = selectors.status_of(programme, application)
    if row is None:
        raise RecognitionRuleBroken("This person is not in a pair of this programme.")
    if row.certificate is not None:
        raise RecognitionRuleBroken("This person already has a certificate for this programme.")
    if not row.completes:
        raise RecognitionRuleBroken(
            "This person has not completed the programme: "
            + " ".join(row.unmet)
            + " Grant completion with a reason if they should have a certificate."
        )
    with transaction.atomic():
        certificate = _issue(row, completed_on=timezone.localdate())
    logger.info("certificate %s issued in programme %s", certificate.pk, programme.pk)
    return certificate


def pair_completed(*, pair: Pair, action: str, by: Any, reason: str = "") -> None:
    """When a coordinator marks a pair completed, each of its two people who completes under
    the programme's rules gets their certificate (a hook of the pairs app)."""
    if action != "complete":
        return
    for row in selectors.completion_status(pair.programme):
        if row.pair.pk == pair.pk and row.completes and row.certificate is None:
            _issue(row, completed_on=timezone.localdate())


def certificate_revoke(*, certificate: Certificate, by: Any, reason: str) -> Certificate:
    """Withdraw a certificate. The verification page then says it was withdrawn, and no more."""
    _coordinator(by, certificate.programme)
    reason = (reason or "").strip()
    if not reason:
        raise RecognitionRuleBroken("Give the reason for withdrawing the certificate.")
    if len(reason) > MAX_REASON:
        raise RecognitionRuleBroken(f"Keep the reason to {MAX_REASON} characters.")
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.revoked_at is not None:
            raise RecognitionRuleBroken("This certificate was already withdrawn.")
        locked.revoked_at = timezone.now()
        locked.revoked_reason = reason
        locked.revoked_by = by
        locked._history_user = by  # type: ignore[attr-defined]
        locked.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
    logger.info("certificate %s withdrawn", locked.pk)
    return locked


def listing_set(*, user: Any, programme: Programme, listed: bool, channel: str = "web") -> bool:
    """Whether the person appears on the programme's recognition list (a consent of theirs)."""
    from upward.consent.services import consent_give, consent_withdraw_purpose

    if not Certificate.objects.filter(programme=programme, user=user).exists():
        raise RecognitionRuleBroken("Only people with a certificate of the programme are listed.")
    if listed:
        consent_give(
            user=user,
            purpose=selectors.LISTING_PURPOSE,
            channel=channel,
            scope=programme.slug,
            scope_label=programme.name,
        )
    else:
        consent_withdraw_purpose(
            user=user, purpose=selectors.LISTING_PURPOSE, channel=channel, scope=programme.slug
        )
    return listed


# --- stories ---------------------------------------------------------------------------------


def _clean_story(title: str, body: str) -> tuple[str, str]:
    title, body = (title or "").strip(), (body or "").strip()
    if not title or len(title) > MAX_TITLE:
        raise RecognitionRuleBroken(f"Give the story a title of at most {MAX_TITLE} characters.")
    if not body:
        raise RecognitionRuleBroken("Write the story before saving it.")
    if len(body) > MAX_STORY:
        raise RecognitionRuleBroken(f"Keep the story to {MAX_STORY} characters.")
    return title, body


def identifying_words(pair: Pair, text: str) -> list[str]:
    """The two people's names (whole or in part) and departments found in the text."""
    found: list[str] = []
    for application in (pair.leader, pair.mentor):
        person = application.person
        parts = [str(person.name), *str(person.name).split()]
        # Their department and job title ("Head of Finance") say who they are as well.
        for attribute in ("department", "job_title"):
            value = str(getattr(person, attribute, "") or "")
            if value:
                parts.append(value)
        for word in parts:
            if len(word) < 3 or word in found:
                continue
            if re.search(rf"\b{re.escape(word)}\b", text, flags=re.IGNORECASE):
                found.append(word)
    return found


def _member(story_or_pair: Story | Pair, by: Any) -> str:
    pair = story_or_pair.pair if isinstance(story_or_pair, Story) else story_or_pair
    side = pair.side_of(by)
    if side is None:
        raise RecognitionRuleBroken("Only the two people of the pair can write its story.")
    return side


def story_draft(*, pair: Pair, by: Any, title: str, body: str, anonymised: bool) -> Story:
    """Either person of the pair drafts a story. Nobody has consented yet."""
    _member(pair, by)
    title, body = _clean_story(title, body)
    with transaction.atomic():
        story = Story.objects.create(
            pair=pair, author=by, title=title, body=body, anonymised=anonymised
        )
    logger.info("story %s drafted for pair %s", story.pk, pair.pk)
    return story


def story_edit(
    *, story: Story, by: Any, version: int, title: str, body: str, anonymised: bool
) -> Story:
    """Change the text: both consents are cleared, so the story stops being published."""
    _member(story, by)
    title, body = _clean_story(title, body)
    with transaction.atomic():
        story.title, story.body, story.anonymised = title, body, anonymised
        story.leader_consent_hash = story.mentor_consent_hash = ""
        story.leader_consent_at = story.mentor_consent_at = None
        save_versioned(
            story,
            expected_version=version,
            fields=[
                "title",
                "body",
                "anonymised",
                "leader_consent_hash",
                "leader_consent_at",
                "mentor_consent_hash",
                "mentor_consent_at",
            ],
            what="the story",
        )
    return story


def story_consent(*, story: Story, by: Any, version: int) -> Story:
    """Agree to publishing this exact text (the version the person read)."""
    side = _member(story, by)
    if story.anonymised:
        named = identifying_words(story.pair, f"{story.title}\n{story.body}")
        if named:
            raise RecognitionRuleBroken(
                "The story is meant to be anonymised but names "
                + ", ".join(f"“{w}”" for w in named)
                + ". Edit it first, or publish it with names."
            )
    with transaction.atomic():
        setattr(story, f"{side}_consent_hash", story.text_hash)
        setattr(story, f"{side}_consent_at", timezone.now())
        save_versioned(
            story,
            expected_version=version,
            fields=[f"{side}_consent_hash", f"{side}_consent_at"],
            what="the story",
        )
    return story


def story_withdraw(*, story: Story, by: Any) -> Story:
    """Take one's consent back: the story is unpublished at once. No version: withdrawing must
    always work, whatever the other person did meanwhile."""
    side = _member(story, by)
    with transaction.atomic():
        Story.objects.filter(pk=story.pk).update(
            **{f"{side}_consent_hash": "", f"{side}_consent_at": None}
        )
        story.refresh_from_db()
    return story


def story_delete(*, story: Story, by: Any) -> None:
    _member(story, by)
    story.delete()


# --- close-out -------------------------------------------------------------------------------

# Apps may add a step to the close-out (called in its transaction with programme and by).
CLOSE_HOOKS: list[Callable[..., object]] = []


def retention_date(programme: Programme, today: dt.date) -> dt.date:
    ends = programme.ends_on if programme.ends_on and programme.ends_on <= today else today
    return ends + dt.timedelta(days=settings.UPWARD_RETENTION_DAYS + 1)


def final_survey_instruments(programme: Programme) -> list[str]:
    """The instruments asked before the programme and not yet after it: the final survey."""
    from upward.evidence.models import Campaign

    before = set(
        Campaign.objects.filter(programme=programme, stage=Campaign.Stage.PRE).values_list(
            "instrument", flat=True
        )
    )
    after = set(
        Campaign.objects.filter(programme=programme, stage=Campaign.Stage.POST).values_list(
            "instrument", flat=True
        )
    )
    return sorted(before - after)


def programme_close(*, programme: Programme, by: Any, version: int) -> Closure:
    """End the programme: close every live pair (telling each person), launch the final survey,
    issue the certificates of everyone who completed, move the programme to its celebration,
    and schedule its retention (applied at once when already due). Done once."""
    from upward.evidence.services import campaign_create
    from upward.pairs.services import pair_move
    from upward.privacy.services import programme_retention_apply
    from upward.programmes.services.programmes import programme_phase_set

    _coordinator(by, programme)
    today = timezone.localdate()
    with transaction.atomic():
        locked = Programme.objects.select_for_update().get(pk=programme.pk)
        done = Closure.objects.filter(programme=locked).first()
        if done is not None:
            raise RecognitionRuleBroken(
                f"This programme was already closed on {done.closed_at:%d %B %Y}."
            )
        claim_version(locked, expected_version=version, what="the programme")
        if locked.phase != Programme.Phase.CELEBRATION:
            programme_phase_set(programme=locked, by=by, phase=Programme.Phase.CELEBRATION)
            locked.phase = Programme.Phase.CELEBRATION
        told: list[tuple[Any, str, str]] = []
        closed = ended = 0
        for pair in Pair.objects.filter(programme=locked).select_related(
            "leader__person", "leader__user", "mentor__person", "mentor__user"
        ):
            if not pair.live:
                continue
            action = "end" if pair.state == Pair.State.PREPARING else "complete"
            pair_move(pair=pair, action=action, by=by, version=None, note="The programme closed.")
            closed += action == "complete"
            ended += action == "end"
            for me, other in ((pair.leader, pair.mentor), (pair.mentor, pair.leader)):
                told.append((me.user, str(me.person.name), str(other.person.name)))
        issued = 0
        for row in selectors.completion_status(locked):
            if row.completes and row.certificate is None:
                _issue(row, completed_on=today)
                issued += 1
        surveys = []
        for instrument in final_survey_instruments(locked):
            campaign = campaign_create(
                programme=locked,
                by=by,
                title=f"After the programme: {locked.name}"[:200],
                instrument=instrument,
                stage="post",
                opens_on=today,
                closes_on=today + dt.timedelta(days=SURVEY_DAYS),
            )
            surveys.append(campaign.title)
        if locked.ends_on is None or locked.ends_on > today:
            locked.ends_on = today
            locked.save(update_fields=["ends_on"])
        retention_on = retention_date(locked, today)
        for hook in CLOSE_HOOKS:
            hook(programme=locked, by=by)
        summary: dict[str, Any] = {
            "pairs_completed": closed,
            "pairs_ended": ended,
            "certificates_issued": issued,
            "final_surveys": surveys,
        }
        closure = Closure.objects.create(
            programme=locked,
            closed_by=by,
            closed_at=timezone.now(),
            retention_on=retention_on,
            summary=summary,
        )
        if retention_on <= today:
            run = programme_retention_apply(programme=locked)
            closure.summary["retention_applied"] = True
            closure.summary["retention"] = run.summary
            closure.save(update_fields=["summary"])
        transaction.on_commit(lambda: emails.programme_closed(locked, told))
    logger.info("programme %s closed", programme.pk)
    programme.phase, programme.ends_on = locked.phase, locked.ends_on
    return closure
