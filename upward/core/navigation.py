"""The main navigation: each app registers its entries with who may see them.

An entry is shown only to users for whom its predicate is true, so the menu matches the role.

The menu is on every page, so what its predicates ask must not cost a query each. They ask two
things: the user's role grants (``accounts.permissions``, read once per request and shared with
the second-factor middleware) and the user's *facts*, yes-or-no questions about the user's own
rows ("is in a pair", "has a survey to answer") that the apps register as ``Exists``
expressions. All the facts are answered together, in one query, the first time one is asked
in a request; the answers live on the request's user object, which lives as long as the request.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    visible: Callable[[Any], bool]
    order: int = 50


_ENTRIES: list[NavEntry] = []
_FACTS: dict[str, Callable[[Any], Exists]] = {}


def register(label: str, url_name: str, visible: Callable[[Any], bool], order: int = 50) -> None:
    if any(e.url_name == url_name for e in _ENTRIES):
        return
    _ENTRIES.append(NavEntry(label, url_name, visible, order))
    _ENTRIES.sort(key=lambda e: e.order)


def register_fact(name: str, build: Callable[[Any], Exists]) -> None:
    """A yes-or-no question about a signed-in user: ``build(user)`` gives an ``Exists`` over
    that user's rows. A name is registered once; registering it again changes nothing."""
    _FACTS.setdefault(name, build)


def facts_of(user: Any) -> dict[str, bool]:
    """Every registered fact about the user, answered in one query per request (none for
    someone not signed in, for whom every fact is false)."""
    if not getattr(user, "is_authenticated", False):
        return dict.fromkeys(_FACTS, False)
    cached: dict[str, bool] | None = getattr(user, "_upward_facts", None)
    if cached is None:
        from django.contrib.auth import get_user_model

        # Selected beside the user's own row (found by its primary key), so the database
        # answers every question in one round trip.
        names = {f"fact_{i}": name for i, name in enumerate(_FACTS)}
        expressions = {alias: _FACTS[name](user) for alias, name in names.items()}
        row = get_user_model()._default_manager.filter(pk=user.pk).values(**expressions).first()
        cached = {name: bool(row and row[alias]) for alias, name in names.items()}
        with contextlib.suppress(AttributeError):  # an object that takes no attributes
            user._upward_facts = cached
    return cached


def fact(user: Any, name: str) -> bool:
    """One registered fact about the user (see ``facts_of``)."""
    answers = facts_of(user)
    if name not in answers:
        raise KeyError(f"No menu fact is registered under {name!r}.")
    return answers[name]


def known_fact(user: Any, name: str) -> bool | None:
    """The fact if this request has already answered the facts (the menu does, on every page),
    else None: for a caller that may skip a read when the answer is known to be no, without
    asking the facts itself."""
    cached: dict[str, bool] | None = getattr(user, "_upward_facts", None)
    return None if cached is None else cached.get(name)


def entries_for(user: Any) -> list[NavEntry]:
    """The entries this user sees. Each predicate is asked once per request even when several
    entries share it (my pair, training, meetings and support all ask "has a pair?")."""
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
