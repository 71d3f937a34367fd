"""The emotional load guard: the mentor's pulse raises a flag without its answers when strain
stays high, the mentor sees the load cap matching respects, and the invitation wave preview
warns before asking the same people again."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from upward.pairs.models import Pair
from upward.programmes.models import Invitation, InvitationWave, Programme
from upward.support import services
from upward.support.errors import SupportRuleBroken
from upward.support.models import Pulse, StrainFlag

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pulse(pair: Pair, mentor: Any, days_ago: int, strain: int, energy: int = 2) -> None:
    on = timezone.localdate() - dt.timedelta(days=days_ago)
    services.pulse_record(pair=pair, by=mentor, on=on, energy=energy, strain=strain)


def test_high_strain_over_three_answers_flags_without_the_answers(
    pair: Pair, mentor: Any, coordinator: Any, wellbeing_lead: Any
) -> None:
    pulse(pair, mentor, 30, strain=5)
    pulse(pair, mentor, 20, strain=4)
    assert StrainFlag.objects.count() == 0
    pulse(pair, mentor, 10, strain=4, energy=1)
    flag = StrainFlag.objects.get()
    assert (flag.pair, flag.mentor, flag.cleared_at) == (pair, mentor, None)
    pulse(pair, mentor, 5, strain=5)
    assert StrainFlag.objects.count() == 1  # one open flag, not one per answer

    for user, url in (
        (coordinator, reverse("support:programme", args=[pair.programme.slug])),
        (wellbeing_lead, reverse("support:inbox")),
    ):
        page = client_for(user).get(url).content.decode()
        section = page.split("<h2>Strain flags</h2>", 1)[1]
        assert mentor.person.name in section
        assert "Strain</span>" in section
        for word in ("energy", "Energy", "4 of 5", "5 of 5"):
            assert word not in section, (url, word)
    pulse(pair, mentor, 1, strain=2)
    assert StrainFlag.objects.get().cleared_at is not None


def test_the_pulse_is_the_mentors_and_refuses_bad_input(
    pair: Pair, leader: Any, mentor: Any
) -> None:
    with pytest.raises(SupportRuleBroken, match="for the pair's mentor"):
        pulse(pair, leader, 1, strain=3)
    with pytest.raises(SupportRuleBroken, match="from 1 to 5"):
        pulse(pair, mentor, 1, strain=9)
    with pytest.raises(SupportRuleBroken, match="not in the future"):
        pulse(pair, mentor, -1, strain=3)
    pulse(pair, mentor, 1, strain=3)
    with pytest.raises(SupportRuleBroken, match="already gave a pulse"):
        pulse(pair, mentor, 1, strain=3)
    assert Pulse.objects.count() == 1
    response = client_for(mentor).post(
        reverse("support:pulse"),
        {"pair": pair.pk, "on": "not a date", "energy": 3, "strain": 3},
    )
    assert response.status_code == 302 and Pulse.objects.count() == 1


def test_the_mentor_sees_the_load_cap(pair: Pair, leader: Any, mentor: Any) -> None:
    page = client_for(mentor).get(reverse("support:mine")).content.decode()
    cap = mentor.person.organisation.mentor_load_cap
    hours = pair.programme.hours_per_month
    assert (
        f"You mentor 1 person across programmes; matching never gives you more than {cap} at "
        f"once. Your programmes ask about {hours} hour{'s' if hours != 1 else ''} a month of you."
    ) in page
    assert (
        "How was your last meeting?"
        not in client_for(leader).get(reverse("support:mine")).content.decode()
    )


def test_the_wave_preview_warns_before_asking_the_same_people_again(
    programme_a: Programme, programme_b: Programme, org_a: Any, coordinator: Any
) -> None:
    person = org_a.people.order_by("-grade_level", "employee_id").first()
    wave = InvitationWave.objects.create(programme=programme_b, number=1, side="leader")
    Invitation.objects.create(
        programme=programme_b, wave=wave, person=person, side="leader", email="x@a.test", nonce="n"
    )
    from upward.support.selectors import asked_again, invitations_last_year

    assert invitations_last_year([person.pk]) == {person.pk: 1}
    assert asked_again([person]) == [(person, 1)]
    url = reverse("programmes:wave_new", args=[programme_a.slug])
    response = client_for(coordinator).post(
        url, {"side": "leader", "identifiers": person.employee_id, "action": "preview"}
    )
    assert response.status_code == 200
    assert response.context["preview"]["asked_again"] == [(person, 1)]
    assert f"{person.name}: 1 time<" in response.content.decode()
