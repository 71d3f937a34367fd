"""Which instruments a programme can use: the library's, and the programme's own built on the
instrument builder page (stored as ``CustomInstrument``)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from upward.accounts.permissions import can_coordinate
from upward.programmes.models import Programme

from . import instruments
from .errors import EvidenceRuleBroken
from .models import CustomInstrument


def _definition(custom: CustomInstrument) -> instruments.Instrument:
    built = instruments.from_data(
        key=custom.key, title=custom.title, purpose=custom.purpose, items=custom.items
    )
    return instruments.Instrument(
        built.key,
        built.title,
        built.purpose,
        "Built for this programme by its coordinator.",
        "The programme's own wording.",
        built.items,
    )


def definition_of(key: str) -> instruments.Instrument:
    """The instrument a campaign names: from the library, or a programme's own."""
    if key in instruments.LIBRARY:
        return instruments.LIBRARY[key]
    custom = CustomInstrument.objects.filter(key=key).first()
    if custom is None:
        raise instruments.InstrumentError(f"No instrument called {key!r}.")
    return _definition(custom)


def available_for(programme: Programme) -> list[instruments.Instrument]:
    """The library, then the programme's own instruments."""
    own = [_definition(c) for c in CustomInstrument.objects.filter(programme=programme)]
    return [*instruments.LIBRARY.values(), *own]


def usable_in(key: str, programme: Programme) -> instruments.Instrument:
    """The instrument ``key`` if ``programme``'s campaigns may use it; refused otherwise."""
    if key in instruments.LIBRARY:
        return instruments.LIBRARY[key]
    custom = CustomInstrument.objects.filter(key=key, programme=programme).first()
    if custom is None:
        raise EvidenceRuleBroken(f"No instrument called {key!r} in this programme.")
    return _definition(custom)


def custom_instrument_create(
    *, programme: Programme, by: Any, key: str, title: str, purpose: str, items: list[Any]
) -> CustomInstrument:
    """Check and store an instrument built for ``programme``; nothing is stored on a refusal."""
    if not can_coordinate(by, programme):
        raise EvidenceRuleBroken("Only the programme's coordinators can build instruments.")
    key, title, purpose = key.strip(), title.strip(), purpose.strip()
    if len(purpose) > 500:
        raise EvidenceRuleBroken("Keep the purpose to 500 characters.")
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise EvidenceRuleBroken("Give the items as a list, one set of fields per item.")
    try:
        built = instruments.from_data(key=key, title=title, purpose=purpose, items=items)
    except instruments.InstrumentError as e:
        raise EvidenceRuleBroken(str(e)) from None
    taken = EvidenceRuleBroken(f"An instrument called {key!r} exists already: choose another key.")
    if CustomInstrument.objects.filter(key=key).exists():
        raise taken
    try:
        with transaction.atomic():
            return CustomInstrument.objects.create(
                programme=programme,
                key=key,
                title=title,
                purpose=purpose,
                items=instruments.to_data(built),
                created_by=by,
            )
    except IntegrityError:  # someone took the key a moment ago
        raise taken from None
