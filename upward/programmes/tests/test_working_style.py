"""Working style in the application: asked only when the programme matches on it, kept only
under its own consent, private to the person, and set per trait by the programme."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from upward.consent.models import Consent
from upward.consent.services import consent_withdraw
from upward.matching.style import CITATION, ITEMS
from upward.privacy.registry import DataSubject
from upward.programmes import selectors, services
from upward.programmes import working_style as ws
from upward.programmes.models import Application, Programme, Side, WorkingStyle
from upward.programmes.policy import policy_of
from upward.programmes.privacy import export_programmes

from .conftest import _invite, valid_form_data

# Extraverted 7, critical 1 (agreeable 7), dependable 6, anxious 2 (stable 6), open 5, reserved
# 1 (extraversion 7), warm 7, disorganised 2 (conscientious 6), calm 6, conventional 3 (open 5).
ANSWERS = [7, 1, 6, 2, 5, 1, 7, 2, 6, 3]
SCORES = {
    "extraversion": 7.0,
    "agreeableness": 7.0,
    "conscientiousness": 6.0,
    "emotional_stability": 6.0,
    "openness": 5.0,
}


def _turn_on(programme: Programme, by: Any, complementary: list[str] | None = None) -> None:
    services.programme_working_style_set(
        programme=programme,
        by=by,
        version=programme.version,
        weight=4,
        complementary_traits=complementary or [],
    )
    programme.refresh_from_db()


def _style_data(answers: list[int] = ANSWERS, consent: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {f"style_{n}": str(v) for n, v in enumerate(answers, start=1)}
    if consent:
        data["style_consent"] = "on"
    return data


def _apply(client: Client, programme: Programme, side: str, extra: dict[str, Any]) -> Any:
    url = reverse("programmes:apply_side", args=[programme.slug, side])
    return client.post(url, {**valid_form_data(programme, side), **extra})


@pytest.fixture
def applied(ready_programme: Programme, coordinator: Any, mentor: Any) -> Application:
    _turn_on(ready_programme, coordinator, ["conscientiousness"])
    _invite(ready_programme, mentor, Side.MENTOR)
    client = Client()
    client.force_login(mentor)
    response = _apply(client, ready_programme, Side.MENTOR, _style_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    return Application.objects.get(programme=ready_programme, person=mentor.person)


def test_scoring_follows_the_published_key() -> None:
    from upward.matching.style import profile_from_items

    assert profile_from_items(ANSWERS) == SCORES
    assert profile_from_items([4] * 10) == dict.fromkeys(SCORES, 4.0)
    assert len(ITEMS) == 10 and "Gosling" in CITATION and "2003" in CITATION


def test_the_questionnaire_is_asked_only_when_the_programme_matches_on_it(
    ready_programme: Programme, coordinator: Any, mentor: Any
) -> None:
    _invite(ready_programme, mentor, Side.MENTOR)
    client = Client()
    client.force_login(mentor)
    url = reverse("programmes:apply_side", args=[ready_programme.slug, Side.MENTOR])
    page = client.get(url).content.decode()
    assert "working style" not in page.lower() and "Extraverted, enthusiastic." not in page
    _turn_on(ready_programme, coordinator)
    page = client.get(url).content.decode()
    assert "Your working style (optional)" in page
    for wording, _, _ in ITEMS:
        assert wording in page
    assert "Agree strongly" in page and "Disagree strongly" in page
    assert "Gosling" in page and "Ten-Item Personality Inventory" in page


def test_answers_are_kept_under_their_own_consent_encrypted(
    applied: Application, mentor: Any
) -> None:
    held = WorkingStyle.objects.get(application=applied)
    assert held.answers == ANSWERS
    consent = Consent.objects.get(user=mentor, purpose=ws.PURPOSE)
    assert held.consent == consent and consent.withdrawn_at is None
    assert consent.scope == applied.programme.scope and "only to suggest" in consent.wording
    with connection.cursor() as cursor:
        cursor.execute("SELECT answers FROM programmes_workingstyle WHERE id = %s", [held.pk])
        raw = cursor.fetchone()[0]
    assert raw.startswith("enc1:") and "7, 1, 6" not in raw
    assert applied.answers and str(ANSWERS) not in str(applied.answers)


def test_without_the_consent_nothing_is_kept_and_the_form_says_why(
    ready_programme: Programme, coordinator: Any, mentor: Any
) -> None:
    _turn_on(ready_programme, coordinator)
    _invite(ready_programme, mentor, Side.MENTOR)
    client = Client()
    client.force_login(mentor)
    response = _apply(client, ready_programme, Side.MENTOR, _style_data(consent=False))
    assert response.status_code == 400
    assert "tick the box to agree" in response.content.decode()
    partial = _style_data(ANSWERS[:4])
    response = _apply(client, ready_programme, Side.MENTOR, partial)
    assert response.status_code == 400
    assert "Answer all ten working-style statements" in response.content.decode()
    assert not Application.objects.filter(person=mentor.person).exists()
    # Leaving them all blank is fine and keeps nothing.
    response = _apply(client, ready_programme, Side.MENTOR, {})
    assert response.status_code == 302
    assert not WorkingStyle.objects.exists()
    assert not Consent.objects.filter(purpose=ws.PURPOSE).exists()


def test_matching_uses_the_scores_only_while_the_consent_lasts(
    applied: Application, coordinator: Any, mentor: Any
) -> None:
    services.applications_decide(
        programme=applied.programme,
        by=coordinator,
        application_ids=[applied.pk],
        decision="accept",
    )
    profiles = selectors.matching_input(applied.programme)[Side.MENTOR]
    assert profiles[0]["working_style"] == SCORES
    assert selectors.matching_profile(applied)["working_style"] == SCORES
    consent_withdraw(consent=Consent.objects.get(user=mentor, purpose=ws.PURPOSE), channel="web")
    assert not WorkingStyle.objects.exists()
    assert "working_style" not in selectors.matching_input(applied.programme)[Side.MENTOR][0]


def test_a_consent_ended_elsewhere_is_never_read_even_if_answers_linger(
    applied: Application, coordinator: Any
) -> None:
    Consent.objects.filter(purpose=ws.PURPOSE).update(withdrawn_at="2026-01-01T00:00Z")
    assert WorkingStyle.objects.exists()
    assert ws.profiles_for([applied.pk]) == {}
    assert ws.own_scores(applied) == []


def test_turned_off_the_programme_does_not_use_answers_it_holds(
    applied: Application, coordinator: Any
) -> None:
    programme = applied.programme
    services.applications_decide(
        programme=programme, by=coordinator, application_ids=[applied.pk], decision="accept"
    )
    services.programme_working_style_set(
        programme=programme,
        by=coordinator,
        version=programme.version,
        weight=0,
        complementary_traits=[],
    )
    assert "working_style" not in selectors.matching_input(programme)[Side.MENTOR][0]


def test_the_person_sees_their_own_five_scores_and_can_change_or_clear_them(
    applied: Application, mentor: Any
) -> None:
    client = Client()
    client.force_login(mentor)
    page = client.get(reverse("programmes:my_application", args=[applied.programme.slug]))
    text = page.content.decode()
    assert "Your working style" in text
    for label in ("Extraversion", "Agreeableness", "Conscientiousness", "Emotional stability"):
        assert label in text
    assert "7 out of 7" in text and "5 out of 7" in text
    # Editing shows the answers held; clearing them withdraws the consent and deletes them.
    url = reverse("programmes:apply_side", args=[applied.programme.slug, Side.MENTOR])
    form = client.get(url).content.decode()
    assert 'name="style_1" value="7"' in form.replace("\n", " ") or "checked" in form
    response = _apply(client, applied.programme, Side.MENTOR, {})
    assert response.status_code == 302
    assert not WorkingStyle.objects.exists()
    assert Consent.objects.get(purpose=ws.PURPOSE).withdrawn_at is not None


def test_withdrawing_the_application_deletes_the_answers(applied: Application, mentor: Any) -> None:
    services.application_withdraw(application=applied, channel="web")
    assert not WorkingStyle.objects.exists()
    assert Consent.objects.get(purpose=ws.PURPOSE).withdrawn_at is not None


def test_the_persons_own_export_holds_their_scores(applied: Application, mentor: Any) -> None:
    export = export_programmes(DataSubject(user=mentor, person=mentor.person))
    [application] = export["applications"]
    assert application["working_style"] == {
        "Extraversion": 7.0,
        "Agreeableness": 7.0,
        "Conscientiousness": 6.0,
        "Emotional stability": 6.0,
        "Openness to experiences": 5.0,
    }


def test_coordinators_never_see_the_scores(
    applied: Application, coordinator: Any, mentor: Any
) -> None:
    client = Client()
    client.force_login(coordinator)
    slug = applied.programme.slug
    seen = "\n".join(
        client.get(url).content.decode()
        for url in (
            reverse("programmes:applications", args=[slug]),
            reverse("programmes:application", args=[slug, applied.pk]),
            f"/api/v1/programmes/{slug}/applications",
            f"/api/v1/programmes/{slug}/applications/{applied.pk}",
        )
    )
    assert "out of 7" not in seen and "Extraverted" not in seen
    assert "Emotional stability" not in seen and "working_style" not in seen


def test_the_programme_chooses_alike_or_complementary_per_trait_on_its_page(
    ready_programme: Programme, coordinator: Any
) -> None:
    client = Client()
    client.force_login(coordinator)
    url = reverse("programmes:policy", args=[ready_programme.slug])
    page = client.get(url).content.decode()
    assert "pair complementary people on these traits" in page
    form = _policy_post(ready_programme)
    form.update(weight_working_style="3", complementary_traits=["conscientiousness", "openness"])
    response = client.post(url, form)
    assert response.status_code == 302
    ready_programme.refresh_from_db()
    policy = policy_of(ready_programme.matching_policy)
    assert policy.weights["working_style"] == 3
    assert policy.complementary_traits == ["conscientiousness", "openness"]
    # A stale version is refused and changes nothing.
    form.update(complementary_traits=["extraversion"])
    response = client.post(url, form)
    assert response.status_code == 409
    ready_programme.refresh_from_db()
    assert policy_of(ready_programme.matching_policy).complementary_traits == [
        "conscientiousness",
        "openness",
    ]


def _policy_post(programme: Programme) -> dict[str, Any]:
    from upward.programmes.policy import CRITERIA

    policy = policy_of(programme.matching_policy)
    data: dict[str, Any] = {
        "version": str(programme.version),
        "min_grade_gap": str(policy.min_grade_gap),
        "min_availability_overlap": str(policy.min_availability_overlap),
        "algorithm": policy.algorithm,
        "identity_dimensions": list(programme.identity_dimensions),
    }
    for key, _ in CRITERIA:
        data[f"weight_{key}"] = str(policy.weights[key])
    return data


def test_the_programme_chooses_per_trait_through_the_api(
    ready_programme: Programme, coordinator: Any
) -> None:
    client = Client()
    client.force_login(coordinator)
    url = f"/api/v1/programmes/{ready_programme.slug}/working-style"
    body = {"version": ready_programme.version, "weight": 5, "complementary_traits": ["openness"]}
    response = client.put(url, body, content_type="application/json")
    assert response.status_code == 200, response.content
    policy = response.json()["matching_policy"]
    assert policy["weights"]["working_style"] == 5
    assert policy["complementary_traits"] == ["openness"]
    assert any(
        "complementary in openness" in w
        for w in response.json()["matching_policy_in_words"]["weights"]
    )
    stale = client.put(url, body, content_type="application/json")
    assert stale.status_code == 409
    bad = {**body, "version": response.json()["version"], "complementary_traits": ["luck"]}
    assert client.put(url, bad, content_type="application/json").status_code == 422
    bad = {**body, "version": response.json()["version"], "weight": 9}
    assert client.put(url, bad, content_type="application/json").status_code == 422


def test_the_applicant_answers_and_reads_their_own_scores_through_the_api(
    ready_programme: Programme, coordinator: Any, mentor: Any
) -> None:
    from .conftest import valid_answers

    _turn_on(ready_programme, coordinator)
    _invite(ready_programme, mentor, Side.MENTOR)
    client = Client()
    client.force_login(mentor)
    url = f"/api/v1/programmes/{ready_programme.slug}/application"
    body: dict[str, Any] = {
        "side": Side.MENTOR,
        "answers": valid_answers(ready_programme, Side.MENTOR),
        "working_style": ANSWERS,
    }
    refused = client.put(url, body, content_type="application/json")
    assert refused.status_code == 422 and "working_style" in refused.json()["errors"]
    assert not Application.objects.exists()
    short = client.put(url, {**body, "working_style": ANSWERS[:3]}, content_type="application/json")
    assert short.status_code == 422
    kept = client.put(url, {**body, "working_style_consent": True}, content_type="application/json")
    assert kept.status_code == 201, kept.content
    scores = {row["trait"]: row["score"] for row in kept.json()["working_style"]}
    assert scores == SCORES
    assert Consent.objects.get(purpose=ws.PURPOSE).channel == "api"
    # Leaving the answers out keeps them; withdrawing the consent deletes them.
    again = client.put(
        url,
        {k: v for k, v in body.items() if k != "working_style"},
        content_type="application/json",
    )
    assert again.status_code == 200 and again.json()["working_style"]
    gone = client.put(
        url,
        {**{k: v for k, v in body.items() if k != "working_style"}, "working_style_consent": False},
        content_type="application/json",
    )
    assert gone.status_code == 200 and gone.json()["working_style"] == []
    assert not WorkingStyle.objects.exists()
