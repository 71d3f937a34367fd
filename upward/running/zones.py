"""Times in people's own time zones: reading what someone typed, showing a time to both."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from .errors import RunningRuleBroken


def known_zone(name: str) -> ZoneInfo:
    """The zone of that name, or a clear refusal."""
    if not name or len(name) > 64 or name not in available_timezones():
        raise RunningRuleBroken(f"“{name[:64]}” is not a time zone we know, such as Europe/London.")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise RunningRuleBroken(f"“{name}” is not a time zone we know.") from exc


def local_to_aware(naive: dt.datetime, zone_name: str) -> dt.datetime:
    """A wall-clock time in a zone as an aware time; refused when the clocks skip it
    (the hour lost when daylight saving starts)."""
    tz = known_zone(zone_name)
    aware = naive.replace(tzinfo=tz)
    back = aware.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None)
    if back != naive.replace(tzinfo=None):
        raise RunningRuleBroken(
            f"{naive:%d %B %Y %H:%M} does not exist in {zone_name}: the clocks go forward "
            "then. Choose another time."
        )
    return aware


def shown_in(moment: dt.datetime, zone_name: str) -> str:
    """How a time reads in one zone, e.g. 'Sat 20 March 2027, 14:00 (GMT)'."""
    from upward.core.ics import zone

    local = moment.astimezone(zone(zone_name))
    return f"{local:%a} {local.day} {local:%B %Y, %H:%M} ({local.tzname()})"
