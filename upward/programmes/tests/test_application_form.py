"""Configurable application forms: every question type, bad input gets a clear message tied to
the question and nothing is saved, on the page and through the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from upward.consent.models import Consent
from upward.programmes import services
from upward.programmes.errors import RuleBroken
from upward.programmes.models import (
    Application,
    ApplicationForm,
    IdentityDisclosure,
    Invitation,
    Programme,
    Question,
    Topic,
)

K = Question.Kind


@pytest.fixture
def every_kind(ready_programme: Programme, coordinator: Any) -> dict[str, Question]:
    """The leaders' form with exactly one required question of each kind."""
    form = ApplicationForm.objects.get(programme=ready_programme, side="leader")
    form.questions.all().delete()
    specs = {
        "short": {"kind": K.SHORT_TEXT, "label": "Your role in one line"},
        "long": {"kind": K.LONG_TEXT, "label": "What do you hope to learn?"},
        "single": {
            "kind": K.SINGLE_CHOICE,
            "label": "How to meet",
            "choices": ["In person", "Video call"],
        },
        "multiple": {
            "kind": K.MULTIPLE_CHOICE,
            "label": "Networks you belong to",
            "choices": ["Race equality", "Disability", "Parents"],
            "max_choices": 2,
        },
        "topics": {"kind": K.TOPICS, "label": "Topics", "max_choices": 2, "use": "topics"},
        "scale": {
            "kind": K.SCALE,
            "label": "Comfort with feedback",
            "min_value": 1,
            "max_value": 5,
        },
        "availability": {"kind": K.AVAILABILITY, "label": "When can you meet?"},
        "ack": {"kind": K.ACKNOWLEDGEMENT, "label": "I will come as a learner."},
    }
    return {
        key: services.question_save(form=form, by=coordinator, required=True, **spec)
        for key, spec in specs.items()
    }


def _valid(every_kind: dict[str, Question], programme: Programme) -> dict[str, Any]:
    topics = list(programme.topics.order_by("pk"))
    q = every_kind
    return {
        q["short"].field_name: "Director of Operations",
        q["long"].field_name: "How decisions feel from the front line.",
        q["single"].field_name: "Video call",
        q["multiple"].field_name: ["Disability", "Race equality"],
        q["topics"].field_name: [str(topics[3].pk), str(topics[0].pk)],
        q["scale"].field_name: "4",
        q["availability"].field_name: ["wed_lunch", "mon_morning"],
        q["ack"].field_name: "on",
    }


@pytest.fixture
def invited_leader(ready_programme: Programme, leader: Any, invite: Any) -> Any:
    invite(ready_programme, leader, "leader")
    return leader


def _url(programme: Programme) -> str:
    return reverse("programmes:apply_side", args=[programme.slug, "leader"])


def test_valid_answers_are_stored_in_their_exact_shapes(
    client: Client, ready_programme: Programme, every_kind: dict[str, Question], invited_leader: Any
) -> None:
    client.force_login(invited_leader)
    page = client.get(_url(ready_programme))
    assert page.status_code == 200
    html = page.content.decode()
    grid = every_kind["availability"].field_name
    assert f'type="checkbox" name="{grid}" value="mon_morning"' in html
    response = client.post(_url(ready_programme), _valid(every_kind, ready_programme))
    assert response.status_code == 302, response.context and response.context["answers_form"].errors
    application = Application.objects.get()
    topics = list(ready_programme.topics.order_by("pk"))
    q = {k: str(v.pk) for k, v in every_kind.items()}
    assert application.answers == {
        q["short"]: "Director of Operations",
        q["long"]: "How decisions feel from the front line.",
        q["single"]: "Video call",
        q["multiple"]: ["Disability", "Race equality"],
        q["topics"]: sorted([topics[0].pk, topics[3].pk]),
        q["scale"]: 4,
        q["availability"]: ["mon_morning", "wed_lunch"],
        q["ack"]: True,
    }
    assert application.status == "submitted" and application.side == "leader"
    assert Invitation.objects.get().status == "applied"


def _other_topic(db: Any) -> str:
    other = Programme.objects.create(name="Elsewhere", slug="elsewhere")
    return str(Topic.objects.create(programme=other, name="Not ours").pk)


BAD = [
    ("short", "x" * 201, "Keep this to 200 characters or fewer."),
    ("short", "", "Answer this question."),
    ("long", "x" * 4001, "Keep this to 4000 characters or fewer."),
    ("long", "   ", "Answer this question."),
    ("single", "Carrier pigeon", "Choose from the options given."),
    ("single", "", "Choose one option."),
    ("multiple", ["Disability", "Golf club"], "Choose from the options given."),
    (
        "multiple",
        ["Disability", "Race equality", "Parents"],
        "Choose up to 2 options; you chose 3.",
    ),
    ("multiple", [], "Choose at least one option."),
    ("topics", "OTHER", "Choose from the options given."),
    ("topics", ["not-a-number"], "Choose from the options given."),
    ("topics", [], "Choose at least one option."),
    ("scale", "6", "Choose from the options given."),
    ("scale", "three", "Choose from the options given."),
    ("scale", "", "Choose one option."),
    ("availability", ["sun_morning"], "Choose from the options given."),
    ("availability", [], "Tick at least one time when you could meet."),
    ("ack", None, "Tick the box to confirm, or talk to the coordinator"),
]


@pytest.mark.parametrize(
    ("key", "value", "message"), BAD, ids=[f"{k}-{i}" for i, (k, _, _) in enumerate(BAD)]
)
def test_bad_input_gets_a_clear_message_and_nothing_is_saved(
    client: Client,
    ready_programme: Programme,
    every_kind: dict[str, Question],
    invited_leader: Any,
    key: str,
    value: Any,
    message: str,
) -> None:
    client.force_login(invited_leader)
    data = _valid(every_kind, ready_programme)
    name = every_kind[key].field_name
    if value == "OTHER":
        value = [_other_topic(None)]
    if value is None:
        data.pop(name)
    else:
        data[name] = value
    response = client.post(_url(ready_programme), data)
    assert response.status_code == 400
    form = response.context["answers_form"]
    assert set(form.errors) == {name}
    assert message in form.errors[name][0]
    html = response.content.decode()
    # The message is tied to its question and listed in the summary, which links to it.
    assert f'id="id_{name}_error"' in html
    assert f'href="#id_{name}"' in html
    assert "Nothing has been saved yet" in html
    assert not Application.objects.exists()
    assert Invitation.objects.get().status == "sent"
    # What the person typed is still there for them to fix.
    if key == "short" and value:
        assert value[:50] in html


IDENTITY_BAD = [
    ({"identity_ethnicity": "black"}, "consent_ethnicity", "tick the box to agree"),
    ({"consent_ethnicity": "on"}, "identity_ethnicity", "Choose an answer, or untick the box"),
    (
        {"identity_ethnicity": "martian", "consent_ethnicity": "on"},
        "identity_ethnicity",
        "Choose one of the options given.",
    ),
]


@pytest.mark.parametrize(("extra", "field", "message"), IDENTITY_BAD)
def test_identity_answers_need_consent_and_nothing_is_saved_without(
    client: Client,
    ready_programme: Programme,
    every_kind: dict[str, Question],
    invited_leader: Any,
    extra: dict[str, str],
    field: str,
    message: str,
) -> None:
    client.force_login(invited_leader)
    response = client.post(_url(ready_programme), {**_valid(every_kind, ready_programme), **extra})
    assert response.status_code == 400
    errors = response.context["identity_form"].errors
    assert message in errors[field][0]
    assert not Application.objects.exists()
    assert not Consent.objects.exists() and not IdentityDisclosure.objects.exists()


def test_the_form_works_fully_without_identity_answers(
    client: Client, ready_programme: Programme, every_kind: dict[str, Question], invited_leader: Any
) -> None:
    client.force_login(invited_leader)
    page = client.get(_url(ready_programme)).content.decode()
    assert "About you (optional)" in page and "You don't have to answer any of these" in page
    assert "Why we ask:" in page
    client.post(_url(ready_programme), _valid(every_kind, ready_programme))
    application = Application.objects.get()
    assert application.eligible  # not sharing changes nothing about eligibility
    assert not Consent.objects.exists()


def _api_answers(every_kind: dict[str, Question], programme: Programme) -> dict[str, Any]:
    topics = list(programme.topics.order_by("pk"))
    q = {k: str(v.pk) for k, v in every_kind.items()}
    return {
        q["short"]: "Director",
        q["long"]: "Listening.",
        q["single"]: "In person",
        q["multiple"]: ["Parents"],
        q["topics"]: [topics[0].pk],
        q["scale"]: 3,
        q["availability"]: ["fri_afternoon"],
        q["ack"]: True,
    }


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("scale", 9, "Choose from the options given."),
        ("multiple", "Parents", "Choose from the options given."),
        ("short", ["a", "b"], "Give one answer, not a list."),
        ("ack", "yes", "Answer true or false."),
        ("ack", False, "Tick the box to confirm, or talk to the coordinator"),
        ("topics", [999999], "Choose from the options given."),
    ],
)
def test_the_api_reports_bad_answers_by_question_and_saves_nothing(
    client: Client,
    ready_programme: Programme,
    every_kind: dict[str, Question],
    invited_leader: Any,
    key: str,
    value: Any,
    message: str,
) -> None:
    client.force_login(invited_leader)
    answers = _api_answers(every_kind, ready_programme)
    answers[str(every_kind[key].pk)] = value
    response = client.put(
        f"/api/v1/programmes/{ready_programme.slug}/application",
        {"side": "leader", "answers": answers},
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "Some answers need attention; nothing was saved."
    assert message in body["errors"][str(every_kind[key].pk)][0]
    assert not Application.objects.exists()


def test_the_api_rejects_unknown_questions_and_unasked_identity(
    client: Client, ready_programme: Programme, every_kind: dict[str, Question], invited_leader: Any
) -> None:
    client.force_login(invited_leader)
    answers = {**_api_answers(every_kind, ready_programme), "424242": "?"}
    response = client.put(
        f"/api/v1/programmes/{ready_programme.slug}/application",
        {
            "side": "leader",
            "answers": answers,
            "identity": {"religion": "buddhist"},
            "consent": ["religion"],
            "wording_version": "2026-1",
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["424242"] == ["There is no such question on this form."]
    assert errors["identity.religion"] == ["This programme does not ask about that."]
    assert not Application.objects.exists() and not Consent.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": K.SINGLE_CHOICE, "choices": ["Only one"]}, "at least two options"),
        ({"kind": K.MULTIPLE_CHOICE, "choices": ["A", "a"]}, "must be different"),
        ({"kind": K.SCALE, "min_value": 5, "max_value": 5}, "above the bottom"),
        ({"kind": K.SCALE, "min_value": 0, "max_value": 20}, "at most 11 points"),
        ({"kind": K.LONG_TEXT, "use": "availability"}, "Matching cannot read"),
        ({"kind": K.LONG_TEXT, "label": "  "}, "Write the question"),
        ({"kind": "essay"}, "Choose a kind of question"),
    ],
)
def test_question_builder_refuses_broken_questions(
    ready_programme: Programme, coordinator: Any, changes: dict[str, Any], message: str
) -> None:
    form = ApplicationForm.objects.get(programme=ready_programme, side="mentor")
    before = form.questions.count()
    kwargs = {"label": "A question", **changes}
    with pytest.raises(RuleBroken, match=message):
        services.question_save(form=form, by=coordinator, **kwargs)
    assert form.questions.count() == before


def test_an_answered_question_cannot_change_kind(
    ready_programme: Programme,
    coordinator: Any,
    every_kind: dict[str, Question],
    invited_leader: Any,
    apply_as: Any,
) -> None:
    apply_as(ready_programme, invited_leader, "leader")
    question = every_kind["short"]
    with pytest.raises(RuleBroken, match="cannot change"):
        services.question_save(
            form=question.form,
            by=coordinator,
            question=question,
            version=question.version,
            kind=K.LONG_TEXT,
            label="x",
        )
    question.refresh_from_db()
    assert question.kind == K.SHORT_TEXT
    # The wording can still change.
    services.question_save(
        form=question.form,
        by=coordinator,
        question=question,
        version=question.version,
        kind=K.SHORT_TEXT,
        label="Your job title",
        required=True,
    )


def test_builder_pages_add_move_edit_and_remove(
    client: Client, ready_programme: Programme, coordinator: Any
) -> None:
    client.force_login(coordinator)
    slug = ready_programme.slug
    form = ApplicationForm.objects.get(programme=ready_programme, side="mentor")
    count = form.questions.count()
    bad = client.post(
        reverse("programmes:question_new", args=[slug, "mentor"]),
        {"kind": "single_choice", "label": "Pick one", "choices": "Only"},
    )
    assert bad.status_code == 200 and "at least two options" in bad.content.decode()
    assert form.questions.count() == count
    added = client.post(
        reverse("programmes:question_new", args=[slug, "mentor"]),
        {
            "kind": "single_choice",
            "label": "Pick one",
            "choices": "Yes\nNo",
            "required": "on",
            "min_value": "1",
            "max_value": "5",
        },
    )
    assert added.status_code == 302
    question = form.questions.order_by("-order").first()
    assert question.label == "Pick one" and question.choices == ["Yes", "No"]
    client.post(
        reverse("programmes:question_move", args=[slug, "mentor", question.pk]), {"direction": "up"}
    )
    ordered = list(form.questions.order_by("order").values_list("pk", flat=True))
    assert ordered[-2] == question.pk
    form.refresh_from_db()
    assert form.customised
    client.post(reverse("programmes:question_remove", args=[slug, "mentor", question.pk]))
    assert not form.questions.filter(pk=question.pk).exists()
    client.post(reverse("programmes:form_reset", args=[slug, "mentor"]))
    form.refresh_from_db()
    assert not form.customised
    preview = client.post(reverse("programmes:form_preview", args=[slug, "mentor"]), {"x": "1"})
    assert preview.status_code == 200 and preview.context["answers_form"].errors
    assert not Application.objects.exists()


def test_default_forms_follow_the_objectives(ready_programme: Programme, coordinator: Any) -> None:
    labels = list(
        Question.objects.filter(form__programme=ready_programme, form__side="leader").values_list(
            "label", flat=True
        )
    )
    assert "Where do you think hierarchy stops good ideas from reaching you?" in labels
    assert any(label.startswith("I will come as a learner") for label in labels)
    mentor = list(
        Question.objects.filter(form__programme=ready_programme, form__side="mentor").values_list(
            "label", flat=True
        )
    )
    assert "What do you want to get from the programme yourself?" in mentor
    assert "Which topics would you be willing to talk about from your own experience?" in mentor
    services.programme_objectives_set(
        programme=ready_programme,
        by=coordinator,
        version=ready_programme.version,
        challenges=["cross_generational"],
        details={},
        others=["Close the gender pay gap in engineering"],
    )
    labels = list(
        Question.objects.filter(form__programme=ready_programme, form__side="leader").values_list(
            "label", flat=True
        )
    )
    assert "Where do you think hierarchy stops good ideas from reaching you?" not in labels
    assert any("Close the gender pay gap in engineering" in label for label in labels)
