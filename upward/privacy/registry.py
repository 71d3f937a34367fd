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
  Erasers run in one transaction, in registration order, before the directory and account
  themselves are anonymised; history rows that point at the person or their account are
  removed afterwards by the privacy app, for every audited model at once.
- A **retention** purger deletes the personal data the app holds for an ended programme
  (its people's answers, notes, pairs…) and returns counts. Programme-level, identity-free
  aggregates stay.

Use ``upward.privacy.services.delete_with_history(queryset)`` in erasers and purgers so the
audit history of the deleted rows goes too.
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

_EXPORTERS: dict[str, Exporter] = {}
_ERASERS: dict[str, Eraser] = {}
_RETENTION: dict[str, RetentionPurger] = {}


def _register(table: dict[str, Any], section: str, func: Any) -> Any:
    if not section or not section.replace("_", "").isalnum():
        raise ValueError(f"Section names are letters, digits and underscores, not {section!r}.")
    existing = table.get(section)
    if existing is not None and existing is not func:
        raise ValueError(f"Section {section!r} is already registered by {existing.__module__}.")
    table[section] = func
    return func


def register_exporter(section: str, func: Exporter) -> Exporter:
    return _register(_EXPORTERS, section, func)  # type: ignore[no-any-return]


def register_eraser(section: str, func: Eraser) -> Eraser:
    return _register(_ERASERS, section, func)  # type: ignore[no-any-return]


def register_retention(section: str, func: RetentionPurger) -> RetentionPurger:
    return _register(_RETENTION, section, func)  # type: ignore[no-any-return]


def exporters() -> dict[str, Exporter]:
    return dict(_EXPORTERS)


def erasers() -> dict[str, Eraser]:
    return dict(_ERASERS)


def retention_purgers() -> dict[str, RetentionPurger]:
    return dict(_RETENTION)


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
