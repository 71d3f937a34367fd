"""A publication is one ``proposal.sent`` webhook event for the organisation's endpoints,
carrying the run's ids and nothing about the people in it."""

from __future__ import annotations

import json
from typing import Any

from upward.integrations import webhooks
from upward.integrations.models import WebhookDelivery
from upward.matches import services
from upward.matches.models import Proposal

from .conftest import Cast, finish


def test_a_publication_is_one_proposal_sent_event_without_names(cast: Cast, org_admin: Any) -> None:
    org = cast.programme.organisations.get()
    endpoint, _ = webhooks.endpoint_create(
        organisation=org,
        url="https://hooks.example.org/upward",
        events=["proposal.sent"],
        format="json",
        by=org_admin,
    )
    run = finish(cast.programme, cast.coordinator)
    services.run_publish(run=run, by=cast.coordinator, version=1, notify=False)
    assert Proposal.objects.filter(run=run).count() > 1
    [delivery] = WebhookDelivery.objects.filter(endpoint=endpoint)
    assert delivery.event == "proposal.sent"
    assert delivery.payload["run"]["id"] == run.pk
    assert delivery.payload["run"]["number"] == run.number
    assert delivery.payload["programme"]["id"] == cast.programme.pk
    text = json.dumps(delivery.payload)
    for proposal in Proposal.objects.select_related("leader__person", "mentor__person"):
        assert proposal.leader.person.name not in text
        assert proposal.mentor.person.name not in text
