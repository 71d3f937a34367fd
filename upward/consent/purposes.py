"""The purposes a person can consent to, each with the exact wording they agree to.

Apps register their purposes at start-up (``register``). A purpose code is a dotted name such
as ``identity.ethnicity``; the part before the first dot groups purposes for export and
erasure. The wording may contain ``{scope}``, filled with what the consent is for (for example
a programme's name), and is stored word for word in each consent record.

Apps that hold data under a purpose register a withdrawal handler for its code or its group
(``identity.``): when a person withdraws, the handler removes the data in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Consent


@dataclass(frozen=True)
class Purpose:
    code: str
    label: str
    statement: str
    wording: str
    version: str

    def wording_for(self, scope_label: str) -> str:
        return self.wording.format(scope=scope_label or "Upward")


class UnknownPurpose(KeyError):
    pass


_PURPOSES: dict[str, Purpose] = {}
_WITHDRAWAL_HANDLERS: list[tuple[str, Callable[[Consent], None]]] = []


def register(purpose: Purpose) -> Purpose:
    if "." not in purpose.code:
        raise ValueError("A purpose code is dotted, e.g. 'identity.ethnicity'.")
    _PURPOSES[purpose.code] = purpose
    return purpose


def get(code: str) -> Purpose:
    try:
        return _PURPOSES[code]
    except KeyError:
        raise UnknownPurpose(code) from None


def label_of(code: str) -> str:
    purpose = _PURPOSES.get(code)
    return purpose.label if purpose else code


def all_purposes() -> list[Purpose]:
    return sorted(_PURPOSES.values(), key=lambda p: p.code)


def register_withdrawal_handler(prefix: str, handler: Callable[[Consent], None]) -> None:
    """Call ``handler(consent)`` on withdrawal of a consent whose purpose starts with ``prefix``."""
    if (prefix, handler) not in _WITHDRAWAL_HANDLERS:
        _WITHDRAWAL_HANDLERS.append((prefix, handler))


def withdrawal_handlers(code: str) -> list[Callable[[Consent], None]]:
    return [handler for prefix, handler in _WITHDRAWAL_HANDLERS if code.startswith(prefix)]
