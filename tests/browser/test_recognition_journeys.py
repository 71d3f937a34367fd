"""Recognition: the coordinator closes the programme and certificates are issued; a mentor, on
a phone, downloads their certificate; a visitor without an account checks its code and learns
only the name, the programme and the date, and that a wrong code is not valid.

Every page is checked with axe-core, must log no error in the browser console, and must fit a
390 px wide screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils import timezone
from pypdf import PdfReader

from personas import PASSWORD
from upward.pairs.models import Pair
from upward.preparation.models import Agreement
from upward.preparation.tests.factory import make_pair
from upward.programmes.models import Programme
from upward.recognition.models import Certificate


def _watch(journey: Any) -> list[str]:
    errors: list[str] = []
    journey.page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    journey.page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def _ready_to_close(programme: Programme, pair: Pair) -> None:
    now = timezone.now()
    Programme.objects.filter(pk=programme.pk).update(
        phase=Programme.Phase.CLOSE,
        readiness_overridden_at=now,
        readiness_override_reason="Board decision",
        applications_opened_at=now,
        applications_closed_at=now,
    )
    Pair.objects.filter(pk=pair.pk).update(state=Pair.State.ACTIVE)
    agreement = Agreement.objects.filter(pair=pair).order_by("-number").first()
    assert agreement is not None
    Agreement.objects.filter(pk=agreement.pk).update(
        leader_signed_at=now, mentor_signed_at=now, leader_signed_name="L", mentor_signed_name="M"
    )


def test_a_mentor_downloads_their_certificate_and_a_visitor_checks_it(
    journey: Any,
    programme_a: Any,
    coordinator: Any,
    leader: Any,
    mentor: Any,
    tmp_path: Path,
) -> None:
    pair = make_pair(programme_a, leader, mentor)
    _ready_to_close(programme_a, pair)

    # --- The coordinator reads what closing will do, then closes the programme. -------------
    staff = journey()
    staff_errors = _watch(staff)
    staff.sign_in(coordinator.email, PASSWORD, totp_secret=coordinator.totp_secret)
    staff.visit(f"/programmes/{programme_a.slug}/recognition/")
    assert "Completes (2)" in staff.text()
    staff.follow("Close the programme…")
    assert "2 certificates are issued" in staff.text()
    staff.submit("Close the programme")
    assert "is closed" in staff.message()
    assert not staff_errors, staff_errors
    certificate = Certificate.objects.get(user=mentor)

    # --- The mentor, on a phone, finds and downloads their certificate. --------------------
    me = journey(width=390, height=844, mobile=True)
    my_errors = _watch(me)
    me.sign_in(mentor.email, PASSWORD)
    me.visit("/certificates/")
    me.assert_fits_screen()
    assert certificate.grouped_code in me.text()
    with me.page.expect_download() as info:
        me.page.get_by_role("link", name="Download the certificate (PDF)").click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(str(target))
    text = " ".join(PdfReader(str(target)).pages[0].extract_text().split())
    assert mentor.person.name in text and certificate.grouped_code in text
    assert not my_errors, my_errors

    # --- A visitor without an account checks the code, on a phone. -------------------------
    visitor = journey(width=390, height=844, mobile=True)
    visitor_errors = _watch(visitor)
    visitor.visit("/verify/")
    visitor.assert_fits_screen()
    visitor.page.get_by_label("Verification code").fill(certificate.grouped_code.lower())
    visitor.submit("Check")
    visitor.assert_fits_screen()
    shown = visitor.text()
    assert "This certificate is valid" in shown
    assert mentor.person.name in shown and programme_a.name in shown
    assert leader.person.name not in shown and mentor.email not in shown
    visitor.page.get_by_label("Verification code").fill("AAAA-BBBB-CCCC-DDDD")
    visitor.submit("Check")
    assert "This code is not valid" in visitor.text()
    assert mentor.person.name not in visitor.text()
    assert not visitor_errors, visitor_errors
