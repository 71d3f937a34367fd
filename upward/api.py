"""The HTTP API at /api/v1 (OpenAPI at /api/v1/docs). Apps add their own routers here."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja.security import django_auth

from upward.accountability.api import router as accountability_router
from upward.cohort.api import router as cohort_router
from upward.consent.api import router as consent_router
from upward.core.api_base import UpwardAPI
from upward.core.api_examples import document_examples
from upward.core.errors import RuleBroken
from upward.core.versioning import VersionConflict
from upward.directory.api import router as directory_router
from upward.directory.sync_api import router as directory_sync_router
from upward.evidence.api import router as evidence_router
from upward.integrations import auth as token_auth
from upward.integrations.api import router as integrations_router
from upward.integrations.scopes import document_scopes
from upward.matches.api import router as matches_router
from upward.notifications.api import router as notifications_router
from upward.pairs.api import router as pairs_router
from upward.preparation.api import router as preparation_router
from upward.programmes.api import router as programmes_router
from upward.recognition.api import router as recognition_router
from upward.running.api import router as running_router
from upward.support.api import router as support_router

api = UpwardAPI(
    title="Upward API",
    version="1",
    description=(
        "Reverse and reciprocal mentoring programmes. Every endpoint applies the same "
        "permission rules as the web pages. Use it with a signed-in session (and its CSRF "
        "token) or with `Authorization: Bearer upw_…`, a token whose scopes say which areas it "
        "may read or change (each operation names its scope in `x-scopes`)."
    ),
    auth=[token_auth.token_auth, django_auth],
    urls_namespace="api-1",
)
api.add_router("/", directory_router)
api.add_router("/", directory_sync_router)
api.add_router("/programmes", programmes_router)
api.add_router("/", consent_router)
api.add_router("/", matches_router)
api.add_router("/", pairs_router)
api.add_router("/", preparation_router)
api.add_router("/", support_router)
api.add_router("/", evidence_router)
api.add_router("/", running_router)
api.add_router("/", integrations_router)
token_auth.install(api)
api.schema_hooks.append(document_scopes)
api.schema_hooks.append(document_examples)
api.add_router("/", cohort_router)
api.add_router("/", accountability_router)
api.add_router("/", recognition_router)
api.add_router("/", notifications_router)


# A broken rule is the caller's to fix: 400 with the plain reason, nothing changed. A stale
# version (someone else edited first) is 409, so a client knows to reload and try again. Every
# app's errors derive from upward.core.errors.RuleBroken, so a new app needs no entry here.
@api.exception_handler(RuleBroken)
@api.exception_handler(VersionConflict)
def rule_broken(request: HttpRequest, exc: Exception) -> HttpResponse:
    status = 409 if isinstance(exc, VersionConflict) else 400
    return api.error_response(request, status, str(exc))
