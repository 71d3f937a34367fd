"""Where the lifecycle's events become webhook deliveries: the hooks of matches (a
publication), pairs (formed, completed, ended) and running (a meeting held), and a campaign's
creation. Each delivery is sent after the transaction commits."""

from __future__ import annotations

from typing import Any

from .webhooks import event_emit, payload_part

STATE_EVENTS = {"complete": "pair.completed", "end": "pair.ended"}


def on_proposals_sent(*, run: Any, proposals: list[Any]) -> None:
    event_emit(
        event="proposal.sent",
        programme=run.programme,
        data={"run": payload_part("run", run)},
    )


def on_meeting_held(meeting: Any) -> None:
    pair = meeting.pair
    event_emit(
        event="meeting.held",
        programme=pair.programme,
        data={"meeting": payload_part("meeting", meeting), "pair": payload_part("pair", pair)},
    )


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
