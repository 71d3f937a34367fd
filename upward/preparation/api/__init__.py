"""Preparation API: the same operations as the pages.

Participants: their training and workshops, and their pair's agreement (edit, sign, versions).
Coordinators: the pairs board with what each pair waits for, waivers, tracks and modules,
reminders, workshops and attendance. The agreement is readable only by the pair's two people
and the programme's coordinators. A broken rule answers 400, a stale version 409.
"""

from __future__ import annotations

from ninja import Router

from . import pairs, training, workshops

router = Router(tags=["preparation"])
router.add_router("", pairs.router)
router.add_router("", training.router)
router.add_router("", workshops.router)
