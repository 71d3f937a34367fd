"""The main navigation: each app registers its entries with who may see them.

An entry is shown only to users for whom its predicate is true, so the menu matches the role.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    visible: Callable[[Any], bool]
    order: int = 50


_ENTRIES: list[NavEntry] = []


def register(label: str, url_name: str, visible: Callable[[Any], bool], order: int = 50) -> None:
    if any(e.url_name == url_name for e in _ENTRIES):
        return
    _ENTRIES.append(NavEntry(label, url_name, visible, order))
    _ENTRIES.sort(key=lambda e: e.order)


def entries_for(user: Any) -> list[NavEntry]:
    """The entries this user sees. Each predicate is asked once per request even when several
    entries share it (my pair, training, meetings and support all ask "has a pair?"); the
    answers are kept on the request's user object, which lives as long as the request."""
    summary: dict[Callable[[Any], bool], bool] | None = getattr(user, "_upward_menu", None)
    if summary is None:
        summary = {}
        with contextlib.suppress(AttributeError):  # an object that takes no attributes
            user._upward_menu = summary
    shown = []
    for entry in _ENTRIES:
        if entry.visible not in summary:
            summary[entry.visible] = bool(entry.visible(user))
        if summary[entry.visible]:
            shown.append(entry)
    return shown
