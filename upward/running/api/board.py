"""The coordinator's side through the API: a programme's running settings (a versioned edit)
and the no-fault rematch after a low fit."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Schema

from upward.pairs.models import Pair
from upward.pairs.selectors import RELATED
from upward.programmes.selectors import coordinated_programme_or_404

from .. import selectors
from ..programme_settings import QUIET_MAX, QUIET_MIN, running_settings_save
from ..rematch import rematch_offer
from ._common import ERRORS, router

SETTINGS = "/programmes/{slug}/running/settings"


class RunningSettingsOut(Schema):
    quiet_weeks: int
    own: bool = Field(..., description="False while the programme follows the site's default.")
    site_default: int
    version: int = Field(..., description="0 while the programme follows the site's default.")


class RunningSettingsIn(Schema):
    quiet_weeks: int = Field(..., ge=QUIET_MIN, le=QUIET_MAX)
    version: int = Field(..., ge=0, le=2**31 - 1)


class RunningRematchIn(Schema):
    version: int = Field(..., ge=1, le=2**31 - 1)


class RunningRematchOut(Schema):
    pair_id: int
    state: str


def _settings_out(programme: Any) -> dict[str, Any]:
    found = selectors.running_settings_of(programme)
    return {
        "quiet_weeks": found.quiet_weeks,
        "own": found.pk is not None,
        "site_default": selectors.site_quiet_weeks(),
        "version": found.version,
    }


@router.get(
    SETTINGS,
    response={200: RunningSettingsOut, **ERRORS},
    summary="A programme's running settings (its coordinators)",
)
def running_settings(request: HttpRequest, slug: str) -> dict[str, Any]:
    return _settings_out(coordinated_programme_or_404(request.user, slug))


@router.put(
    SETTINGS,
    response={200: RunningSettingsOut, **ERRORS},
    summary="Change a programme's running settings (version 0 while it follows the site)",
)
def running_settings_put(
    request: HttpRequest, slug: str, body: RunningSettingsIn
) -> dict[str, Any]:
    programme = coordinated_programme_or_404(request.user, slug)
    running_settings_save(
        programme=programme, by=request.user, quiet_weeks=body.quiet_weeks, version=body.version
    )
    return _settings_out(programme)


@router.post(
    "/programmes/{slug}/running/pairs/{int:pair_id}/rematch",
    response={200: RunningRematchOut, **ERRORS},
    summary="End a pair without fault after a low fit; both wait for a rematch",
)
def running_rematch(
    request: HttpRequest, slug: str, pair_id: int, body: RunningRematchIn
) -> dict[str, Any]:
    programme = coordinated_programme_or_404(request.user, slug)
    pair = Pair.objects.select_related(*RELATED).filter(pk=pair_id, programme=programme).first()
    if pair is None:
        raise Http404("No such pair.")
    rematch_offer(pair=pair, by=request.user, version=body.version)
    return {"pair_id": pair.pk, "state": pair.state}
