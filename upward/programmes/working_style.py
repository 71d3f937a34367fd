"""Working style: the ten-item questionnaire (TIPI) asked when a programme matches on it.

The questionnaire is the Ten-Item Personality Inventory (see ``upward.matching.style`` for the
wording, the scoring and the citation). It is asked in the application only when the
programme gives the working-style criterion a weight above zero, and kept only with the
person's consent (purpose ``matching.working_style``, one consent per programme). The answers
are private: the person sees their own five trait scores on their application page and in
their own export; matching uses them only while the consent is active, and explains a pair in
words, never in scores. Withdrawing the consent deletes the answers.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import transaction

from upward.consent import purposes
from upward.consent.errors import ConsentError
from upward.consent.models import Consent
from upward.consent.selectors import active_consent_ids
from upward.consent.services import consent_give, consent_withdraw_purpose
from upward.matching.style import (
    CITATION,
    INSTRUCTIONS,
    ITEMS,
    SCALE,
    TRAIT_LABELS,
    TRAITS,
    WORDS,
    profile_from_items,
)

from .errors import RuleBroken
from .models import Application, Programme, WorkingStyle
from .policy import policy_of

PURPOSE = "matching.working_style"
WORDING_VERSION = "2026-1"
WORDING = (
    "I agree that Upward may keep my answers to the working-style questionnaire for {scope}, "
    "encrypted, and use them only to suggest a mentoring partner. Nobody else sees my answers "
    "or scores: my partner and the coordinators only see in words how our styles fit. I can "
    "withdraw this consent at any time from my consents page, and my answers will then be "
    "deleted."
)


def register_purpose() -> None:
    purposes.register(
        purposes.Purpose(
            code=PURPOSE,
            label="Working style for matching",
            statement=(
                "To suggest a partner whose working style fits yours, alike or complementary as "
                "the programme chooses."
            ),
            wording=WORDING,
            version=WORDING_VERSION,
        )
    )


def asked(programme: Programme) -> bool:
    """The programme matches on working style, so the questionnaire is part of its form."""
    return policy_of(programme.matching_policy).weights.get("working_style", 0) > 0


# --- the form -------------------------------------------------------------------------------


class WorkingStyleForm(forms.Form):
    """The ten statements, each on the seven-point scale, and the consent; all optional, but
    answers are kept only with all ten given and the consent ticked."""

    def __init__(self, *args: Any, scope_label: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(n), f"{n} — {label}") for n, label in enumerate(SCALE, start=1)]
        for number, (wording, _, _) in enumerate(ITEMS, start=1):
            self.fields[f"style_{number}"] = forms.TypedChoiceField(
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                label=f"{number}. {wording}",
                error_messages={"invalid_choice": "Choose a number from 1 to 7."},
            )
        self.fields["style_consent"] = forms.BooleanField(
            required=False, label=WORDING.format(scope=scope_label)
        )

    instructions = INSTRUCTIONS
    citation = CITATION

    def items(self) -> list[forms.BoundField]:
        return [self[f"style_{n}"] for n in range(1, len(ITEMS) + 1)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        given = [cleaned.get(f"style_{n}") for n in range(1, len(ITEMS) + 1)]
        answered = [v for v in given if v is not None]
        consent = bool(cleaned.get("style_consent"))
        if answered and len(answered) < len(ITEMS):
            self.add_error(
                None, "Answer all ten working-style statements, or leave them all blank."
            )
        elif answered and not consent:
            self.add_error(
                "style_consent",
                "To use your working style for matching, tick the box to agree. Or leave the "
                "statements blank: that is fine and changes nothing about your application.",
            )
        elif consent and not answered:
            self.add_error(None, "Answer the ten statements, or untick the box.")
        return cleaned

    def answers(self) -> list[int] | None:
        """The ten answers, or None when the person chose not to answer."""
        given = [self.cleaned_data.get(f"style_{n}") for n in range(1, len(ITEMS) + 1)]
        if any(v is None for v in given) or not self.cleaned_data.get("style_consent"):
            return None
        return [int(v) for v in given if v is not None]


def initial_for(application: Application | None) -> dict[str, Any]:
    """Form initial values from the answers held under active consent."""
    answers = held_answers(application) if application is not None else None
    if answers is None:
        return {}
    initial: dict[str, Any] = {f"style_{n}": str(v) for n, v in enumerate(answers, start=1)}
    initial["style_consent"] = True
    return initial


# --- writes ---------------------------------------------------------------------------------


def check_answers(answers: list[int]) -> list[int]:
    if (
        not isinstance(answers, list)
        or len(answers) != len(ITEMS)
        or any(isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= 7 for v in answers)
    ):
        raise RuleBroken("Give ten working-style answers, each a whole number from 1 to 7.")
    return list(answers)


def working_style_save(
    *, application: Application, answers: list[int] | None, channel: str
) -> None:
    """Keep the answers under the person's consent, or (``None``) withdraw it and delete
    whatever was held. Called inside the application's transaction."""
    programme = application.programme
    with transaction.atomic():
        if answers is None:
            consent_withdraw_purpose(
                user=application.user, purpose=PURPOSE, scope=programme.scope, channel=channel
            )
            WorkingStyle.objects.filter(application=application).delete()
            return
        answers = check_answers(answers)
        try:
            consent = consent_give(
                user=application.user,
                purpose=PURPOSE,
                scope=programme.scope,
                scope_label=programme.name,
                channel=channel,
                wording_version=WORDING_VERSION,
            )
        except ConsentError as exc:
            raise RuleBroken(str(exc)) from exc
        WorkingStyle.objects.update_or_create(
            application=application, defaults={"answers": answers, "consent": consent}
        )


def delete_held_under(consent: Consent) -> None:
    """Withdrawal handler: the answers kept under a consent go with it."""
    WorkingStyle.objects.filter(consent=consent).delete()


# --- reads ----------------------------------------------------------------------------------


def held_answers(application: Application) -> list[int] | None:
    """The person's answers, only while their consent is active."""
    held = WorkingStyle.objects.filter(application=application).first()
    if held is None or not active_consent_ids(consent_ids=[held.consent_id]):
        return None
    return list(held.answers)


def profiles_for(application_ids: list[int]) -> dict[int, dict[str, float]]:
    """Trait scores of these applications, only under active consent (two queries)."""
    held = list(WorkingStyle.objects.filter(application_id__in=application_ids))
    active = active_consent_ids(consent_ids={h.consent_id for h in held})
    out: dict[int, dict[str, float]] = {}
    for h in held:
        if h.consent_id in active:
            try:
                out[h.application_id] = profile_from_items(list(h.answers))
            except ValueError:
                continue
    return out


def own_scores(application: Application) -> list[dict[str, Any]]:
    """The person's own five trait scores with what a high and a low score mean: for them
    alone (their application page and their export)."""
    answers = held_answers(application)
    if answers is None:
        return []
    profile = profile_from_items(answers)
    return [
        {
            "trait": trait,
            "label": TRAIT_LABELS[trait],
            "score": profile[trait],
            "high": WORDS[trait][0],
            "low": WORDS[trait][1],
        }
        for trait in TRAITS
    ]
