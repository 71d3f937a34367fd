"""Turning a programme's configured questions into a form, answers and readable text.

Answers are stored as ``{question id: value}``: text for short and long text and single choice,
a list of option texts for multiple choice, a list of topic ids for the topic picker, an integer
for a scale, a list of slot codes for availability, and ``True`` for an acknowledgement.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms

from .models import Question, Topic

DAYS: tuple[tuple[str, str], ...] = (
    ("mon", "Monday"),
    ("tue", "Tuesday"),
    ("wed", "Wednesday"),
    ("thu", "Thursday"),
    ("fri", "Friday"),
)
PERIODS: tuple[tuple[str, str], ...] = (
    ("morning", "Morning (9 to 12)"),
    ("lunch", "Lunchtime (12 to 2)"),
    ("afternoon", "Afternoon (2 to 5)"),
    ("evening", "Early evening (5 to 7)"),
)
SLOTS: tuple[tuple[str, str], ...] = tuple(
    (f"{day}_{period}", f"{day_label} {period_label.split(' (')[0].lower()}")
    for day, day_label in DAYS
    for period, period_label in PERIODS
)
SLOT_LABELS = dict(SLOTS)

SHORT_TEXT_MAX = 200
LONG_TEXT_MAX = 4000


class AvailabilityGridWidget(forms.CheckboxSelectMultiple):
    """Checkboxes laid out as a week: a row per day, a column per part of the day."""

    template_name = "programmes/widgets/availability_grid.html"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        chosen = set(value or [])
        base_id = (attrs or {}).get("id") or f"id_{name}"
        rows = []
        for day, day_label in DAYS:
            cells = []
            for period, period_label in PERIODS:
                code = f"{day}_{period}"
                cells.append(
                    {
                        "value": code,
                        "id": f"{base_id}_{code}",
                        "checked": code in chosen,
                        "label": f"{day_label} {period_label.split(' (')[0].lower()}",
                    }
                )
            rows.append({"label": day_label, "cells": cells})
        context["grid"] = {
            "name": name,
            "periods": [
                {"name": label.split(" (")[0], "hours": label.split(" (")[1].rstrip(")")}
                for _, label in PERIODS
            ],
            "rows": rows,
        }
        return context


def _required_message(question: Question) -> str:
    if question.kind in (Question.Kind.MULTIPLE_CHOICE, Question.Kind.TOPICS):
        return "Choose at least one option."
    if question.kind == Question.Kind.AVAILABILITY:
        return "Tick at least one time when you could meet."
    if question.kind == Question.Kind.ACKNOWLEDGEMENT:
        return "Tick the box to confirm, or talk to the coordinator if you cannot commit to this."
    if question.kind in (Question.Kind.SINGLE_CHOICE, Question.Kind.SCALE):
        return "Choose one option."
    return "Answer this question."


def build_field(question: Question, topics: Sequence[Topic]) -> forms.Field:
    """The form field for one question, with clear messages for every kind of bad input."""
    messages = {
        "required": _required_message(question),
        "invalid_choice": "Choose from the options given.",
        "invalid_list": "Choose from the options given.",
    }
    common: dict[str, Any] = {
        "label": question.label,
        "help_text": question.help_text,
        "required": question.required,
        "error_messages": messages,
    }
    kind = question.kind
    if kind == Question.Kind.SHORT_TEXT:
        messages["max_length"] = f"Keep this to {SHORT_TEXT_MAX} characters or fewer."
        return forms.CharField(max_length=SHORT_TEXT_MAX, **common)
    if kind == Question.Kind.LONG_TEXT:
        messages["max_length"] = f"Keep this to {LONG_TEXT_MAX} characters or fewer."
        return forms.CharField(
            max_length=LONG_TEXT_MAX, widget=forms.Textarea(attrs={"rows": 5}), **common
        )
    if kind == Question.Kind.SINGLE_CHOICE:
        return forms.ChoiceField(
            choices=[(c, c) for c in question.choices], widget=forms.RadioSelect, **common
        )
    if kind == Question.Kind.MULTIPLE_CHOICE:
        return forms.MultipleChoiceField(
            choices=[(c, c) for c in question.choices],
            widget=forms.CheckboxSelectMultiple,
            **common,
        )
    if kind == Question.Kind.TOPICS:
        return forms.MultipleChoiceField(
            choices=[(str(t.pk), t.name) for t in topics],
            widget=forms.CheckboxSelectMultiple,
            **common,
        )
    if kind == Question.Kind.SCALE:
        choices = []
        for number in range(question.min_value, question.max_value + 1):
            label = str(number)
            if number == question.min_value and question.min_label:
                label = f"{number} — {question.min_label}"
            elif number == question.max_value and question.max_label:
                label = f"{number} — {question.max_label}"
            choices.append((str(number), label))
        return forms.TypedChoiceField(
            choices=choices, coerce=int, empty_value=None, widget=forms.RadioSelect, **common
        )
    if kind == Question.Kind.AVAILABILITY:
        return forms.MultipleChoiceField(
            choices=list(SLOTS), widget=AvailabilityGridWidget, **common
        )
    if kind == Question.Kind.ACKNOWLEDGEMENT:
        return forms.BooleanField(**common)
    raise ValueError(f"Unknown question kind: {kind}")


class AnswersForm(forms.Form):
    """The answers to one side's application form, built from its questions."""

    def __init__(
        self,
        *args: Any,
        questions: Sequence[Question],
        topics: Sequence[Topic],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[question.field_name] = build_field(question, topics)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for question in self.questions:
            value = cleaned.get(question.field_name)
            if (
                question.kind in (Question.Kind.MULTIPLE_CHOICE, Question.Kind.TOPICS)
                and question.max_choices
                and value
                and len(value) > question.max_choices
            ):
                self.add_error(
                    question.field_name,
                    f"Choose up to {question.max_choices} options; you chose {len(value)}.",
                )
        return cleaned

    def answers(self) -> dict[str, Any]:
        """The cleaned answers in storage form; unanswered optional questions are left out."""
        stored: dict[str, Any] = {}
        for question in self.questions:
            value = self.cleaned_data.get(question.field_name)
            if value in (None, "", [], False):
                continue
            if question.kind == Question.Kind.TOPICS:
                value = sorted(int(v) for v in value)
            elif question.kind == Question.Kind.AVAILABILITY:
                order = {code: i for i, (code, _) in enumerate(SLOTS)}
                value = sorted(value, key=order.__getitem__)
            elif (
                question.kind == Question.Kind.SHORT_TEXT
                or question.kind == Question.Kind.LONG_TEXT
            ):
                value = value.strip()
            stored[str(question.pk)] = value
        return stored


def initial_from(questions: Iterable[Question], answers: dict[str, Any]) -> dict[str, Any]:
    """Form initial values from stored answers, so an applicant edits what they wrote."""
    initial: dict[str, Any] = {}
    for question in questions:
        value = answers.get(str(question.pk))
        if value is None:
            continue
        if question.kind == Question.Kind.TOPICS:
            value = [str(v) for v in value]
        elif question.kind == Question.Kind.SCALE:
            value = str(value)
        initial[question.field_name] = value
    return initial


def data_from_api(
    questions: Sequence[Question], answers: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Form data from an API body keyed by question id, and problems the form cannot see."""
    by_id = {str(q.pk): q for q in questions}
    data: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for key, value in answers.items():
        question = by_id.get(str(key).removeprefix("q"))
        if question is None:
            problems[str(key)] = "There is no such question on this form."
            continue
        if question.kind == Question.Kind.ACKNOWLEDGEMENT:
            if value is True:
                data[question.field_name] = "on"
            elif value not in (False, None):
                problems[str(key)] = "Answer true or false."
            continue
        takes_list = question.kind in (
            Question.Kind.MULTIPLE_CHOICE,
            Question.Kind.TOPICS,
            Question.Kind.AVAILABILITY,
        )
        if isinstance(value, list) and not takes_list:
            problems[str(key)] = "Give one answer, not a list."
        elif isinstance(value, list):
            data[question.field_name] = [str(v) for v in value]
        elif isinstance(value, dict):
            problems[str(key)] = "Give a text, a number or a list of options."
        elif value is not None:
            data[question.field_name] = str(value)
    return data, problems


def display_value(question: Question, value: Any, topics_by_id: dict[int, str]) -> str:
    """An answer in words, for coordinators and for the applicant's own summary."""
    if value in (None, "", []):
        return ""
    kind = question.kind
    if kind == Question.Kind.TOPICS:
        return ", ".join(topics_by_id.get(int(v), "(a topic since removed)") for v in value)
    if kind == Question.Kind.AVAILABILITY:
        return ", ".join(SLOT_LABELS.get(v, v) for v in value)
    if kind == Question.Kind.MULTIPLE_CHOICE:
        return ", ".join(str(v) for v in value)
    if kind == Question.Kind.ACKNOWLEDGEMENT:
        return "Confirmed" if value else ""
    if kind == Question.Kind.SCALE:
        return f"{value} on a scale of {question.min_value} to {question.max_value}"
    return str(value)


def answers_for_display(
    questions: Iterable[Question],
    answers: dict[str, Any],
    topics: Iterable[Topic],
    *,
    include_sensitive: bool,
) -> list[dict[str, Any]]:
    topics_by_id = {t.pk: t.name for t in topics}
    rows = []
    for question in questions:
        value = answers.get(str(question.pk))
        hidden = question.sensitive and not include_sensitive
        rows.append(
            {
                "question": question,
                "answered": value not in (None, "", []),
                "hidden": hidden,
                "text": "" if hidden else display_value(question, value, topics_by_id),
            }
        )
    return rows
