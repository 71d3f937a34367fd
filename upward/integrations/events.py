"""Where the lifecycle's events become webhook deliveries: the pairs app's hooks and a
campaign's creation. Each delivery is sent after the transaction commits."""

from __future__ import annotations

from typing import Any

from .webhooks import event_emit, payload_part

STATE_EVENTS = {"complete": "pair.completed", "end": "pair.ended"}


def on_pair_formed(pair: Any) -> None:
    event_emit(
        event="pair.formed", programme=pair.programme, data={"pair": payload_part("pair", pair)}
    )


def on_pair_state(*, pair: Any, action: str, by: Any = None, reason: str = "") -> None:
    event = STATE_EVENTS.get(action)
    if event is not None:
        event_emit(event=event, programme=pair.programme, data={"pair": payload_part("pair", pair)})


def on_campaign_saved(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    if created and not kwargs.get("raw"):
        event_emit(
            event="survey.opened",
            programme=instance.programme,
            data={"survey": payload_part("survey", instance)},
        )
