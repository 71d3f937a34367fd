"""Every operation of the API, with made-up path arguments: for tests that check a rule of the
whole API (body shape, NUL characters, documented errors) on each operation."""

from __future__ import annotations

import re
from typing import Any

from upward.api import api

_PATH_ARGUMENT = re.compile(r"\{(\w+)\}")


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    """(method, path with made-up arguments, the OpenAPI operation) for every operation."""
    schema = api.get_openapi_schema()
    found = []
    for path, entries in schema["paths"].items():
        for method, operation in entries.items():
            filled = _PATH_ARGUMENT.sub(
                lambda m: "programme-a" if m.group(1) in {"slug"} else "1", path
            )
            found.append((method.upper(), filled, operation))
    return found
