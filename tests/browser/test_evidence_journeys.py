"""Evidence: people answer a survey (one of them in the browser, on a phone); once it closes the
coordinator writes a story beside the figures; the sponsor sees the results with a small group
hidden and the story beside them; the coordinator downloads the report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from personas import PASSWORD
from upward.evidence import services
from upward.evidence.models import Response
from upward.evidence.tests.conftest import applicants, close, open_campaign, ps_answers
from upward.programmes.models import Application


def test_people_answer_the_sponsor_sees_results_the_coordinator_downloads_the_report(
    journey: Any,
    tmp_path: Path,
    programme_a: Any,
    org_a: Any,
    coordinator: Any,
    sponsor: Any,
    leader: Any,
) -> None:
    Application.objects.create(
        programme=programme_a,
        person=leader.person,
        user=leader,
        side="leader",
        status=Application.Status.ACCEPTED,
    )
    others = applicants(programme_a, org_a, 7, "leader")
    mentors = applicants(programme_a, org_a, 3, "mentor")
    survey = open_campaign(programme_a, side="leader", title="Mid-point pulse")

    # --- The leader answers on a phone. -------------------------------------------------------
    me = journey(width=390, height=844, mobile=True)
    me.sign_in(leader.email, PASSWORD)
    me.visit("/my-surveys/", shot="my-surveys")
    me.follow("Mid-point pulse")
    me.assert_fits_screen()
    for i in range(1, 8):
        me.page.locator(f'input[name="ps{i}"][value="{2 if i in (1, 3, 5) else 6}"]').check()
    me.submit("Send my answers")
    assert "without your name" in me.message()
    assert Response.objects.get().score == 6.0

    for u in others:
        services.response_submit(campaign=survey, by=u, answers=ps_answers(4))
    close(survey)
    small = open_campaign(programme_a, side="mentor", title="Mentor pulse")
    for u in mentors:
        services.response_submit(campaign=small, by=u, answers=ps_answers(2))
    close(small)

    # --- The coordinator writes a story to sit beside the psychological-safety figures. -----
    lead = journey()
    lead.sign_in(coordinator.email, PASSWORD, totp_secret=coordinator.totp_secret)
    lead.visit(f"/programmes/{programme_a.slug}/evidence/")
    lead.follow("Write stories and lessons")
    lead.page.get_by_label("Kind").select_option("story")
    lead.page.get_by_label("Beside").select_option("safety")
    lead.page.get_by_label("Title").fill("Speaking up at the board")
    lead.page.get_by_label("Body").fill("A leader changed the rota after a mentor spoke up.")
    lead.submit("Save the note")
    assert "The note is saved." in lead.message()

    # --- The sponsor: programme level, with the mentors' small pulse hidden. ----------------
    boss = journey()
    boss.sign_in(sponsor.email, PASSWORD)
    boss.visit(f"/programmes/{programme_a.slug}/evidence/", shot="evidence-dashboard")
    text = boss.text()
    assert "Mid-point pulse" in text and "4.25" in text  # (6 + 7 * 4) / 8
    assert "Hidden: too few respondents" in text
    safety = text[text.index("Psychological safety over time") : text.index("Change from before")]
    assert "Speaking up at the board" in safety  # the story beside the figures it speaks to
    boss.visit(f"/surveys/{survey.pk}/results/", shot="survey-results")
    assert "4.25" in boss.text()

    # --- The coordinator downloads the programme report. -------------------------------------
    lead.visit(f"/programmes/{programme_a.slug}/evidence/")
    with lead.page.expect_download() as info:
        lead.page.get_by_role("link", name="Download the programme report (PDF)").click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(str(target))
    assert target.name == "report-programme-a.pdf"
    assert target.read_bytes().startswith(b"%PDF")
