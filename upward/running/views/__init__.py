"""Pages of running a pair, by feature: meetings (propose, pick, move, cancel, outcome,
invitation, calendar feed, reminders), shared notes and private reflections, SMART goals,
check-ins, and the coordinator's board. Meetings are the two people's alone: a coordinator sees
only the board."""

from .board import BOARD_PAGE, board, rematch, settings_page
from .checkins import checkin
from .goals import goal_add, goal_progress, goals
from .meetings import (
    cancel,
    feed,
    feed_reset,
    meeting_calendar,
    mine,
    move,
    nudges,
    outcome,
    pair_meetings,
    pick,
    propose,
)
from .notes import note_add, note_edit, notes, reflection_add, reflection_delete

__all__ = [
    "BOARD_PAGE",
    "board",
    "cancel",
    "checkin",
    "feed",
    "feed_reset",
    "goal_add",
    "goal_progress",
    "goals",
    "meeting_calendar",
    "mine",
    "move",
    "note_add",
    "note_edit",
    "notes",
    "nudges",
    "outcome",
    "pair_meetings",
    "pick",
    "propose",
    "reflection_add",
    "reflection_delete",
    "rematch",
    "settings_page",
]
