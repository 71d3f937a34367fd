from __future__ import annotations

from collections.abc import Iterator

import pytest

from upward.consent import purposes
from upward.consent.models import Consent

TEST_PURPOSE = purposes.Purpose(
    code="test.newsletter",
    label="Programme news",
    statement="So we can send you news of the programme.",
    wording="I agree to receive news about {scope}.",
    version="1",
)


class Registered:
    """The test purpose, and the consents its withdrawal handler was called with."""

    def __init__(self, purpose: purposes.Purpose, removed: list[Consent]) -> None:
        self.code = purpose.code
        self.label = purpose.label
        self.statement = purpose.statement
        self.removed = removed


@pytest.fixture
def purpose() -> Iterator[Registered]:
    purposes.register(TEST_PURPOSE)
    removed: list[Consent] = []

    def handler(consent: Consent) -> None:
        removed.append(consent)

    purposes.register_withdrawal_handler("test.", handler)
    yield Registered(TEST_PURPOSE, removed)
    purposes._PURPOSES.pop(TEST_PURPOSE.code, None)
    purposes._WITHDRAWAL_HANDLERS.remove(("test.", handler))
