"""Where each app plugs into subject access export, erasure and retention.

An app registers its functions in its ``AppConfig.ready()``::

    from upward.privacy import registry

    registry.register_exporter("applications", export_applications)  # (subject) -> dict
    registry.register_eraser("applications", erase_applications)  # (subject) -> counts
    registry.register_retention("applications", purge_applications)  # (programme) -> counts

- An **exporter** returns everything the app holds about ``subject.person`` / ``subject.user``
  as JSON-ready data (strings, numbers, lists, dicts; dates become ISO text). Its section name
  heads its part of the download.
- An **eraser** deletes or anonymises everything the app holds about the subject and returns
  how many records of each kind it changed (counts only: the erasure record must name nobody).
  Erasers run in one transaction, in order (see below), before the directory and account
  themselves are anonymised; history rows that point at the person or their account are
  removed afterwards by the privacy app, for every audited model at once.
- A **retention** purger deletes the personal data the app holds for an ended programme
  (its people's answers, notes, pairs…) and returns counts. Programme-level, identity-free
  aggregates stay.

Use ``upward.privacy.services.delete_with_history(queryset)`` in erasers and purgers so the
audit history of the deleted rows goes too.

**Order.** Exporters, erasers and purgers run (and exported sections appear) in ascending
``order``, a keyword argument of every ``register_*`` (``DEFAULT_ORDER`` when left out); only
among equal orders does registration order, that is ``INSTALLED_APPS`` order, decide. Give a
section an order when it must come before or after another app's. Registered today:

- exporters: ``account`` 10, ``directory`` 20, ``change_history`` 30, ``access_log`` 40 (the
  privacy app's own: the download opens with who the person is), ``programmes`` 50,
  ``consent`` 60, then ``matching`` at the default, ``pairs`` 105, ``preparation`` 106;
- erasers: ``programmes`` 50, ``consent`` 60, ``preparation`` 65. The ``directory`` and
  ``account`` erasers always run last, whatever their order
  (``upward.privacy.services.FINAL_ERASERS``): the programme log's entries about the person
  are found through their applications, which the directory eraser deletes, and the consent
  ledger through their account;
- retention purgers: ``programme_roles`` 10, ``preparation`` 44 and ``pairs`` 45 (before
  the applications, which take the pairs along), ``programme_records`` 50 (its applications take
  matching's pairs and proposals of them along), then ``matching`` at the default.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from upward.accounts.models import User
    from upward.directory.models import Person
    from upward.programmes.models import Programme


@dataclass(frozen=True)
class DataSubject:
    """The person whose data is exported or erased: a directory entry, an account, or both."""

    person: Person | None
    user: User | None

    @classmethod
    def of_user(cls, user: User) -> DataSubject:
        from upward.directory.models import Person

        return cls(person=Person.objects.filter(user=user).first(), user=user)

    @classmethod
    def of_person(cls, person: Person) -> DataSubject:
        return cls(person=person, user=person.user)


Exporter = Callable[[DataSubject], dict[str, Any] | list[Any]]
Eraser = Callable[[DataSubject], dict[str, int]]
RetentionPurger = Callable[["Programme"], dict[str, int]]

# Sections without an order come after every ordered one registered today.
DEFAULT_ORDER = 100

_EXPORTERS: dict[str, Exporter] = {}
_ERASERS: dict[str, Eraser] = {}
_RETENTION: dict[str, RetentionPurger] = {}
# Each section's order, per kind of hook. A section missing here has DEFAULT_ORDER.
_ORDERS: dict[str, dict[str, int]] = {"exporter": {}, "eraser": {}, "retention": {}}


def _register(table: dict[str, Any], kind: str, section: str, func: Any, order: int) -> Any:
    if not section or not section.replace("_", "").isalnum():
        raise ValueError(f"Section names are letters, digits and underscores, not {section!r}.")
    existing = table.get(section)
    if existing is not None and existing is not func:
        raise ValueError(f"Section {section!r} is already registered by {existing.__module__}.")
    table[section] = func
    _ORDERS[kind][section] = order
    return func


def _in_order(table: dict[str, Any], kind: str) -> dict[str, Any]:
    orders = _ORDERS[kind]
    # sorted() is stable: equal orders keep their registration order.
    return dict(sorted(table.items(), key=lambda item: orders.get(item[0], DEFAULT_ORDER)))


def register_exporter(section: str, func: Exporter, *, order: int = DEFAULT_ORDER) -> Exporter:
    return _register(_EXPORTERS, "exporter", section, func, order)  # type: ignore[no-any-return]


def register_eraser(section: str, func: Eraser, *, order: int = DEFAULT_ORDER) -> Eraser:
    return _register(_ERASERS, "eraser", section, func, order)  # type: ignore[no-any-return]


def register_retention(
    section: str, func: RetentionPurger, *, order: int = DEFAULT_ORDER
) -> RetentionPurger:
    return _register(_RETENTION, "retention", section, func, order)  # type: ignore[no-any-return]


def exporters() -> dict[str, Exporter]:
    """Every exporter, in the order its section appears in the download."""
    return _in_order(_EXPORTERS, "exporter")


def erasers() -> dict[str, Eraser]:
    """Every eraser, in order (the erasure service still moves ``FINAL_ERASERS`` last)."""
    return _in_order(_ERASERS, "eraser")


def retention_purgers() -> dict[str, RetentionPurger]:
    """Every retention purger, in the order they run."""
    return _in_order(_RETENTION, "retention")


# --- who belongs to a programme (for the audit view's coordinator scope) ---------------------

ProgrammePeople = Callable[[set[int]], Any]  # programme ids -> queryset of Person ids
_PROGRAMME_PEOPLE: list[ProgrammePeople] = []


def register_programme_people(func: ProgrammePeople) -> ProgrammePeople:
    """Tell the audit view who takes part in programmes: ``func(programme_ids)`` returns a
    queryset of ``Person`` ids (e.g. applicants and pair members)."""
    if func not in _PROGRAMME_PEOPLE:
        _PROGRAMME_PEOPLE.append(func)
    return func


def programme_people_providers() -> list[ProgrammePeople]:
    return list(_PROGRAMME_PEOPLE)
