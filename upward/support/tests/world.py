"""Support objects for the access matrix's test world (``upward/privacy/tests``): an anonymous
concern the world's mentor raised about their pair, routed to the wellbeing lead."""

from __future__ import annotations

from typing import Any

from upward.preparation.tests import world as preparation_world
from upward.support import services
from upward.support.models import Concern


def concern(w: Any) -> Concern:
    made = getattr(w, "support_concern", None)
    if made is not None:
        return made  # type: ignore[no-any-return]
    pair = preparation_world.preparation(w).pair
    made = services.concern_raise(
        by=pair.mentor.user,
        pair=pair,
        about="relationship",
        route_to="wellbeing_lead",
        anonymous=True,
        body="Matrix concern",
    )
    w.support_concern = made
    return made


def path_values(w: Any) -> dict[str, Any]:
    return {"concern_id": concern(w).pk}


def resource(w: Any) -> Any:
    from upward.support.models import Resource

    made = getattr(w, "support_resource", None)
    if made is None:
        made = Resource.objects.create(
            programme=w.programme_a, kind="helpline", title="Listening line"
        )
        w.support_resource = made
    return made
