"""Preparation objects for the access matrix's test world (``upward/privacy/tests``): a pair of
the world's leader and mentor (the "partner") in programme A with its agreement, a joint
training track with a module and its file, and an upcoming joint workshop. Made once per world."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from upward.pairs.models import Pair, PairEvent
from upward.preparation.models import Module, Track, Workshop
from upward.preparation.services import agreement_start_for


def preparation(w: Any) -> SimpleNamespace:
    made = getattr(w, "preparation_objects", None)
    if made is not None:
        return made  # type: ignore[no-any-return]
    now = timezone.now()
    pair = Pair.objects.create(
        programme=w.programme_a,
        leader=w.leader_application,
        mentor=w.mentor_application,
        since=now,
        state_since=now,
    )
    PairEvent.objects.create(pair=pair, action=PairEvent.Action.CREATED)
    agreement = agreement_start_for(pair)
    track = Track.objects.create(programme=w.programme_a, audience="everyone", title="Together")
    module = Module.objects.create(track=track, title="Confidentiality", body="Stays in the pair.")
    module.attachment.save("guide.pdf", ContentFile(b"%PDF-1.4 guide"), save=False)
    module.attachment_name = "guide.pdf"
    module.save()
    workshop = Workshop.objects.create(
        programme=w.programme_a,
        title="Joint session",
        starts_at=now + dt.timedelta(days=14),
        place="Head office",
        capacity=10,
    )
    made = SimpleNamespace(
        pair=pair, agreement=agreement, track=track, module=module, workshop=workshop
    )
    w.preparation_objects = made
    return made


def path_values(w: Any) -> dict[str, Any]:
    p = preparation(w)
    return {
        "pair_id": p.pair.pk,
        "version_number": p.agreement.number,
        "module_id": p.module.pk,
        "track_id": p.track.pk,
        "workshop_id": p.workshop.pk,
    }
