"""Webhooks: an organisation's endpoints, the events they receive, signed deliveries with
retries.

Payloads are built only from the fields listed in ``PAYLOAD_FIELDS``, each of them classified
public or internal in docs/data-classification.toml (a test checks it): no name, no email, no
special-category data, no private text ever leaves in a webhook.

Every delivery carries ``Upward-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "t.body">``
made with the endpoint's secret; ``signature_verify`` is what a receiver does, refusing a
signature older than five minutes (a replay).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import time
import urllib.error
import urllib.request
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from upward.accounts import permissions

from .errors import IntegrationRuleBroken, SignatureInvalid
from .models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

logger = logging.getLogger(__name__)

EVENTS = {
    "proposal.sent": "Pair proposals were sent to both people (one event per publication)",
    "pair.formed": "A pair was formed (both people accepted)",
    "pair.completed": "A pair completed its programme",
    "pair.ended": "A pair ended",
    "meeting.held": "A pair marked a meeting as held",
    "survey.opened": "A survey was opened for a programme",
}
SIGNATURE_HEADER = "Upward-Signature"
REPLAY_TOLERANCE_SECONDS = 300
SECRET_PREFIX = "whsec_"  # noqa: S105  # nosec B105  # a prefix, not a secret

# What a payload may carry, per object: (model, fields). Foreign keys go as their id.
PAYLOAD_FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "programme": ("programmes.Programme", ("id", "slug", "name", "kind")),
    "run": ("matches.MatchingRun", ("id", "programme", "cohort", "number", "published_at")),
    "pair": ("pairs.Pair", ("id", "programme", "cohort", "reciprocal")),
    "meeting": ("running.Meeting", ("id", "pair")),
    "survey": (
        "evidence.Campaign",
        ("id", "programme", "instrument", "stage", "opens_on", "closes_on"),
    ),
}


def _value(instance: models.Model, name: str) -> Any:
    field = instance._meta.get_field(name)
    assert isinstance(field, models.Field)
    value = getattr(instance, field.attname)  # a foreign key's id, not the object
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def payload_part(kind: str, instance: models.Model) -> dict[str, Any]:
    label, names = PAYLOAD_FIELDS[kind]
    if instance._meta.label != label:
        raise ValueError(f"{kind} is built from {label}, not {instance._meta.label}.")
    return {name: _value(instance, name) for name in names}


# --- endpoints ------------------------------------------------------------------------------


def check_url(url: str) -> str:
    url = (url or "").strip()
    if not url:
        raise IntegrationRuleBroken("Give the address that should receive the events.")
    if len(url) > 500:
        raise IntegrationRuleBroken("Keep the address to 500 characters at most.")
    parts = urlsplit(url)
    loopback_http = (
        settings.UPWARD_WEBHOOK_ALLOW_LOOPBACK_HTTP
        and parts.scheme == "http"
        and parts.hostname == "127.0.0.1"
    )
    if parts.scheme != "https" and not loopback_http:
        raise IntegrationRuleBroken(
            "Use an https:// address: events are sent only over an encrypted connection."
        )
    if not parts.hostname:
        raise IntegrationRuleBroken("The address has no host name.")
    if parts.username or parts.password:
        raise IntegrationRuleBroken("Leave names and passwords out of the address.")
    if any(c.isspace() for c in url):
        raise IntegrationRuleBroken("The address cannot contain spaces.")
    return url


def _check_events(events: list[str]) -> list[str]:
    if not events:
        raise IntegrationRuleBroken("Choose at least one event to send.")
    unknown = sorted({e for e in events if e not in EVENTS})
    if unknown:
        raise IntegrationRuleBroken(
            f"Unknown event {', '.join(repr(e) for e in unknown)}: use {', '.join(EVENTS)}."
        )
    return [e for e in EVENTS if e in events]


def endpoint_create(
    *, organisation: Any, url: str, events: list[str], format: str, by: Any
) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint of the organisation; returns it and its signing secret (shown once)."""
    if not permissions.can_admin_organisation(by, organisation):
        raise IntegrationRuleBroken("Only an admin of the organisation can register webhooks.")
    url = check_url(url)
    chosen = _check_events(list(events))
    if format not in WebhookEndpoint.Format.values:
        raise IntegrationRuleBroken("Choose the signed JSON event or the chat message format.")
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    endpoint = WebhookEndpoint.objects.create(
        organisation=organisation,
        url=url,
        events=chosen,
        format=format,
        secret=secret,
        created_by=by,
    )
    return endpoint, secret


def endpoint_remove(*, endpoint: WebhookEndpoint, by: Any) -> None:
    """Stop sending to the endpoint and forget it, with its delivery log."""
    if not permissions.can_admin_organisation(by, endpoint.organisation):
        raise IntegrationRuleBroken("Only an admin of the organisation can remove its webhooks.")
    endpoint.delete()


# --- signing --------------------------------------------------------------------------------


def sign(*, secret: str, body: bytes, at: int) -> str:
    digest = hmac.new(secret.encode(), f"{at}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={at},v1={digest}"


def signature_verify(
    *,
    secret: str,
    header: str,
    body: bytes,
    now: float | None = None,
    tolerance: int = REPLAY_TOLERANCE_SECONDS,
) -> None:
    """What a receiver does with a delivery: raises ``SignatureInvalid`` unless the header was
    made with ``secret`` over this body, within ``tolerance`` seconds of ``now``."""
    fields: dict[str, list[str]] = {}
    for part in (header or "").split(","):
        key, _, value = part.strip().partition("=")
        fields.setdefault(key, []).append(value)
    try:
        at = int(fields["t"][0])
    except (KeyError, ValueError, IndexError):
        raise SignatureInvalid("The signature has no time.") from None
    current = time.time() if now is None else now
    if abs(current - at) > tolerance:
        raise SignatureInvalid("The signature is too old (or from the future): a replay?")
    expected = sign(secret=secret, body=body, at=at).partition(",v1=")[2]
    if not any(hmac.compare_digest(expected, given) for given in fields.get("v1", [])):
        raise SignatureInvalid("The signature does not match the body.")


# --- events and deliveries ------------------------------------------------------------------


def chat_text(event: str, payload: dict[str, Any]) -> str:
    programme = payload.get("programme", {}).get("name", "a programme")
    words = {
        "proposal.sent": f"New pair proposals were sent to both people in {programme}.",
        "pair.formed": f"A new pair was formed in {programme}.",
        "pair.completed": f"A pair completed {programme}.",
        "pair.ended": f"A pair in {programme} ended.",
        "meeting.held": f"A pair held a meeting in {programme}.",
        "survey.opened": f"A survey opened in {programme}.",
    }
    return words.get(event, f"{EVENTS.get(event, event)} ({programme}).")


def event_emit(*, event: str, programme: Any, data: dict[str, Any]) -> list[WebhookDelivery]:
    """Queue a delivery to every active endpoint of the programme's organisations that asked
    for the event; each is sent once the current transaction commits."""
    if event not in EVENTS:
        raise ValueError(f"Unknown event {event!r}.")
    endpoints = [
        e
        for e in WebhookEndpoint.objects.filter(
            active=True, organisation__in=programme.organisations.all()
        )
        if event in e.events
    ]
    if not endpoints:
        return []
    payload = {"programme": payload_part("programme", programme), **data}
    now = timezone.now()
    made = [
        WebhookDelivery.objects.create(
            endpoint=e,
            event=event,
            programme=programme,
            payload=payload,
            created_at=now,
            next_attempt_at=now,
        )
        for e in endpoints
    ]

    def send() -> None:
        from .tasks import webhook_deliver

        for delivery in made:
            webhook_deliver.enqueue(delivery.pk)

    transaction.on_commit(send)
    return made


def body_of(delivery: WebhookDelivery) -> bytes:
    if delivery.endpoint.format == WebhookEndpoint.Format.CHAT:
        document: dict[str, Any] = {"text": chat_text(delivery.event, delivery.payload)}
    else:
        document = {
            "id": delivery.pk,
            "event": delivery.event,
            "created_at": delivery.created_at.isoformat(),
            "data": delivery.payload,
        }
    return json.dumps(document, separators=(",", ":"), sort_keys=True).encode()


def backoff_seconds(attempt: int) -> int:
    """Wait after the ``attempt``-th failure: base, then four times longer each time."""
    return int(settings.UPWARD_WEBHOOK_RETRY_BASE_SECONDS * 4 ** (attempt - 1))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a redirect counts as a failure: we send only to the registered address


def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=settings.UPWARD_WEBHOOK_TIMEOUT_SECONDS) as response:
            return int(response.status)
    except urllib.error.HTTPError as answer:
        return int(answer.code)


def delivery_attempt(delivery: WebhookDelivery) -> WebhookDelivery:
    """Try one delivery now, if it is due; on failure schedule the next try with backoff, or
    give up after UPWARD_WEBHOOK_MAX_ATTEMPTS."""
    now = timezone.now()
    with transaction.atomic():
        current = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
        if current.state != WebhookDelivery.State.PENDING or (
            current.next_attempt_at is not None and current.next_attempt_at > now
        ):
            return current
        current.attempts += 1
        # Claimed: another worker picking it up now finds it not yet due.
        current.next_attempt_at = now + timedelta(seconds=backoff_seconds(current.attempts))
        current.save(update_fields=["attempts", "next_attempt_at"])
    endpoint = current.endpoint
    body = body_of(current)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Upward-Webhooks/1",
        "Upward-Event": current.event,
        "Upward-Delivery": str(current.pk),
        SIGNATURE_HEADER: sign(secret=endpoint.secret, body=body, at=int(now.timestamp())),
    }
    status: int | None = None
    error = ""
    started = time.monotonic()
    try:
        check_url(endpoint.url)
        status = _post(endpoint.url, body, headers)
        if not 200 <= status < 300:
            error = f"answered {status}"
    except IntegrationRuleBroken as exc:
        error = str(exc)[:200]
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        error = f"could not connect: {reason}"[:200]
    ok = not error
    WebhookAttempt.objects.create(
        delivery=current,
        number=current.attempts,
        at=now,
        status_code=status,
        ok=ok,
        error=error,
        duration_ms=int((time.monotonic() - started) * 1000),
    )
    if ok:
        current.state = WebhookDelivery.State.DELIVERED
        current.next_attempt_at = None
    elif current.attempts >= settings.UPWARD_WEBHOOK_MAX_ATTEMPTS:
        current.state = WebhookDelivery.State.FAILED
        current.next_attempt_at = None
    current.save(update_fields=["state", "next_attempt_at"])
    logger.info("webhook delivery %s attempt %s: %s", current.pk, current.attempts, error or "ok")
    return current


def deliveries_due(now: datetime | None = None) -> models.QuerySet[WebhookDelivery]:
    return WebhookDelivery.objects.filter(
        state=WebhookDelivery.State.PENDING, next_attempt_at__lte=now or timezone.now()
    )
