"""The public verification page: name, programme and date only; one answer for every wrong
code; a withdrawn certificate says so; rate-limited per address."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client, override_settings

from upward.recognition import services


@pytest.fixture
def cert(signed_pair: Any, coordinator: Any) -> Any:
    return services.certificate_issue(
        programme=signed_pair.programme, application=signed_pair.mentor, by=coordinator
    )


def _body(response: Any) -> str:
    return response.content.decode()


def test_a_valid_code_shows_name_programme_and_date_only(
    client: Client, cert: Any, mentor: Any
) -> None:
    response = client.get(f"/verify/{cert.grouped_code}/")
    assert response.status_code == 200
    page = _body(response)
    assert "This certificate is valid" in page
    assert cert.holder_name in page and cert.programme.name in page
    assert cert.completed_on.strftime("%-d %B %Y") in page
    main = page.split("<main")[1].split("</main>")[0]
    assert re.findall(r"<dt>(.*?)</dt>", main) == ["Name", "Programme", "Completed on"]
    assert re.findall(r"<dd>(.*?)</dd>", main) == [
        cert.holder_name,
        cert.programme.name,
        cert.completed_on.strftime("%-d %B %Y"),
    ]
    assert mentor.email not in main and "Mentor<" not in main
    # Typed loosely (lower case, spaces instead of dashes), it is the same code.
    loose = " ".join(cert.grouped_code.lower().split("-"))
    assert "This certificate is valid" in _body(
        client.get("/verify/", {"code": loose}, follow=True)
    )


def test_every_wrong_code_gets_the_same_answer(client: Client, cert: Any) -> None:
    wrong = [
        "AAAA-AAAA-AAAA-AAAA",
        cert.code[:-1] + ("A" if cert.code[-1] != "A" else "B"),
        "x" * 64,
        "'; DROP TABLE x; --",
        "-",
    ]
    answers = set()
    for code in wrong:
        response = client.get("/verify/", {"code": code}, follow=True)
        assert response.status_code == 200
        answers.add(_body(response).split("<main")[1].split("Check another code")[0])
    assert len(answers) == 1
    assert "This code is not valid" in answers.pop()
    assert client.get("/verify/", {"code": "y" * 65}).status_code == 200  # the form refuses it


def test_a_withdrawn_certificate_says_so_without_the_reason(
    client: Client, cert: Any, coordinator: Any
) -> None:
    services.certificate_revoke(certificate=cert, by=coordinator, reason="Secret reason")
    page = _body(client.get(f"/verify/{cert.code}/"))
    assert "This certificate was withdrawn" in page
    assert "Secret reason" not in page and cert.holder_name not in page


@override_settings(UPWARD_VERIFY_PER_MINUTE=3)
def test_checks_are_rate_limited_per_address(client: Client, cert: Any) -> None:
    for _ in range(3):
        assert client.get("/verify/AAAA/", REMOTE_ADDR="10.0.0.1").status_code == 200
    limited = client.get(f"/verify/{cert.code}/", REMOTE_ADDR="10.0.0.1")
    assert limited.status_code == 429 and 1 <= int(limited["Retry-After"]) <= 61
    assert cert.holder_name not in _body(limited)
    assert client.get(f"/verify/{cert.code}/", REMOTE_ADDR="10.0.0.2").status_code == 200
    api = client.post(
        "/api/v1/verify",
        {"code": cert.code},
        content_type="application/json",
        REMOTE_ADDR="10.0.0.1",
    )
    assert api.status_code == 429 and "Retry-After" in api


def test_the_api_answers_the_same_for_wrong_codes(client: Client, cert: Any) -> None:
    ok = client.post("/api/v1/verify", {"code": cert.grouped_code}, content_type="application/json")
    assert ok.status_code == 200
    assert ok.json() == {
        "status": "valid",
        "name": cert.holder_name,
        "programme": cert.programme.name,
        "completed_on": cert.completed_on.isoformat(),
    }
    bodies = {
        client.post("/api/v1/verify", {"code": c}, content_type="application/json").content
        for c in ("AAAAAAAAAAAAAAAA", "nope", "Z" * 64)
    }
    assert len(bodies) == 1
    bad = client.post("/api/v1/verify", {"code": ""}, content_type="application/json")
    assert bad.status_code == 422
