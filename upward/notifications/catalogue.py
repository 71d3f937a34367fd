"""The one catalogue of the emails Upward sends: each event, the plain name people see, the
category whose choice (each one / a daily digest / none) it follows, and whether it must be sent
whatever the choice.

What must be sent, and why:

- ``account_appointed``: a role given to someone, with how to set a first password. Without it
  the account cannot be used; it is the account's activation.
- ``pair_step`` and ``rematch``: the person's mentoring relationship was paused or ended, or
  closed for a rematch. Nobody should learn that from a page they happen to open.
- ``concern_routed``, ``concern_message``, ``concern_overdue`` and ``safeguarding_alert``: a
  concern is a safety matter. The person who raised one hears of each answer, and whoever handles
  concerns hears of each new or overdue one; turning those off would let one go unanswered.

Everything else follows the person's choice for its category. Emails of the cohort space and the
pair thread (``gathers``) are counted into one line each in a digest ("There are 3 new posts").
"""

from __future__ import annotations

from dataclasses import dataclass

EACH = "each"
DIGEST = "digest"
NONE = "none"
EVERY = {
    EACH: "An email for each one",
    DIGEST: "One daily digest",
    NONE: "No emails",
}


@dataclass(frozen=True)
class Category:
    key: str
    name: str
    default: str = EACH


@dataclass(frozen=True)
class Event:
    key: str
    name: str
    category: str
    must_send: bool = False
    # Several of the same event (same programme and pair) become one counted line in a digest.
    gathers: bool = False


CATEGORIES: dict[str, Category] = {
    c.key: c
    for c in (
        Category("account", "Your account"),
        Category("invitations", "Invitations to take part in a programme"),
        Category("matching", "Your proposed matches"),
        Category("mentoring", "Your mentoring: its start, commitments, nominations and close"),
        Category("meetings", "Meetings, training sessions and cohort events in your calendar"),
        Category("reminders", "Reminders and nudges"),
        Category("surveys", "Surveys"),
        Category("cohort_posts", "New posts in your cohort space, and replies to yours", DIGEST),
        Category("cohort_messages", "New messages from your partner"),
        Category("concerns", "Concerns and safeguarding"),
        Category("work", "Your work as a coordinator or an organisation admin"),
    )
}

EVENTS: dict[str, Event] = {
    e.key: e
    for e in (
        Event("account_appointed", "A role given to you, and how to sign in", "account", True),
        Event("invitation", "An invitation to take part, and its reminder", "invitations"),
        Event("proposal", "A proposed match, its reminder, confirmation or close", "matching"),
        Event("rematch", "Your pairing closed for a no-fault rematch", "mentoring", True),
        Event("pair_active", "Your mentoring can begin", "mentoring"),
        Event("pair_step", "Your mentoring relationship is paused or has ended", "mentoring", True),
        Event("commitment_adopted", "A commitment adopted for you", "mentoring"),
        Event("nomination_asked", "Would you like to be put forward?", "mentoring"),
        Event("nomination_agreed", "Your mentor agreed to be put forward", "mentoring"),
        Event("programme_closed", "Thanks when your programme closes", "mentoring"),
        Event("meeting", "A meeting arranged, moved or cancelled", "meetings"),
        Event(
            "workshop", "Your place at a session or event, its changes and cancellation", "meetings"
        ),
        Event("training_reminder", "A reminder of the training still to do", "reminders"),
        Event("nudge", "A nudge when your pair has gone quiet or something waits", "reminders"),
        Event("survey_reminder", "A survey that asks for your view", "surveys"),
        Event("cohort_post", "A new post in your cohort space", "cohort_posts", gathers=True),
        Event("cohort_reply", "A reply to your post", "cohort_posts", gathers=True),
        Event("cohort_message", "A new message from your partner", "cohort_messages", gathers=True),
        Event("concern_routed", "A concern routed to you", "concerns", True),
        Event("concern_message", "A new message on a concern", "concerns", True),
        Event("concern_overdue", "A concern that is overdue", "concerns", True),
        Event(
            "safeguarding_alert", "A survey comment that may need your attention", "concerns", True
        ),
        Event("exit_reason", "The reason given when a pair paused or ended", "work"),
        Event("directory_flags", "Directory changes that affect a programme", "work"),
        Event("hris_file", "A file from the HR system waiting for you, or refused", "work"),
    )
}


def event(key: str) -> Event:
    try:
        return EVENTS[key]
    except KeyError:
        raise ValueError(f"No such email in the catalogue: {key!r}") from None


def events_of(category: str) -> list[Event]:
    return [e for e in EVENTS.values() if e.category == category]


def choosable(category: str) -> bool:
    """A category whose emails are not all must-send: a choice there changes something."""
    return any(not e.must_send for e in events_of(category))
