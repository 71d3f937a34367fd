"""The coordinator's first weeks: set up a programme, assess readiness, invite, screen.

One long journey in a real browser, as the coordinator lives it: sign in with the authenticator,
create the programme through the set-up wizard, record two stakeholder interviews, complete the
readiness checklist, open applications, send the first wave of invitations to the most senior
people and an open call to juniors, then screen the applications that come in.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core import mail

from personas import PASSWORD, make_user
from upward.consent.models import Channel
from upward.directory.models import Organisation, Person
from upward.programmes import services
from upward.programmes.models import Application, Invitation, Programme, ReadinessItem, Side
from upward.programmes.tests.conftest import valid_answers

INTERVIEWS = [
    (
        "Dana Whitfield",
        "Chief People Officer",
        "Exit interviews say graduates are not listened to; half of them leave within two years.",
        ["Losing diverse talent", "Voices not heard by leaders"],
    ),
    (
        "Sam Okafor",
        "Chair of the Disability Network",
        "Leaders decide on tools and buildings without asking the people who use them.",
        ["Hierarchy blocks ideas"],
    ),
]


def test_coordinator_sets_up_a_programme_assesses_readiness_invites_and_screens(
    journey: Any, coordinator: Any, org_a: Organisation
) -> None:
    me = journey()
    me.sign_in(coordinator.email, PASSWORD, totp_secret=coordinator.totp_secret)
    me.visit("/", shot="dashboard-coordinator")
    page = me.page

    # --- The set-up wizard: basics, objectives, schedule, matching policy, review. ---------
    me.follow("Set up a programme")
    page.get_by_label("Programme name").fill("Voices Upward 2027")
    page.get_by_label("What the programme is for").fill(
        "Our executives are mentored for a year by junior colleagues, so every voice is heard."
    )
    page.get_by_label("Start date").fill(dt.date.today().isoformat())
    page.get_by_label("Hours a month asked of each participant").fill("3")
    me.shot("setup-basics")
    me.submit("Create and continue")
    assert me.path() == "/programmes/voices-upward-2027/objectives/", me.text()
    programme = Programme.objects.get(slug="voices-upward-2027")
    assert list(programme.organisations.all()) == [org_a]
    assert programme.hours_per_month == 3

    page.get_by_role(
        "checkbox", name="Foster a more inclusive leadership style", exact=True
    ).check()
    page.get_by_role("checkbox", name="Dismantle hierarchical barriers", exact=True).check()
    me.submit("Save and continue")
    assert me.path().endswith("/schedule/"), me.text()
    me.submit("Save and continue")
    assert me.path().endswith("/policy/"), me.text()
    # Offer only the identity questions the programme's objectives need.
    for box in page.locator("input[name=identity_dimensions]").all():
        box.uncheck()
    for dimension in ("Ethnicity", "Disability"):
        page.get_by_role("checkbox", name=dimension, exact=True).check()
    me.shot("setup-policy")
    me.submit("Save and continue")
    assert me.path().endswith("/review/"), me.text()
    review = me.text()
    assert "Foster a more inclusive leadership style" in review
    assert "Dismantle hierarchical barriers" in review
    assert "0 of 6 done" in review
    me.shot("setup-review")
    programme.refresh_from_db()
    assert {o.challenge for o in programme.objectives.all()} == {
        "inclusive_leadership",
        "hierarchy",
    }
    assert set(programme.identity_dimensions) == {"ethnicity", "disability"}

    # --- Readiness: two stakeholder interviews, then the checklist. ------------------------
    me.follow("readiness checklist")
    assert me.path().endswith("/readiness/")
    for name, role, problems, themes in INTERVIEWS:
        me.follow("Record an interview")
        page.get_by_label("Who was interviewed").fill(name)
        page.get_by_label("Role", exact=True).fill(role)
        page.get_by_label("Date of the interview").fill(dt.date.today().isoformat())
        page.get_by_label("Problems named").fill(problems)
        for theme in themes:
            page.get_by_role("checkbox", name=theme, exact=True).check()
        me.submit("Save")
        assert "Interview saved." in me.message()
    board = me.text()
    assert "Themes across 2 interviews" in board
    assert "Losing diverse talent · 1" in board and "Hierarchy blocks ideas · 1" in board
    assert programme.interviews.count() == 2
    # What was said is kept encrypted: the column holds no plain text.
    assert all(i.problems for i in programme.interviews.all())

    items = list(programme.readiness_items.order_by("pk"))
    assert len(items) == 6
    for number, item in enumerate(items, start=1):
        me.follow(f"Update {item.title}")
        page.get_by_role("radio", name="Done", exact=True).check()
        page.get_by_label("Owner").fill("Head of People")
        page.get_by_label("Evidence").fill(f"Signed off at the steering group, item {number}.")
        me.submit("Save")
        assert f"“{item.title}” updated." in me.message()
    assert "6 of 6 checklist items done" in me.text()
    assert "ready to open applications" in me.text()
    assert all(i.status == ReadinessItem.Status.DONE for i in programme.readiness_items.all())
    me.shot("readiness-board", doc="readiness-board")

    me.submit("Open applications")
    assert me.path().endswith("/invitations/")
    assert "Applications are open" in me.message()

    # --- The first wave goes to the most senior people. ------------------------------------
    me.follow("Send a wave")
    assert page.get_by_label("Leader (mentee)").is_checked()
    page.get_by_label("At most this many people").fill("4")
    page.get_by_label("Order").select_option(label="Most senior first")
    page.get_by_label("Lowest grade level").fill("")
    page.get_by_label("Highest grade level").fill("")
    me.submit("Show who would be invited")
    most_senior = list(
        Person.objects.filter(organisation=org_a).order_by("-grade_level", "name")[:4]
    )
    preview = me.text()
    for person in most_senior:
        assert person.name in preview
    me.shot("invitation-wave-preview")
    me.submit("Send 4 invitations")
    assert "Wave 1: 4 invitations on their way." in me.message()
    wave = list(programme.invitations.select_related("person"))
    assert {i.person for i in wave} == set(most_senior)
    assert all(i.side == Side.LEADER for i in wave)
    assert {m.to[0].lower() for m in mail.outbox} >= {p.email.lower() for p in most_senior}
    lowest_invited = min(p.grade_level for p in most_senior)
    assert (
        not Person.objects.filter(organisation=org_a, grade_level__gt=lowest_invited)
        .exclude(pk__in=[p.pk for p in most_senior])
        .exists()
    )

    # An open call lets any junior who meets the rules apply without an invitation.
    page.get_by_label("Open call for mentors").check()
    me.submit("Save open call")
    assert "anyone in the programme's organisations may apply as mentors" in me.message()
    programme.refresh_from_db()
    assert programme.open_call_mentors and not programme.open_call_leaders
    me.shot("invitations", doc=None)

    # --- Applications come in: two invited leaders, one junior through the open call. ------
    invited = sorted((i.person for i in wave), key=lambda p: p.pk)[:2]
    leaders = [make_user(f"leader{n}@upward.test", person=p) for n, p in enumerate(invited)]
    junior = Person.objects.filter(organisation=org_a).order_by("grade_level", "pk").first()
    assert junior is not None
    volunteer = make_user("volunteer@upward.test", person=junior)
    for user, side in (
        (leaders[0], Side.LEADER),
        (leaders[1], Side.LEADER),
        (volunteer, Side.MENTOR),
    ):
        services.application_submit(
            programme=programme,
            user=user,
            side=side,
            answers=valid_answers(programme, side),
            identity_values={},
            identity_consents=set(),
            channel=Channel.WEB,
        )
    assert programme.invitations.filter(status=Invitation.Status.APPLIED).count() == 2

    # --- Screening: accept one leader and the volunteer, put the other on the waiting list.
    me.follow("Applications", within=page.locator("nav.tabs"))
    assert "3 applications" in me.text()
    me.shot("screening-list")
    first, second = (u.person for u in leaders)
    me.follow(first.name)
    assert first.name in me.text()
    me.shot("screening-application")
    page.go_back()
    page.wait_for_load_state("networkidle")
    page.get_by_label(f"Choose {first.name}").check()
    page.get_by_label(f"Choose {junior.name}").check()
    page.get_by_label("Do this with the ticked applications").select_option(label="Accept")
    me.submit("Apply to ticked")
    assert "Done: 2 applications updated." in me.message()
    page.get_by_label(f"Choose {second.name}").check()
    page.get_by_label("Do this with the ticked applications").select_option(
        label="Put on the waiting list"
    )
    me.submit("Apply to ticked")
    assert "Done: 1 application updated." in me.message()
    status = {a.person_id: a.status for a in Application.objects.filter(programme=programme)}
    assert status == {
        first.pk: Application.Status.ACCEPTED,
        junior.pk: Application.Status.ACCEPTED,
        second.pk: Application.Status.WAITLISTED,
    }

    # The overview sums it up.
    me.follow("Overview", within=page.locator("nav.tabs"))
    overview = me.text()
    assert "6/6" in overview and "readiness items done" in overview
    assert "4\ninvited" in overview or "4 invited" in overview.replace("\n", " ")
    me.shot("programme-overview", doc="programme-overview")
