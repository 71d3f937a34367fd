"""The main navigation: each app registers its entries with who may see them.

An entry is shown only to users for whom its predicate is true, so the menu matches the role.

The menu is on every page, so what its predicates ask must not cost a query each. They ask two
things: the user's role grants (``accounts.permissions``, read once per request and shared with
the second-factor middleware) and the user's *facts*, yes-or-no questions about the user's own
rows ("is in a pair", "has a survey to answer") that the apps register as ``Exists``
expressions. All the facts are answered together, in one query, the first time one is asked
in a request; the answers live on the request's user object, which lives as long as the request.
The user's own rows of one registered model (the role grants, ``register_user_rows``) come back
in the same round trip, so a page pays one query for its menu and its permissions together.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.db import connections, router
from django.db.models import Exists, Model
from django.utils import timezone

from . import page_cache


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    visible: Callable[[Any], bool]
    order: int = 50


_ENTRIES: list[NavEntry] = []
_FACTS: dict[str, Callable[[Any], Exists]] = {}
# (model, attribute): the user's rows of ``model`` (by its ``user`` foreign key), read beside the
# facts and kept on the user object under ``attribute`` unless something set it first.
_ROWS: list[tuple[type[Model], str]] = []


def register(label: str, url_name: str, visible: Callable[[Any], bool], order: int = 50) -> None:
    if any(e.url_name == url_name for e in _ENTRIES):
        return
    _ENTRIES.append(NavEntry(label, url_name, visible, order))
    _ENTRIES.sort(key=lambda e: e.order)


def register_fact(name: str, build: Callable[[Any], Exists]) -> None:
    """A yes-or-no question about a signed-in user: ``build(user)`` gives an ``Exists`` over
    that user's rows, using the user's ``pk`` and nothing else of the user (the statement is
    compiled once per day and process for a stand-in user, see ``_statement``). A name is
    registered once; registering it again changes nothing."""
    _FACTS.setdefault(name, build)


def register_user_rows(model: type[Model], attribute: str) -> None:
    """Read the user's rows of ``model`` (those whose ``user`` is the user) in the facts query
    and keep them, as a list of instances, on the user object under ``attribute``. One model
    may be registered (the role grants); registering it again changes nothing."""
    if _ROWS and _ROWS[0] != (model, attribute):
        raise ValueError("Only one model's rows can be read beside the facts.")
    if not _ROWS:
        _ROWS.append((model, attribute))


# Stands for the user's id in the compiled statement; no real id or other value is negative.
_STAND_IN = -7_000_000_001
_STATEMENTS: dict[tuple[str, dt.date, tuple[str, ...]], tuple[str, tuple[Any, ...]]] = {}


def _statement(database: str) -> tuple[str, tuple[Any, ...]]:
    """The facts' SQL and parameters for a stand-in user, compiled once per process, database
    and day (a fact may depend on today's date, as "has an open survey" does). Building and
    compiling the questions costs several times what the database takes to answer them, on
    every page; the statement holds no answer, only the questions."""
    from django.contrib.auth import get_user_model

    key = (database, timezone.localdate(), tuple(_FACTS))
    found = _STATEMENTS.get(key)
    if found is None:
        stand_in = SimpleNamespace(pk=_STAND_IN)  # a builder reading more than pk fails here
        expressions = {f"fact_{i}": build(stand_in) for i, build in enumerate(_FACTS.values())}
        query = get_user_model()._default_manager.filter(pk=_STAND_IN).values(**expressions)
        sql, params = query.query.get_compiler(database).as_sql()
        if _ROWS:
            # One row per user row of the model (or one row of NULLs), each carrying the facts.
            model = _ROWS[0][0]
            quote = connections[database].ops.quote_name
            columns = ", ".join(f"r.{quote(str(f.column))}" for f in model._meta.concrete_fields)
            # Only quoted names from the model's own metadata are put in; values are parameters.
            table = quote(model._meta.db_table)
            user_column = str(model._meta.get_field("user").column)  # type: ignore[union-attr]
            sql = (
                f"SELECT f.*, {columns} FROM ({sql}) f LEFT JOIN {table} r "  # noqa: S608  # nosec B608  # quoted model names
                f"ON r.{quote(user_column)} = %s "
                f"ORDER BY r.{quote(str(model._meta.pk.column))}"
            )
            params = (*params, _STAND_IN)
        _STATEMENTS.clear()  # yesterday's statements are no longer used
        found = _STATEMENTS[key] = (sql, tuple(params))
    return found


def facts_of(user: Any) -> dict[str, bool]:
    """Every registered fact about the user, answered in one query per request at most (none
    for someone not signed in, for whom every fact is false; none while the answer is kept)."""
    if not getattr(user, "is_authenticated", False):
        return dict.fromkeys(_FACTS, False)
    cached: dict[str, bool] | None = getattr(user, "_upward_facts", None)
    if cached is None:
        from django.contrib.auth import get_user_model

        # Selected beside the user's own row (found by its primary key), so the database
        # answers every question in one round trip.
        database = router.db_for_read(get_user_model())
        sql, stand_in_params = _statement(database)
        params = [user.pk if p == _STAND_IN else p for p in stand_in_params]

        def read() -> list[tuple[Any, ...]]:
            with connections[database].cursor() as cursor:
                cursor.execute(sql, params)
                return [tuple(r) for r in cursor.fetchall()]

        # Kept between requests until a table the statement reads is written (core.page_cache):
        # a new role, a removed authenticator or a new pair is seen on the very next request.
        rows = page_cache.remembered(f"facts\x1f{database}\x1f{sql}\x1f{params!r}", read)
        row = rows[0] if rows else None
        cached = {name: bool(row and row[i]) for i, name in enumerate(_FACTS)}
        with contextlib.suppress(AttributeError):  # an object that takes no attributes
            user._upward_facts = cached
            for model, attribute in _ROWS:
                if not hasattr(user, attribute):  # e.g. an API token's narrower grants
                    names = [f.attname for f in model._meta.concrete_fields]
                    width = len(_FACTS)
                    setattr(
                        user,
                        attribute,
                        [
                            model.from_db(database, names, list(r[width:]))
                            for r in rows
                            if r[width] is not None
                        ],
                    )
    return cached


def has_read_facts(user: Any) -> bool:
    """This request already ran the facts query for the user."""
    return hasattr(user, "_upward_facts")


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
