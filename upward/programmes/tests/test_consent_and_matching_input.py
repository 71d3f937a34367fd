"""Identity answers: kept encrypted, only with a recorded consent, and gone from the matching
input as soon as consent is withdrawn, wherever it is withdrawn from."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test import Client
from django.urls import reverse

from upward.consent.models import Consent
from upward.consent.services import consent_withdraw
from upward.programmes import selectors
from upward.programmes.models import Application, IdentityDisclosure, Programme


def _accept(application: Application, coordinator: Any) -> None:
    from upward.programmes import services

    services.applications_decide(
        programme=application.programme,
        by=coordinator,
        application_ids=[application.pk],
        decision="accept",
    )


def test_consent_is_recorded_with_words_version_time_and_channel(
    mentor_application: Application, mentor: Any
) -> None:
    consents = {c.purpose: c for c in Consent.objects.filter(user=mentor)}
    assert set(consents) == {"identity.ethnicity", "identity.age_band"}
    consent = consents["identity.ethnicity"]
    assert consent.scope == f"programme:{mentor_application.programme_id}"
    assert consent.wording_version == "2026-1"
    assert consent.channel == "web"
    assert "Reverse Mentoring A" in consent.wording and "withdraw" in consent.wording
    assert consent.given_at is not None and consent.withdrawn_at is None


def test_identity_answers_are_encrypted_at_rest(mentor_application: Application) -> None:
    disclosure = IdentityDisclosure.objects.get(
        application=mentor_application, dimension="ethnicity"
    )
    assert disclosure.value == "black"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT value FROM programmes_identitydisclosure WHERE id = %s", [disclosure.pk]
        )
        raw = cursor.fetchone()[0]
        cursor.execute(
            "SELECT answers FROM programmes_application WHERE id = %s", [mentor_application.pk]
        )
        answers_raw = cursor.fetchone()[0]
    assert raw.startswith("enc1:") and "black" not in raw
    assert answers_raw.startswith("enc1:") and "listen" not in answers_raw


def test_matching_input_has_only_consented_identity_and_loses_it_on_withdrawal(
    client: Client,
    mentor_application: Application,
    leader_application: Application,
    mentor: Any,
    coordinator: Any,
) -> None:
    programme = mentor_application.programme
    _accept(mentor_application, coordinator)
    _accept(leader_application, coordinator)
    before = selectors.matching_input(programme)
    (mentor_profile,) = before["mentor"]
    (leader_profile,) = before["leader"]
    assert mentor_profile["identity"] == {"ethnicity": "black", "age_band": "16_24"}
    assert leader_profile["identity"] == {}
    assert mentor_profile["topics"] and mentor_profile["availability"] == [
        "mon_morning",
        "wed_lunch",
    ]

    # Withdrawn from the person's own consents page: one click.
    consent = Consent.objects.get(user=mentor, purpose="identity.ethnicity")
    client.force_login(mentor)
    response = client.post(reverse("consent:withdraw", args=[consent.pk]))
    assert response.status_code == 302

    after = selectors.matching_input(programme)
    assert after["mentor"][0]["identity"] == {"age_band": "16_24"}
    assert selectors.matching_profile(mentor_application)["identity"] == {"age_band": "16_24"}
    assert not IdentityDisclosure.objects.filter(dimension="ethnicity").exists()


def test_stopping_sharing_from_the_application_page(
    client: Client, mentor_application: Application, mentor: Any
) -> None:
    client.force_login(mentor)
    url = reverse("programmes:my_application", args=[mentor_application.programme.slug])
    page = client.get(url).content.decode()
    assert "Ethnicity:</strong> Black, Black British, Caribbean or African" in page
    response = client.post(
        reverse("programmes:identity_stop", args=[mentor_application.programme.slug, "age_band"]),
        follow=True,
    )
    assert "You have stopped sharing your age band" in response.content.decode()
    consent = Consent.objects.get(user=mentor, purpose="identity.age_band")
    assert consent.withdrawn_at is not None and consent.withdrawn_channel == "web"
    assert selectors.matching_profile(mentor_application)["identity"] == {"ethnicity": "black"}
    again = client.post(
        reverse("programmes:identity_stop", args=[mentor_application.programme.slug, "age_band"]),
        follow=True,
    )
    assert "You have not shared that" in again.content.decode()


def test_a_consent_ended_elsewhere_is_never_read_even_if_data_lingers(
    mentor_application: Application, mentor: Any
) -> None:
    # Defence in depth: the selector checks the consent, not only the data's presence.
    Consent.objects.filter(user=mentor, purpose="identity.ethnicity").update(
        withdrawn_at="2026-01-01T00:00:00Z"
    )
    assert IdentityDisclosure.objects.filter(dimension="ethnicity").exists()
    assert selectors.matching_profile(mentor_application)["identity"] == {"age_band": "16_24"}
    assert selectors.consented_identity(mentor_application) == {"age_band": "16_24"}


def test_editing_can_add_change_or_stop_sharing(
    client: Client, mentor_application: Application, mentor: Any
) -> None:
    from .conftest import valid_form_data

    programme = mentor_application.programme
    client.force_login(mentor)
    url = reverse("programmes:apply_side", args=[programme.slug, "mentor"])
    page = client.get(url)
    assert page.context["identity_form"].initial == {
        "identity_ethnicity": "black",
        "consent_ethnicity": True,
        "identity_age_band": "16_24",
        "consent_age_band": True,
    }
    data = {
        **valid_form_data(programme, "mentor"),
        "identity_ethnicity": "mixed",
        "consent_ethnicity": "on",
        "identity_disability": "yes",
        "consent_disability": "on",
    }
    assert client.post(url, data).status_code == 302
    assert selectors.consented_identity(mentor_application) == {
        "ethnicity": "mixed",
        "disability": "yes",
    }
    age = Consent.objects.get(user=mentor, purpose="identity.age_band")
    assert age.withdrawn_at is not None
    assert Consent.objects.filter(user=mentor, withdrawn_at__isnull=True).count() == 2


def test_withdrawing_the_application_deletes_identity_and_leaves_matching(
    client: Client, mentor_application: Application, mentor: Any, coordinator: Any
) -> None:
    _accept(mentor_application, coordinator)
    client.force_login(mentor)
    slug = mentor_application.programme.slug
    assert client.get(reverse("programmes:withdraw", args=[slug])).status_code == 200
    client.post(reverse("programmes:withdraw", args=[slug]))
    mentor_application.refresh_from_db()
    assert mentor_application.status == "withdrawn"
    assert not IdentityDisclosure.objects.exists()
    assert not Consent.objects.filter(user=mentor, withdrawn_at__isnull=True).exists()
    assert selectors.matching_input(mentor_application.programme)["mentor"] == []


def test_only_dimensions_the_programme_seeks_reach_matching(
    mentor_application: Application, coordinator: Any
) -> None:
    programme = mentor_application.programme
    programme.identity_dimensions = ["ethnicity"]
    programme.save(update_fields=["identity_dimensions"])
    assert selectors.matching_profile(mentor_application)["identity"] == {"ethnicity": "black"}


def test_sensitive_free_text_never_reaches_matching(
    ready_programme: Programme, mentor_application: Application
) -> None:
    sensitive = [
        q for q in selectors.form_questions(ready_programme, "mentor") if q.sensitive and not q.use
    ]
    assert sensitive
    answers = dict(mentor_application.answers)
    answers[str(sensitive[0].pk)] = "Please keep my health out of it."
    Application.objects.filter(pk=mentor_application.pk).update(answers=answers)
    mentor_application.refresh_from_db()
    profile = selectors.matching_profile(mentor_application)
    assert profile["text"]
    assert "Please keep my health out of it." not in repr(profile)


def test_matching_input_reads_in_a_fixed_number_of_queries(
    ready_programme: Programme,
    mentor_application: Application,
    leader_application: Application,
    coordinator: Any,
    django_assert_max_num_queries: Any,
) -> None:
    _accept(mentor_application, coordinator)
    _accept(leader_application, coordinator)
    with django_assert_max_num_queries(6):
        result = selectors.matching_input(ready_programme)
    assert len(result["leader"]) == 1 and len(result["mentor"]) == 1


def test_withdrawal_through_the_consent_service_runs_the_handler(
    mentor_application: Application, mentor: Any
) -> None:
    consent = Consent.objects.get(user=mentor, purpose="identity.age_band")
    consent_withdraw(consent=consent, channel="api")
    assert list(IdentityDisclosure.objects.values_list("dimension", flat=True)) == ["ethnicity"]


def test_only_people_who_may_take_part_reach_matching_and_their_profiles_match_one_by_one(
    ready_programme: Programme,
    mentor_application: Application,
    leader_application: Application,
    coordinator: Any,
) -> None:
    _accept(mentor_application, coordinator)
    _accept(leader_application, coordinator)
    # The bulk read gives each applicant the very profile the one-by-one read gives.
    result = selectors.matching_input(ready_programme)
    assert result["mentor"] == [selectors.matching_profile(mentor_application)]
    assert result["leader"] == [selectors.matching_profile(leader_application)]
    # Not eligible and not let in: left out. Let in by a coordinator with a reason: back in.
    Application.objects.filter(pk=mentor_application.pk).update(eligible=False)
    mentor_application.refresh_from_db()
    assert not mentor_application.may_take_part
    assert selectors.matching_input(ready_programme)["mentor"] == []
    Application.objects.filter(pk=mentor_application.pk).update(
        eligibility_override_reason="Moved teams last month; the directory is behind."
    )
    mentor_application.refresh_from_db()
    assert mentor_application.may_take_part
    assert [p["application_id"] for p in selectors.matching_input(ready_programme)["mentor"]] == [
        mentor_application.pk
    ]
