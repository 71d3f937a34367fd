"""Webhooks: https only, signed deliveries a receiver can verify (replays refused), retries
with backoff against a real local server, payloads free of sensitive fields, and the chat
format sent only to registered addresses."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from upward.integrations import webhooks
from upward.integrations.errors import IntegrationRuleBroken, SignatureInvalid
from upward.integrations.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from upward.privacy import classification

pytestmark = pytest.mark.django_db


class Receiver:
    """An HTTP server on 127.0.0.1 that answers the given statuses in turn (then 200)."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses = list(statuses)
        self.received: list[tuple[dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"private words that must not be kept")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver([500, 503])
    yield r
    r.close()


def _endpoint(org: Any, admin: Any, url: str, **changes: Any) -> tuple[WebhookEndpoint, str]:
    fields: dict[str, Any] = {
        "organisation": org,
        "url": url,
        "events": list(webhooks.EVENTS),
        "format": "json",
        "by": admin,
    }
    fields.update(changes)
    return webhooks.endpoint_create(**fields)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://hooks.example.org/x", "Use an https:// address"),
        ("ftp://hooks.example.org/x", "Use an https:// address"),
        ("http://10.0.0.1/x", "Use an https:// address"),
        ("https://user:pw@hooks.example.org/x", "Leave names and passwords out"),
        ("https:///nohost", "no host name"),
        ("", "Give the address"),
    ],
)
def test_only_https_addresses_are_accepted(
    org_a: Any, org_admin: Any, url: str, message: str
) -> None:
    with pytest.raises(IntegrationRuleBroken, match=message):
        _endpoint(org_a, org_admin, url)
    assert not WebhookEndpoint.objects.exists()


def test_loopback_http_only_under_the_test_setting(org_a: Any, org_admin: Any) -> None:
    with (
        override_settings(UPWARD_WEBHOOK_ALLOW_LOOPBACK_HTTP=False),
        pytest.raises(IntegrationRuleBroken, match="https"),
    ):
        _endpoint(org_a, org_admin, "http://127.0.0.1:9/x")
    _endpoint(org_a, org_admin, "http://127.0.0.1:9/x")


def test_unknown_events_and_formats_are_refused(org_a: Any, org_admin: Any) -> None:
    with pytest.raises(IntegrationRuleBroken, match=r"Unknown event 'pair\.gossip'"):
        _endpoint(org_a, org_admin, "https://h.example.org", events=["pair.gossip"])
    with pytest.raises(IntegrationRuleBroken, match="Choose the signed JSON"):
        _endpoint(org_a, org_admin, "https://h.example.org", format="xml")


def test_only_the_organisations_admin_registers(
    org_a: Any, org_admin_b: Any, coordinator: Any
) -> None:
    for who in (org_admin_b, coordinator):
        with pytest.raises(IntegrationRuleBroken, match="Only an admin"):
            _endpoint(org_a, who, "https://h.example.org")


def test_a_signature_verifies_and_a_replay_is_refused() -> None:
    body = b'{"event":"pair.formed"}'
    now = int(time.time())
    header = webhooks.sign(secret="whsec_s", body=body, at=now)
    webhooks.signature_verify(secret="whsec_s", header=header, body=body)
    with pytest.raises(SignatureInvalid, match="does not match"):
        webhooks.signature_verify(secret="whsec_other", header=header, body=body)
    with pytest.raises(SignatureInvalid, match="does not match"):
        webhooks.signature_verify(secret="whsec_s", header=header, body=body + b" ")
    with pytest.raises(SignatureInvalid, match="too old"):
        webhooks.signature_verify(secret="whsec_s", header=header, body=body, now=now + 301)
    with pytest.raises(SignatureInvalid, match="no time"):
        webhooks.signature_verify(secret="whsec_s", header="v1=abc", body=body)


def test_a_formed_pair_is_delivered_signed_after_retries_with_backoff(
    programme_a: Any,
    org_a: Any,
    org_admin: Any,
    leader: Any,
    mentor: Any,
    receiver: Receiver,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from upward.preparation.tests.factory import make_pair

    start = timezone.now().replace(microsecond=0)
    clock = {"now": start}
    monkeypatch.setattr(timezone, "now", lambda: clock["now"])
    endpoint, secret = _endpoint(org_a, org_admin, receiver.url, events=["pair.formed"])

    with django_capture_on_commit_callbacks(execute=False) as sent:
        pair = make_pair(programme_a, leader, mentor)
    assert receiver.received == []  # nothing leaves before the transaction commits
    for callback in sent:
        callback()  # the commit: the task runs at once, try 1 fails (500)
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.event == "pair.formed"
    assert delivery.payload["pair"]["id"] == pair.pk
    assert (delivery.state, delivery.attempts) == ("pending", 1)
    assert delivery.next_attempt_at == start + dt.timedelta(seconds=30)

    # Not due yet: nothing is sent.
    clock["now"] = start + dt.timedelta(seconds=29)
    webhooks.delivery_attempt(delivery)
    assert len(receiver.received) == 1

    clock["now"] = start + dt.timedelta(seconds=30)
    delivery = webhooks.delivery_attempt(delivery)  # try 2 fails (503): four times longer
    assert (delivery.state, delivery.attempts) == ("pending", 2)
    assert delivery.next_attempt_at == clock["now"] + dt.timedelta(seconds=120)

    clock["now"] += dt.timedelta(seconds=120)
    delivery = webhooks.delivery_attempt(delivery)  # try 3 succeeds
    assert (delivery.state, delivery.attempts, delivery.next_attempt_at) == (
        "delivered",
        3,
        None,
    )
    attempts = list(WebhookAttempt.objects.filter(delivery=delivery).order_by("number"))
    assert [(a.ok, a.status_code) for a in attempts] == [(False, 500), (False, 503), (True, 200)]
    assert [a.at - start for a in attempts] == [
        dt.timedelta(0),
        dt.timedelta(seconds=30),
        dt.timedelta(seconds=150),
    ]
    assert all("private" not in a.error for a in attempts)

    headers, body = receiver.received[-1]
    assert headers["Upward-Event"] == "pair.formed"
    webhooks.signature_verify(
        secret=secret, header=headers["Upward-Signature"], body=body, now=clock["now"].timestamp()
    )
    document = json.loads(body)
    assert document["event"] == "pair.formed"
    assert document["data"]["pair"]["id"] == pair.pk
    assert document["data"]["programme"]["slug"] == "programme-a"
    # Three tries, each signed again with its own time.
    times = [h["Upward-Signature"].split(",")[0] for h, _ in receiver.received]
    assert len(set(times)) == 3


@override_settings(UPWARD_WEBHOOK_MAX_ATTEMPTS=2)
def test_a_delivery_gives_up_after_the_last_try(
    org_a: Any, org_admin: Any, programme_a: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _endpoint(org_a, org_admin, "http://127.0.0.1:9/closed")
    made = webhooks.event_emit(event="survey.opened", programme=programme_a, data={})
    delivery = made[0]
    for _ in range(2):
        delivery.next_attempt_at = timezone.now()
        delivery.save(update_fields=["next_attempt_at"])
        delivery = webhooks.delivery_attempt(delivery)
    assert delivery.state == "failed"
    assert delivery.next_attempt_at is None
    assert all(a.error.startswith("could not connect") for a in delivery.attempt_log.all())


def test_the_chat_format_is_a_text_message(
    org_a: Any,
    org_admin: Any,
    programme_a: Any,
    leader: Any,
    mentor: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    r = Receiver([])
    try:
        _endpoint(org_a, org_admin, r.url, events=["pair.formed"], format="chat")
        from upward.preparation.tests.factory import make_pair

        with django_capture_on_commit_callbacks(execute=True):
            make_pair(programme_a, leader, mentor)
        _, body = r.received[0]
        assert json.loads(body) == {"text": "A new pair was formed in Reverse Mentoring A."}
    finally:
        r.close()


def test_events_go_only_to_endpoints_that_asked_in_the_programmes_organisations(
    org_a: Any, org_admin: Any, org_b: Any, org_admin_b: Any, programme_a: Any
) -> None:
    _endpoint(org_a, org_admin, "https://a.example.org", events=["pair.ended"])
    _endpoint(org_b, org_admin_b, "https://b.example.org")
    asked, _ = _endpoint(org_a, org_admin, "https://c.example.org", events=["survey.opened"])
    made = webhooks.event_emit(event="survey.opened", programme=programme_a, data={})
    assert [d.endpoint for d in made] == [asked]


def test_a_new_survey_is_an_event(org_a: Any, org_admin: Any, programme_a: Any) -> None:
    from upward.evidence.models import Campaign

    endpoint, _ = _endpoint(org_a, org_admin, "https://a.example.org", events=["survey.opened"])
    campaign = Campaign.objects.create(
        programme=programme_a,
        title="Pulse",
        instrument="relationship_quality",
        opens_on=dt.date(2030, 1, 1),
        closes_on=dt.date(2030, 1, 15),
    )
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.payload["survey"]["id"] == campaign.pk
    assert "title" not in delivery.payload["survey"]


def test_payloads_hold_no_sensitive_field() -> None:
    """Every field a payload may carry is classified public or internal."""
    document = classification.load()["models"]
    for kind, (label, names) in webhooks.PAYLOAD_FIELDS.items():
        fields = document[label]["fields"]
        for name in names:
            entry = fields[name]
            level = entry["level"] if isinstance(entry, dict) else entry
            assert level in ("public", "internal"), f"{kind}.{name} is {level}"


def test_every_field_of_a_real_payload_is_a_declared_one(
    org_a: Any, org_admin: Any, programme_a: Any, leader: Any, mentor: Any
) -> None:
    from upward.pairs import services as pair_services
    from upward.preparation.tests.factory import make_pair

    _endpoint(org_a, org_admin, "https://a.example.org")
    pair = make_pair(programme_a, leader, mentor)
    pair_services.pair_state_change(
        pair=pair, action="end", by=leader, version=pair.version, note="private reason"
    )
    deliveries = list(WebhookDelivery.objects.all())
    assert {d.event for d in deliveries} == {"pair.formed", "pair.ended"}
    for d in deliveries:
        for kind, part in d.payload.items():
            assert set(part) <= set(webhooks.PAYLOAD_FIELDS[kind][1]), kind
        assert "private reason" not in json.dumps(d.payload)
        assert "leader@upward.test" not in json.dumps(d.payload)
