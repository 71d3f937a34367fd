"""The main navigation: each app registers its entries with who may see them.

An entry is shown only to users for whom its predicate is true, so the menu matches the role.
"""

from __future__ import annotations

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
    return [e for e in _ENTRIES if e.visible(user)]
