"""Running API: a pair's meetings, for its two people only (404 for anyone else).

A broken rule answers 400 and a stale version 409, with ``{"detail": "..."}``. Times are sent
either with an offset (ISO 8601) or as wall-clock times with ``zone`` (an IANA name).
"""

from . import board, checkins, goals, meetings, notes  # noqa: F401 - each adds its operations
from ._common import router

__all__ = ["router"]
