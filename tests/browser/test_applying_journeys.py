"""Applying: a leader and two mentors apply through the form, and one takes their consent back.

- The leader applies with the keyboard alone (Tab, Shift+Tab, Space, Enter and typing), seeing
  where the focus is at every step, and leaves the optional identity questions alone.
- A mentor applies on a phone (390 x 844) and shares two identity answers, with consent.
- A third person applies in a browser with JavaScript turned off, shares an identity answer,
  then withdraws that consent: the answer leaves the matching engine's input.
"""

from __future__ import annotations

from typing import Any

from personas import PASSWORD, make_user
from upward.consent.models import Consent
from upward.directory.models import Organisation, Person
from upward.programmes import selectors
from upward.programmes.models import Application, Programme, Question, Side

FIELD_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  return {tag: el.tagName.toLowerCase(), type: el.type || '', name: el.name || '',
          value: el.value || '', checked: !!el.checked, text: (el.innerText || '').trim()};
}"""


def keyboard_answers(programme: Programme, side: str) -> dict[str, Any]:
    """Answers a keyboard user gives without arrow keys: the first option of every choice."""
    topics = [str(t.pk) for t in programme.topics.all()[:2]]
    plan: dict[str, Any] = {}
    for q in selectors.form_questions(programme, side):
        if q.kind == Question.Kind.ACKNOWLEDGEMENT:
            plan[q.field_name] = "on"
        elif q.kind == Question.Kind.TOPICS:
            plan[q.field_name] = topics if q.use == Question.Use.TOPICS else []
        elif q.kind in (Question.Kind.SHORT_TEXT, Question.Kind.LONG_TEXT):
            plan[q.field_name] = "I want to hear what it is like early in a career here."
        elif q.kind == Question.Kind.SINGLE_CHOICE:
            plan[q.field_name] = q.choices[0]
        elif q.kind == Question.Kind.MULTIPLE_CHOICE:
            plan[q.field_name] = q.choices[:1]
        elif q.kind == Question.Kind.SCALE:
            plan[q.field_name] = str(q.min_value)
        elif q.kind == Question.Kind.AVAILABILITY:
            plan[q.field_name] = ["mon_morning", "mon_lunch", "wed_lunch"]
    return plan


def apply_by_keyboard(me: Any, plan: dict[str, Any], submit: str) -> None:
    """Walk the page with Tab, answering each question as its control takes the focus, then go
    one step past the submit button, come back with Shift+Tab and press Enter."""
    page = me.page
    button = page.get_by_role("button", name=submit)
    for _ in range(400):
        page.keyboard.press("Tab")
        focus = me.focused()
        assert focus is None or focus["visible"], f"focus not visible on {focus}"
        field = page.evaluate(FIELD_JS)
        if field is None:
            continue
        if button.evaluate("el => el === document.activeElement"):
            break
        wanted = plan.get(field["name"])
        if wanted is None or field["tag"] == "summary":
            continue
        if field["tag"] == "textarea" or field["type"] in ("text", "number", "email"):
            if not field["value"]:
                page.keyboard.type(wanted)
        elif field["type"] == "checkbox":
            tick = wanted == "on" or field["value"] in wanted
            if tick != field["checked"]:
                page.keyboard.press("Space")
        elif field["type"] == "radio" and field["value"] == wanted and not field["checked"]:
            page.keyboard.press("Space")
    else:
        raise AssertionError("never reached the submit button")
    page.keyboard.press("Tab")
    assert page.evaluate(FIELD_JS)["text"] == "Cancel"
    page.keyboard.press("Shift+Tab")
    assert button.evaluate("el => el === document.activeElement")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def answer(page: Any, programme: Programme, side: str) -> None:
    """Fill in every question the ordinary way (clicks and typing)."""
    for q in selectors.form_questions(programme, side):
        name = q.field_name
        if q.kind == Question.Kind.ACKNOWLEDGEMENT:
            page.locator(f"input[name={name}]").check()
        elif q.kind == Question.Kind.TOPICS and q.use == Question.Use.TOPICS:
            for topic in programme.topics.all()[:2]:
                page.locator(f"input[name={name}][value='{topic.pk}']").check()
        elif q.kind in (Question.Kind.SHORT_TEXT, Question.Kind.LONG_TEXT):
            page.locator(f"[name={name}]").fill("Leaders rarely see how decisions land with us.")
        elif q.kind in (Question.Kind.SINGLE_CHOICE, Question.Kind.MULTIPLE_CHOICE):
            page.locator(f"input[name={name}]").first.check()
        elif q.kind == Question.Kind.SCALE:
            page.locator(f"input[name={name}]").last.check()
        elif q.kind == Question.Kind.AVAILABILITY:
            for slot in ("mon_morning", "wed_lunch", "thu_afternoon"):
                page.locator(f"input[name={name}][value={slot}]").check()


def share(page: Any, dimension: str, option: str) -> None:
    page.locator(f"input[name=identity_{dimension}]").and_(
        page.get_by_label(option, exact=True)
    ).check()
    page.locator(f"input[name=consent_{dimension}]").check()


def test_three_people_apply_and_one_withdraws_consent(
    journey: Any,
    ready_programme: Programme,
    invite: Any,
    leader: Any,
    mentor: Any,
    org_a: Organisation,
) -> None:
    programme = ready_programme
    invite(programme, leader, Side.LEADER)
    invite(programme, mentor, Side.MENTOR)
    other = (
        Person.objects.filter(organisation=org_a, grade_level__lte=2)
        .exclude(pk=mentor.person.pk)
        .order_by("pk")
        .first()
    )
    assert other is not None
    third = make_user("third@upward.test", person=other)
    invite(programme, third, Side.MENTOR)

    # --- The leader, keyboard only, shares nothing about their identity. --------------------
    me = journey()
    me.sign_in(leader.email, PASSWORD)
    me.visit("/programmes/mine/", shot="my-programmes-leader")
    me.follow("Apply")
    assert me.path() == f"/programmes/{programme.slug}/apply/leader/"
    me.shot("application-form-leader")
    apply_by_keyboard(me, keyboard_answers(programme, Side.LEADER), "Send my application")
    me.check_accessibility()
    assert me.path() == f"/programmes/{programme.slug}/my-application/", me.text()
    assert "Thank you: your application is in." in me.message()
    assert "Nothing. The identity questions are optional." in me.text()
    mine = Application.objects.get(programme=programme, person=leader.person)
    assert mine.side == Side.LEADER and mine.status == Application.Status.SUBMITTED
    assert selectors.consented_identity(mine) == {}
    # Every answer arrived as typed and ticked from the keyboard.
    plan = keyboard_answers(programme, Side.LEADER)
    for q in selectors.form_questions(programme, Side.LEADER):
        given = mine.answers.get(str(q.pk))
        if q.kind == Question.Kind.AVAILABILITY:
            assert sorted(given) == sorted(plan[q.field_name])
        elif q.kind == Question.Kind.TOPICS and plan[q.field_name]:
            assert sorted(map(str, given)) == sorted(plan[q.field_name])
        elif q.kind in (Question.Kind.SHORT_TEXT, Question.Kind.LONG_TEXT):
            assert given == plan[q.field_name]
    me.shot("my-application-leader")

    # --- The mentor, on a phone, shares two identity answers with consent. ------------------
    phone = journey(width=390, height=844, mobile=True)
    phone.sign_in(mentor.email, PASSWORD)
    phone.visit("/programmes/mine/")
    phone.assert_fits_screen()
    phone.follow("Apply")
    phone.assert_fits_screen()
    page = phone.page
    answer(page, programme, Side.MENTOR)
    page.get_by_text("Show the identity questions").click()
    phone.check_accessibility(again=True)
    share(page, "ethnicity", "Black, Black British, Caribbean or African")
    share(page, "age_band", "16 to 24")
    phone.assert_fits_screen()
    page.locator("input[name=identity_ethnicity]").first.scroll_into_view_if_needed()
    phone.shot("application-form-phone", doc="application-form-phone")
    phone.submit("Send my application")
    assert "Thank you: your application is in." in phone.message()
    phone.assert_fits_screen()
    shared = phone.text()
    assert "Black, Black British, Caribbean or African" in shared and "16 to 24" in shared
    phone.shot("my-application-phone")
    theirs = Application.objects.get(programme=programme, person=mentor.person)
    assert selectors.consented_identity(theirs) == {"ethnicity": "black", "age_band": "16_24"}

    # --- A third person, with JavaScript off, shares an answer, then withdraws consent. ------
    plain = journey(javascript=False)
    plain.sign_in(third.email, PASSWORD)
    plain.visit("/programmes/mine/")
    plain.follow("Apply")
    page = plain.page
    answer(page, programme, Side.MENTOR)
    # The identity questions sit in a <details>, which opens without JavaScript.
    page.get_by_text("Show the identity questions").click()
    share(page, "disability", "Yes")
    plain.submit("Send my application")
    assert "Thank you: your application is in." in plain.message()
    application = Application.objects.get(programme=programme, person=other)
    assert selectors.consented_identity(application) == {"disability": "yes"}

    def matching_identity() -> dict[int, dict[str, str]]:
        profiles = selectors.matching_input(programme, statuses=(Application.Status.SUBMITTED,))
        return {p["person_id"]: p["identity"] for side in profiles.values() for p in side}

    before = matching_identity()
    assert before[other.pk] == {"disability": "yes"}
    assert before[mentor.person.pk] == {"ethnicity": "black", "age_band": "16_24"}
    assert before[leader.person.pk] == {}

    plain.follow("All your consents")
    assert plain.path() == "/consent/"
    consent = Consent.objects.get(user=third, withdrawn_at__isnull=True)
    plain.shot("my-consents")
    plain.submit("Withdraw")
    assert "What you shared under it has been deleted." in plain.message()
    assert "You have no active consents." in plain.text()
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None

    after = matching_identity()
    assert after[other.pk] == {}, "the withdrawn answer still reaches matching"
    assert after[mentor.person.pk] == before[mentor.person.pk]
    assert selectors.consented_identity(application) == {}
    # The application itself stands: withdrawing consent costs nothing.
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    plain.visit(f"/programmes/{programme.slug}/my-application/")
    assert "Nothing. The identity questions are optional." in plain.text()
