"""Recognition objects for the access matrix's test world (``upward/privacy/tests``): a
certificate of the world pair's mentor and a story of that pair."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.core.cache import cache
from django.utils import timezone

from upward.preparation.tests import world as preparation_world
from upward.recognition import selectors, services
from upward.recognition.models import Certificate, Story


def recognition(w: Any) -> SimpleNamespace:
    made = getattr(w, "recognition_objects", None)
    if made is not None:
        return made  # type: ignore[no-any-return]
    pair = preparation_world.preparation(w).pair
    code = services.new_code()
    certificate = Certificate.objects.create(
        programme=w.programme_a,
        user=pair.mentor.user,
        application=pair.mentor,
        holder_name=pair.mentor.person.name,
        role="mentor",
        completed_on=timezone.localdate(),
        code_hash=selectors.code_hash(code),
        code=code,
        issued_at=timezone.now(),
    )
    story = Story.objects.create(
        pair=pair, author=pair.mentor.user, title="Listening first", body="What we learnt."
    )
    made = SimpleNamespace(certificate=certificate, story=story, code=code, pair=pair)
    w.recognition_objects = made
    return made


def fresh_checks() -> None:
    """The matrix calls from one address: the check counter starts again for each route, so
    that the rate limit does not answer in place of the permission."""
    cache.clear()


def path_values(w: Any) -> dict[str, Any]:
    made = recognition(w)
    return {"certificate_id": made.certificate.pk, "story_id": made.story.pk}
