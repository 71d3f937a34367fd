"""The surveys a person is asked to answer are found in one query that agrees with the
campaigns' audiences (``audience_of``) whatever the campaign's side, cohort, organisation and
audience, and whatever the person's standing."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from upward.core import navigation
from upward.evidence import selectors
from upward.evidence.models import Campaign, Participation
from upward.programmes.models import Application

from .conftest import open_campaign

pytestmark = pytest.mark.django_db


def by_audiences(user: Any) -> set[int]:
    """The slow, plain definition: every open campaign not yet answered whose audience holds
    the user."""
    answered = set(Participation.objects.filter(user=user).values_list("campaign_id", flat=True))
    return {
        c.pk
        for c in Campaign.objects.all()
        if selectors.is_open(c) and c.pk not in answered and user.pk in selectors.audience_of(c)
    }


def test_open_surveys_agree_with_the_audiences(
    programme_a: Any, org_a: Any, org_b: Any, people: Any, outsider: Any, leader: Any
) -> None:
    programme_a.organisations.add(org_b)  # the wider campaigns reach a second organisation
    for audience, side, cohort, organisation in itertools.product(
        Campaign.Audience.values,
        ("", "leader", "mentor"),
        (None, people.spring, people.autumn),
        (None, org_a, org_b),
    ):
        open_campaign(
            programme_a, audience=audience, side=side, cohort=cohort, organisation=organisation
        )
    today = timezone.localdate()
    later = open_campaign(programme_a, title="Not open yet")
    Campaign.objects.filter(pk=later.pk).update(
        opens_on=today + dt.timedelta(days=1), closes_on=today + dt.timedelta(days=9)
    )
    answered = open_campaign(programme_a, title="Answered")
    Participation.objects.create(campaign=answered, user=people.leaders[0])
    # Someone who left the directory is no longer in a wider audience, still in the programme's.
    gone = people.leaders[1].person
    gone.active = False
    gone.save(update_fields=["active"])
    # A withdrawn application takes its person out of the programme's audience.
    Application.objects.filter(user=people.autumn_mentors[0]).update(
        status=Application.Status.WITHDRAWN
    )
    users = [*people.leaders[:3], people.spring_mentors[0], *people.autumn_mentors[:2]]
    users += [outsider, leader]
    seen = []
    for user in users:
        expected = by_audiences(user)
        with CaptureQueriesContext(connection) as ctx:
            found = {c.pk for c in selectors.open_surveys_for(user)}
        assert found == expected, user.email
        assert len(ctx.captured_queries) == 1
        assert navigation.facts_of(user)[selectors.OPEN_SURVEY] is bool(expected)
        seen.append(len(expected))
        # One person's place in each audience, and the survey page's door, agree as well.
        for campaign in Campaign.objects.all():
            whole = selectors.audience_of(campaign)
            mine = selectors.audience_of(campaign, user_id=user.pk)
            assert mine == ({user.pk: whole[user.pk]} if user.pk in whole else {})
            try:
                selectors.survey_or_404(user, campaign.pk)
            except Http404:
                assert user.pk not in whole
            else:
                assert user.pk in whole
    # The cases differ: some people are asked many surveys, some few (the outsider's
    # organisation only the wider ones), someone none.
    assert len(set(seen)) >= 4 and 0 in seen
