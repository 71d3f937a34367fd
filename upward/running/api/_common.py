"""The running API's one router and the pieces its modules share."""

from __future__ import annotations

from typing import Any

from ninja import Field, Router

from upward.pairs.api import Detail

router = Router(tags=["meetings"])
ERRORS: dict[int, Any] = {400: Detail, 404: Detail, 409: Detail}
Version = Field(..., ge=1, le=2**31 - 1)
