"""Application forms (the questions on each side) and eligibility rules."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from upward.core.versioning import claim_version, save_versioned
from upward.directory.models import Organisation

from .. import defaults
from ..eligibility import eligibility_reasons
from ..errors import RuleBroken
from ..models import Application, ApplicationForm, EligibilityRule, Programme, Question

K = Question.Kind
U = Question.Use

# Which kinds of question each matching use can read.
USE_KINDS: dict[str, set[str]] = {
    U.TOPICS: {K.TOPICS},
    U.TOPICS_AVOID: {K.TOPICS},
    U.TEXT: {K.SHORT_TEXT, K.LONG_TEXT},
    U.AVAILABILITY: {K.AVAILABILITY},
    U.LANGUAGES: {K.MULTIPLE_CHOICE, K.SHORT_TEXT},
    U.CULTURE_HISTORY: {K.MULTIPLE_CHOICE},
    U.CAPACITY: {K.SINGLE_CHOICE, K.SCALE},
    U.PREFERENCE: {K.SINGLE_CHOICE, K.MULTIPLE_CHOICE, K.SCALE},
    U.TOPICS_BACK: {K.TOPICS},
}
CHOICE_KINDS = {K.SINGLE_CHOICE, K.MULTIPLE_CHOICE}


def _answered(question: Question) -> bool:
    key = str(question.pk)
    return any(
        key in (answers or {})
        for answers in Application.objects.filter(
            programme=question.form.programme, side=question.form.side
        ).values_list("answers", flat=True)
    )


def question_save(
    *,
    form: ApplicationForm,
    by: Any,
    kind: str,
    label: str,
    help_text: str = "",
    required: bool = False,
    choices: list[str] | None = None,
    min_value: int = 1,
    max_value: int = 5,
    min_label: str = "",
    max_label: str = "",
    max_choices: int | None = None,
    use: str = "",
    sensitive: bool = False,
    question: Question | None = None,
    version: int | None = None,
) -> Question:
    """Add a question to a form, or change one. Every rule is checked before anything is saved.

    A change names the question's ``version`` it was made from.
    """
    if question is not None and version is None:
        raise RuleBroken("Reload the page: the version of the question you saw is missing.")
    if kind not in K.values:
        raise RuleBroken("Choose a kind of question from the list.")
    label = label.strip()
    if not label:
        raise RuleBroken("Write the question.")
    options = [c.strip() for c in (choices or []) if c.strip()]
    if kind in CHOICE_KINDS:
        if len(options) < 2:
            raise RuleBroken("Give at least two options, one a line.")
        if len({o.casefold() for o in options}) != len(options):
            raise RuleBroken("Each option must be different.")
    else:
        options = []
    if kind == K.SCALE:
        if min_value >= max_value:
            raise RuleBroken("The top of the scale must be above the bottom.")
        if max_value - min_value > 10:
            raise RuleBroken("A scale has at most 11 points.")
    if max_choices is not None:
        if kind not in (K.MULTIPLE_CHOICE, K.TOPICS):
            max_choices = None
        elif max_choices < 1:
            raise RuleBroken("The most options a person may pick must be at least 1.")
    if use and use not in U.values:
        raise RuleBroken("Choose how matching uses the answer from the list.")
    if use and kind not in USE_KINDS[use]:
        raise RuleBroken(
            f"Matching cannot read a {K(kind).label.lower()} question as “{U(use).label.lower()}”."
        )
    if question is not None and question.kind != kind and _answered(question):
        raise RuleBroken(
            "People have already answered this question, so its kind cannot change. Add a new "
            "question instead."
        )
    with transaction.atomic():
        target = question or Question(form=form)
        if question is None:
            last = form.questions.order_by("-order").first()
            target.order = (last.order + 1) if last else 0
        target.kind = kind
        target.label = label
        target.help_text = help_text.strip()
        target.required = required
        target.choices = options
        target.min_value, target.max_value = (min_value, max_value) if kind == K.SCALE else (1, 5)
        target.min_label = min_label.strip() if kind == K.SCALE else ""
        target.max_label = max_label.strip() if kind == K.SCALE else ""
        target.max_choices = max_choices
        target.use = use
        target.sensitive = sensitive
        if question is not None and version is not None:
            save_versioned(
                target,
                expected_version=version,
                fields=[
                    "kind",
                    "label",
                    "help_text",
                    "required",
                    "choices",
                    "min_value",
                    "max_value",
                    "min_label",
                    "max_label",
                    "max_choices",
                    "use",
                    "sensitive",
                ],
                what="this question",
            )
        else:
            target.save()
        _mark_customised(form)
    return target


def _mark_customised(form: ApplicationForm) -> None:
    if not form.customised:
        form.customised = True
        form.save(update_fields=["customised", "updated_at"])


def question_remove(*, question: Question, by: Any) -> None:
    """Remove a question. Answers already given stay stored but are no longer shown."""
    form = question.form
    with transaction.atomic():
        question.delete()
        _mark_customised(form)


def question_move(*, question: Question, by: Any, direction: str) -> None:
    if direction not in ("up", "down"):
        raise RuleBroken("Move a question up or down.")
    with transaction.atomic():
        ordered = list(question.form.questions.select_for_update().order_by("order", "pk"))
        index = next(i for i, q in enumerate(ordered) if q.pk == question.pk)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(ordered):
            return
        ordered[index], ordered[other] = ordered[other], ordered[index]
        for position, item in enumerate(ordered):
            if item.order != position:
                item.order = position
                item.save(update_fields=["order"])
        _mark_customised(question.form)


def form_intro_set(*, form: ApplicationForm, by: Any, version: int, intro: str) -> ApplicationForm:
    form.intro = intro.strip()
    save_versioned(
        form, expected_version=version, fields=["intro"], what="this form's introduction"
    )
    return form


def form_reset(*, programme: Programme, side: str, by: Any) -> ApplicationForm:
    """Go back to the default questions for the programme's objectives."""
    if Application.objects.filter(programme=programme, side=side).exists():
        raise RuleBroken(
            "People have already applied with this form, so it cannot be reset. Change its "
            "questions one by one instead."
        )
    with transaction.atomic():
        return defaults.build_default_form(programme, side)


def eligibility_rule_set(
    *,
    programme: Programme,
    side: str,
    by: Any,
    grade_min: int | None,
    grade_max: int | None,
    min_tenure_months: int,
    organisations: Iterable[Organisation],
    respect_mentor_load: bool,
    version: int | None,
) -> tuple[EligibilityRule, int]:
    """Change who may apply on one side, and re-check the applications not yet decided.

    ``version`` is the rule's version the change was made from (None only when the side had no
    rule yet). Returns the rule and how many undecided applications changed eligibility.
    """
    chosen = list(organisations)
    participating = set(programme.organisations.values_list("pk", flat=True))
    if any(o.pk not in participating for o in chosen):
        raise RuleBroken("Choose only organisations taking part in the programme.")
    if grade_min is not None and grade_max is not None and grade_min > grade_max:
        raise RuleBroken("The lowest grade must not be above the highest grade.")
    if min_tenure_months < 0 or min_tenure_months > 600:
        raise RuleBroken("Time in the organisation is between 0 and 600 months.")
    changed = 0
    with transaction.atomic():
        rule, created = EligibilityRule.objects.select_for_update().get_or_create(
            programme=programme, side=side
        )
        if not created:
            if version is None:
                raise RuleBroken("Reload the page: the version of the rules you saw is missing.")
            claim_version(rule, expected_version=version, what="these eligibility rules")
        rule.grade_min = grade_min
        rule.grade_max = grade_max
        rule.min_tenure_months = min_tenure_months
        rule.respect_mentor_load = respect_mentor_load
        rule.save(
            update_fields=["grade_min", "grade_max", "min_tenure_months", "respect_mentor_load"]
        )
        rule.organisations.set(chosen)
        undecided = Application.objects.filter(
            programme=programme,
            side=side,
            status__in=(Application.Status.SUBMITTED, Application.Status.WAITLISTED),
        ).select_related("person__organisation")
        for application in undecided:
            reasons = eligibility_reasons(programme=programme, side=side, person=application.person)
            eligible = not reasons
            if eligible != application.eligible or reasons != application.eligibility_reasons:
                changed += eligible != application.eligible
                application.eligible = eligible
                application.eligibility_reasons = reasons
                application.save(update_fields=["eligible", "eligibility_reasons", "updated_at"])
    return rule, changed
