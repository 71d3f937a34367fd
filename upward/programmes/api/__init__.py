"""Programme API: the same rules as the pages. Coordinators manage their programmes;
participants see and change only their own application. Anyone else gets 404.

A broken rule answers 400 with ``{"detail": "..."}``; answers that fail the form's checks
answer 422 with ``{"detail": "...", "errors": {"<question id>": ["..."]}}``.
"""

from __future__ import annotations

from ninja import Router

from . import invitations, participant, screening, setup

router = Router()
# Order matters: the programme routes ("/mine" before "/{slug}") come first.
router.add_router("", setup.router)
router.add_router("", invitations.router)
router.add_router("", screening.router)
router.add_router("", participant.router)
