"""Notification emails of cohort life, following each person's choice: an email for each new
post or message, one daily digest, or none. The choices, the queue and the digest are the
notifications app's (``upward.notifications``), shared with every other email; this module says
who is told of what.

No email ever holds what was written: a private message's text stays in the thread, and a
post's text in the space. The email says that something is new and links to it.
"""

from __future__ import annotations

import datetime as dt

from upward.notifications import services
from upward.pairs.models import Pair
from upward.programmes.models import Programme


class Kind:
    POST = "post"
    REPLY = "reply"
    MESSAGE = "message"


EVENT_OF = {Kind.POST: "cohort_post", Kind.REPLY: "cohort_reply", Kind.MESSAGE: "cohort_message"}


def notices_create(
    *,
    kind: str,
    programme: Programme | None = None,
    pair: Pair | None = None,
    exclude: set[int] | None = None,
    only: set[int] | None = None,
    base_url: str = "",
) -> int:
    """Queue the notices of one new post, reply or message for the people who want them; the
    ones wanted at once are sent after the change commits."""
    from .selectors import member_ids

    if only is not None:
        recipients = {i for i in only if i}
    else:
        assert programme is not None
        recipients = member_ids(programme)
    recipients -= exclude or set()
    if not recipients:
        return 0
    return services.notices_create(
        event=EVENT_OF[kind],
        user_ids=recipients,
        programme=programme,
        pair=pair,
        base_url=base_url,
    )


def digests_send(*, now: dt.datetime | None = None, base_url: str = "") -> int:
    """Daily: every person's digest, cohort news and every other email they chose to get so."""
    return services.digests_send(now=now, base_url=base_url)
