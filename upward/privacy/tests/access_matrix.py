"""The access matrix: for every URL pattern and every API operation, which personas get in.

``test_access_matrix.py`` signs in as each persona, calls every route of the resolver and every
operation of the OpenAPI schema, and checks the answer against the tables here:

- allowed: 2xx, 3xx (except a redirect to sign in), or a 400/409/422 that refuses the input
  after the permission check passed;
- denied: 403 or 404 (an outsider learns nothing, so 404 is the usual answer), and for an
  anonymous visitor a redirect to the sign-in page (pages) or 401/403 (API).

A new URL or API operation without an entry here fails the test with the entry to add. To add
one, read the view, decide who may use it under the product's rules, and write
``"namespace:name": Rule(ALLOWED_PERSONAS, ...)`` (``kwargs`` builds the URL's arguments from
the test world; ``method``/``data`` for POST-only views and API writes, with a body that passes
validation so that the permission check is what answers).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# --- the personas ---------------------------------------------------------------------------

PERSONAS = (
    "coordinator",  # coordinates programme A (and may set up programmes for organisation A)
    "coordinator_b",  # coordinates programme B
    "org_admin",  # organisation admin of A
    "org_admin_b",  # organisation admin of B
    "leader",  # a senior leader of A who applied to programme A
    "mentor",  # a junior colleague of A who applied to programme A as a mentor
    "partner",  # the pair's partner: the mentor, until pairs exist
    "sponsor",  # sponsor of programme A
    "wellbeing_lead",  # wellbeing lead of programme A
    "anonymous",
)
EVERYONE = frozenset(PERSONAS)
SIGNED_IN = EVERYONE - {"anonymous"}
NOBODY: frozenset[str] = frozenset()
COORDINATOR_A = frozenset({"coordinator"})
COORDINATORS = frozenset({"coordinator", "coordinator_b"})
ORG_ADMIN_A = frozenset({"org_admin"})
ORG_ADMINS = frozenset({"org_admin", "org_admin_b"})
PRIVILEGED = COORDINATORS | ORG_ADMINS  # the roles that must use two-factor authentication
APPLICANTS_A = frozenset({"leader", "mentor", "partner"})  # people of A invited to programme A
MENTOR_SIDE = frozenset({"mentor", "partner"})


@dataclass(frozen=True)
class Rule:
    """Who may use one route. ``kwargs(world)`` gives the URL's arguments."""

    allow: frozenset[str]
    kwargs: Callable[[Any], dict[str, Any]] = field(default=lambda w: {})
    method: str = "GET"
    data: Callable[[Any], dict[str, Any]] | None = None
    note: str = ""


def programme_a(w: Any) -> dict[str, Any]:
    return {"slug": w.programme_a.slug}


def org_a(w: Any) -> dict[str, Any]:
    return {"slug": w.org_a.slug}


def with_programme(**extra: Callable[[Any], Any]) -> Callable[[Any], dict[str, Any]]:
    return lambda w: {"slug": w.programme_a.slug, **{k: f(w) for k, f in extra.items()}}


def post(allow: frozenset[str], kwargs: Callable[[Any], dict[str, Any]], **more: Any) -> Rule:
    return Rule(allow, kwargs, method="POST", **more)


# --- pages ------------------------------------------------------------------------------------

URLS: dict[str, Rule] = {
    # core
    "home": Rule(SIGNED_IN),
    "core:dashboard": Rule(SIGNED_IN),
    "core:me": Rule(SIGNED_IN),
    "core:healthz": Rule(EVERYONE),
    "core:readyz": Rule(EVERYONE),
    "core:metrics": Rule(NOBODY, note="404 without UPWARD_METRICS_TOKEN; a scraper's token only"),
    # sign-in, password and two-factor pages (django-allauth)
    "account_login": Rule(EVERYONE, note="signed-in people are sent on to the dashboard"),
    "account_logout": Rule(SIGNED_IN, note="GET asks to confirm; nothing changes"),
    "account_inactive": Rule(EVERYONE),
    "account_signup": Rule(EVERYONE, note="sign-up is closed: the page says so"),
    "account_reauthenticate": Rule(SIGNED_IN),
    "account_request_reauthentication_code": Rule(
        NOBODY, note="confirming identity by emailed code is turned off"
    ),
    "account_confirm_reauthentication_code": Rule(
        NOBODY, note="confirming identity by emailed code is turned off"
    ),
    "account_email": Rule(SIGNED_IN),
    "account_email_verification_sent": Rule(EVERYONE),
    "account_change_password": Rule(SIGNED_IN),
    "account_set_password": Rule(SIGNED_IN),
    "account_reset_password": Rule(EVERYONE),
    "account_reset_password_done": Rule(EVERYONE),
    "account_reset_password_from_key": Rule(
        EVERYONE,
        lambda w: {"uidb36": "1", "key": "bad-key"},
        note="a wrong key shows 'bad link'",
    ),
    "account_reset_password_from_key_done": Rule(EVERYONE),
    "account_confirm_email": Rule(
        EVERYONE, lambda w: {"key": "bad-key"}, note="a wrong key shows 'bad link'"
    ),
    "account_confirm_login_code": Rule(
        SIGNED_IN, note="sign-in by code is not used: it only sends people on"
    ),
    "mfa_index": Rule(SIGNED_IN),
    "mfa_authenticate": Rule(
        SIGNED_IN, note="used between password and code; otherwise it sends people on"
    ),
    "mfa_reauthenticate": Rule(SIGNED_IN, note="without an authenticator it sends people on"),
    "mfa_activate_totp": Rule(SIGNED_IN),
    "mfa_deactivate_totp": Rule(PRIVILEGED, note="needs an authenticator"),
    "mfa_view_recovery_codes": Rule(NOBODY, note="nobody in the world has recovery codes"),
    "mfa_generate_recovery_codes": Rule(SIGNED_IN, note="without an authenticator: sent on"),
    "mfa_download_recovery_codes": Rule(NOBODY, note="nobody in the world has recovery codes"),
    # directory: an organisation's admins only
    "directory:organisations": Rule(SIGNED_IN, note="lists only what the user administers"),
    "directory:people": Rule(ORG_ADMIN_A, org_a),
    "directory:person": Rule(ORG_ADMIN_A, lambda w: {"slug": w.org_a.slug, "pk": w.person.pk}),
    "directory:import_upload": Rule(ORG_ADMIN_A, org_a),
    "directory:import_detail": Rule(
        ORG_ADMIN_A, lambda w: {"slug": w.org_a.slug, "pk": w.directory_import.pk}
    ),
    "directory:import_confirm": post(
        ORG_ADMIN_A, lambda w: {"slug": w.org_a.slug, "pk": w.directory_import.pk}
    ),
    # programmes: set-up and screening are for the programme's coordinators only
    "programmes:index": Rule(COORDINATORS),
    "programmes:create": Rule(COORDINATOR_A, note="needs a coordinator role in an organisation"),
    "programmes:mine": Rule(SIGNED_IN, note="lists only the person's own programmes"),
    "programmes:invitation": Rule(
        EVERYONE,
        lambda w: {"token": w.invitation_token},
        note="the personal link in an invitation email works before sign-in",
    ),
    "programmes:detail": Rule(COORDINATOR_A, programme_a),
    "programmes:edit": Rule(COORDINATOR_A, programme_a),
    "programmes:objectives": Rule(COORDINATOR_A, programme_a),
    "programmes:schedule": Rule(COORDINATOR_A, programme_a),
    "programmes:policy": Rule(COORDINATOR_A, programme_a),
    "programmes:review": Rule(COORDINATOR_A, programme_a),
    "programmes:phase": post(COORDINATOR_A, programme_a),
    "programmes:coordinators": Rule(COORDINATOR_A, programme_a),
    "programmes:coordinator_remove": post(
        COORDINATOR_A, with_programme(grant_id=lambda w: w.coordinator_grant.pk)
    ),
    "programmes:record": Rule(COORDINATOR_A, programme_a),
    "programmes:readiness": Rule(COORDINATOR_A, programme_a),
    "programmes:readiness_item_add": post(COORDINATOR_A, programme_a),
    "programmes:readiness_item": Rule(
        COORDINATOR_A, with_programme(pk=lambda w: w.readiness_item.pk)
    ),
    "programmes:readiness_item_remove": post(
        COORDINATOR_A, with_programme(pk=lambda w: w.readiness_item.pk)
    ),
    "programmes:readiness_override": post(COORDINATOR_A, programme_a),
    "programmes:interview_new": Rule(COORDINATOR_A, programme_a),
    "programmes:interview": Rule(COORDINATOR_A, with_programme(pk=lambda w: w.interview.pk)),
    "programmes:interview_delete": post(COORDINATOR_A, with_programme(pk=lambda w: w.interview.pk)),
    "programmes:open": post(COORDINATOR_A, programme_a),
    "programmes:deadline": post(COORDINATOR_A, programme_a),
    "programmes:close": post(COORDINATOR_A, programme_a),
    "programmes:open_call": post(COORDINATOR_A, programme_a),
    "programmes:cohorts": Rule(COORDINATOR_A, programme_a),
    "programmes:cohort": Rule(COORDINATOR_A, with_programme(pk=lambda w: w.cohort.pk)),
    "programmes:cohort_delete": post(COORDINATOR_A, with_programme(pk=lambda w: w.cohort.pk)),
    "programmes:invitations": Rule(COORDINATOR_A, programme_a),
    "programmes:wave_new": Rule(COORDINATOR_A, programme_a),
    "programmes:remind": post(COORDINATOR_A, programme_a),
    "programmes:topics": Rule(COORDINATOR_A, programme_a),
    "programmes:topic_remove": post(COORDINATOR_A, with_programme(pk=lambda w: w.topic.pk)),
    "programmes:eligibility": Rule(COORDINATOR_A, programme_a),
    "programmes:form": Rule(COORDINATOR_A, with_programme(side=lambda w: "leader")),
    "programmes:form_preview": Rule(COORDINATOR_A, with_programme(side=lambda w: "leader")),
    "programmes:form_reset": post(COORDINATOR_A, with_programme(side=lambda w: "leader")),
    "programmes:question_new": Rule(COORDINATOR_A, with_programme(side=lambda w: "leader")),
    "programmes:question": Rule(
        COORDINATOR_A, with_programme(side=lambda w: "leader", pk=lambda w: w.question.pk)
    ),
    "programmes:question_remove": post(
        COORDINATOR_A, with_programme(side=lambda w: "leader", pk=lambda w: w.question.pk)
    ),
    "programmes:question_move": post(
        COORDINATOR_A, with_programme(side=lambda w: "leader", pk=lambda w: w.question.pk)
    ),
    "programmes:applications": Rule(COORDINATOR_A, programme_a),
    "programmes:decide": post(COORDINATOR_A, programme_a),
    "programmes:application": Rule(
        COORDINATOR_A, with_programme(pk=lambda w: w.mentor_application.pk)
    ),
    "programmes:application_sensitive": post(
        COORDINATOR_A, with_programme(pk=lambda w: w.mentor_application.pk)
    ),
    "programmes:application_override": post(
        COORDINATOR_A, with_programme(pk=lambda w: w.mentor_application.pk)
    ),
    # programmes: the applicant's own pages (people of A who were invited)
    "programmes:apply": Rule(APPLICANTS_A, programme_a),
    "programmes:apply_side": Rule(APPLICANTS_A, with_programme(side=lambda w: "mentor")),
    "programmes:my_application": Rule(APPLICANTS_A, programme_a),
    "programmes:withdraw": Rule(APPLICANTS_A, programme_a),
    "programmes:identity_stop": post(
        APPLICANTS_A,
        with_programme(dimension=lambda w: "ethnicity"),
        note="acts on the person's own application only",
    ),
    # consent ledger: each person's own consents
    "consent:mine": Rule(SIGNED_IN),
    "consent:withdraw": post(MENTOR_SIDE, lambda w: {"pk": w.mentor_consent.pk}),
    # privacy
    "privacy:my_data": Rule(SIGNED_IN),
    "privacy:my_data_download": post(SIGNED_IN, lambda w: {}),
    "privacy:audit": Rule(PRIVILEGED),
    "privacy:requests": Rule(ORG_ADMINS),
    "privacy:person": Rule(ORG_ADMIN_A, lambda w: {"pk": w.person.pk}),
    "privacy:person_export": post(ORG_ADMIN_A, lambda w: {"pk": w.person.pk}),
    "privacy:person_erase": Rule(ORG_ADMIN_A, lambda w: {"pk": w.person.pk}),
    # the API's own pages: its description is public, it holds no personal data
    "api-1:openapi-json": Rule(EVERYONE),
    "api-1:openapi-view": Rule(EVERYONE),
    "api-1:api-root": Rule(NOBODY, note="there is nothing at the root: 404"),
}

# Django's admin: every page needs a staff account, which no persona has (site operators only).
ADMIN_RULE = Rule(NOBODY, note="the admin sends everyone without staff rights to its sign-in")
ADMIN_PREFIX_ROUTE = "admin/"
ADMIN_OPEN = {
    "admin:login": Rule(
        NOBODY,
        note="sends visitors to the site's sign-in (with the second factor); refuses anyone "
        "signed in, whose account has no admin rights",
    ),
    "admin:logout": Rule(EVERYONE, note="sends people without staff rights to the admin index"),
}


# --- API operations ---------------------------------------------------------------------------


def api(allow: frozenset[str], data: Callable[[Any], dict[str, Any]] | None = None) -> Rule:
    return Rule(allow, data=data)


API: dict[str, Rule] = {
    "GET /api/v1/me": api(SIGNED_IN),
    "GET /api/v1/organisations": api(SIGNED_IN, None),
    "GET /api/v1/organisations/{slug}/people": api(ORG_ADMIN_A),
    "GET /api/v1/programmes/": api(SIGNED_IN, None),
    "POST /api/v1/programmes/": api(
        COORDINATOR_A,
        lambda w: {"name": "Matrix", "organisations": [w.org_a.slug], "starts_on": "2027-01-01"},
    ),
    "GET /api/v1/programmes/mine": api(SIGNED_IN),
    "GET /api/v1/programmes/{slug}": api(COORDINATOR_A),
    "PATCH /api/v1/programmes/{slug}": api(
        COORDINATOR_A, lambda w: {"description": "Matrix", "version": w.programme_a.version}
    ),
    "PUT /api/v1/programmes/{slug}/working-style": api(
        COORDINATOR_A, lambda w: {"weight": 2, "version": w.programme_a.version}
    ),
    "POST /api/v1/programmes/{slug}/phase": api(COORDINATOR_A, lambda w: {"phase": "sourcing"}),
    "GET /api/v1/programmes/{slug}/readiness": api(COORDINATOR_A),
    "PATCH /api/v1/programmes/{slug}/readiness/{item_id}": api(
        COORDINATOR_A, lambda w: {"status": "done", "version": w.readiness_item.version}
    ),
    "POST /api/v1/programmes/{slug}/readiness/override": api(
        COORDINATOR_A, lambda w: {"reason": "Board decision"}
    ),
    "POST /api/v1/programmes/{slug}/applications/open": api(COORDINATOR_A, lambda w: {}),
    "POST /api/v1/programmes/{slug}/applications/deadline": api(COORDINATOR_A, lambda w: {}),
    "POST /api/v1/programmes/{slug}/applications/close": api(COORDINATOR_A),
    "GET /api/v1/programmes/{slug}/cohorts": api(COORDINATOR_A),
    "POST /api/v1/programmes/{slug}/cohorts": api(COORDINATOR_A, lambda w: {"name": "Matrix"}),
    "PUT /api/v1/programmes/{slug}/cohorts/{cohort_id}": api(
        COORDINATOR_A, lambda w: {"name": "Matrix", "version": w.cohort.version}
    ),
    "DELETE /api/v1/programmes/{slug}/cohorts/{cohort_id}": api(COORDINATOR_A),
    "GET /api/v1/programmes/{slug}/invitations": api(COORDINATOR_A),
    "GET /api/v1/programmes/{slug}/invitations/people": api(COORDINATOR_A),
    "POST /api/v1/programmes/{slug}/invitations/waves": api(
        COORDINATOR_A, lambda w: {"side": "leader", "preview": True}
    ),
    "POST /api/v1/programmes/{slug}/invitations/remind": api(COORDINATOR_A),
    "GET /api/v1/programmes/{slug}/applications": api(COORDINATOR_A),
    "GET /api/v1/programmes/{slug}/applications/{application_id}": api(COORDINATOR_A),
    "POST /api/v1/programmes/{slug}/applications/{application_id}/sensitive": api(
        COORDINATOR_A, lambda w: {"reason": "matching"}
    ),
    "POST /api/v1/programmes/{slug}/applications/decide": api(
        COORDINATOR_A,
        lambda w: {"applications": [w.mentor_application.pk], "decision": "waitlist"},
    ),
    "POST /api/v1/programmes/{slug}/applications/{application_id}/override": api(
        COORDINATOR_A, lambda w: {"reason": "Panel agreed"}
    ),
    "GET /api/v1/programmes/{slug}/form/{side}": api(
        APPLICANTS_A | COORDINATOR_A, None
    ),  # the programme's coordinators see the form they built
    "GET /api/v1/programmes/{slug}/application": api(APPLICANTS_A),
    "PUT /api/v1/programmes/{slug}/application": api(
        APPLICANTS_A, lambda w: {"side": "mentor", "answers": {}}
    ),
    "POST /api/v1/programmes/{slug}/application/withdraw": api(APPLICANTS_A),
    "DELETE /api/v1/programmes/{slug}/application/identity/{dimension}": api(MENTOR_SIDE),
    "GET /api/v1/consents": api(SIGNED_IN),
    "GET /api/v1/consents/purposes": api(SIGNED_IN),
    "POST /api/v1/consents/{consent_id}/withdraw": api(MENTOR_SIDE),
}


def _one_name_each(*parts: dict[str, Any]) -> dict[str, Any]:
    """Merge the apps' path values, refusing a name two apps both give (``slug`` aside, which
    means the same programme everywhere): a shadowed id would walk an operation with another
    app's record, and on SQLite the two ids often agree, so only PostgreSQL would show it."""
    merged: dict[str, Any] = {}
    for part in parts:
        for name, value in part.items():
            if name in merged and name != "slug":
                raise AssertionError(
                    f"Two test worlds give the path parameter {name!r}: name the operations' "
                    "ids apart (e.g. result_note_id, not note_id)."
                )
            merged[name] = value
    return merged


def api_path_values(w: Any) -> dict[str, Any]:
    """Values for the path parameters of API operations, by name."""
    return _one_name_each(
        {
            "slug": w.programme_a.slug,
            "item_id": w.readiness_item.pk,
            "cohort_id": w.cohort.pk,
            "application_id": w.mentor_application.pk,
            "side": "mentor",
            "dimension": "ethnicity",
            "consent_id": w.mentor_consent.pk,
            "grant_id": 999_999,  # no such grant: the organisation's admin is refused with a 400
        },
        matching_world.path_values(w),
        preparation_world.path_values(w),
        evidence_world.path_values(w),
        running_world.path_values(w),
        integrations_world.path_values(w),
        accountability_world.path_values(w),
        sync_world.path_values(w),
    )


API_SLUG_OVERRIDES = {"/api/v1/organisations/{slug}/people": lambda w: w.org_a.slug}


# --- what a strict Content Security Policy would block ------------------------------------------

_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
_STYLE_ATTR = re.compile(r"\sstyle\s*=", re.I)
_STYLE_TAG = re.compile(r"<style[\s>]", re.I)
_HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I)
_JS_URL = re.compile(r"javascript:", re.I)


def inline_code(html: str) -> list[str]:
    """What in a page a strict CSP (no 'unsafe-inline') would block."""
    problems = []
    for name, pattern in (
        ("inline <script>", _INLINE_SCRIPT),
        ("style attribute", _STYLE_ATTR),
        ("<style> element", _STYLE_TAG),
        ("event handler attribute", _HANDLER),
        ("javascript: URL", _JS_URL),
    ):
        for match in pattern.finditer(html):
            start = max(0, match.start() - 40)
            problems.append(f"{name}: …{html[start : match.end() + 40]}…")
    return problems


# --- matching (upward/matches): runs for the programme's coordinators, proposals for the pair ----

from upward.matches.tests import world as matching_world  # noqa: E402

_run = matching_world.run_kwargs


def _in_run(**extra: Callable[[Any], Any]) -> Callable[[Any], dict[str, Any]]:
    return lambda w: {**_run(w), **{k: f(w) for k, f in extra.items()}}


def _proposal(w: Any) -> dict[str, Any]:
    return {"pk": matching_world.matching(w).proposal.pk}


def _pair_body(w: Any) -> dict[str, Any]:
    return {"version": 1, "leader_application_id": w.leader_application.pk}


PAIR_OF_A = frozenset({"leader", "mentor", "partner"})  # the two people of the published pair

URLS.update(
    {
        "matches:matching": Rule(COORDINATOR_A, programme_a),
        "matches:start": post(COORDINATOR_A, programme_a, note="refused: nobody accepted yet"),
        "matches:compare": Rule(COORDINATOR_A, programme_a),
        "matches:rematch": post(COORDINATOR_A, programme_a),
        "matches:exclusion_remove": post(
            COORDINATOR_A, with_programme(pk=lambda w: matching_world.matching(w).exclusion.pk)
        ),
        "matches:run": Rule(COORDINATOR_A, _run),
        "matches:cancel": post(COORDINATOR_A, _run),
        "matches:rerun": post(COORDINATOR_A, _run),
        "matches:weights": Rule(COORDINATOR_A, _run),
        "matches:lock": post(COORDINATOR_A, _run, data=lambda w: {"leader": 1, "version": 1}),
        "matches:unlock": post(COORDINATOR_A, _run, data=lambda w: {"leader": 1, "version": 1}),
        "matches:exclude": post(COORDINATOR_A, _run, data=lambda w: {"leader": 1, "version": 1}),
        "matches:manual": Rule(COORDINATOR_A, _run),
        "matches:change": Rule(
            COORDINATOR_A,
            _in_run(leader_id=lambda w: w.leader_application.pk),
            note="the world's applicants are not accepted: the page says so (400)",
        ),
        "matches:publish": Rule(COORDINATOR_A, _run),
        "matches:mine": Rule(SIGNED_IN, note="lists only the person's own proposals"),
        "matches:proposal": Rule(PAIR_OF_A, _proposal),
        "matches:accept": post(PAIR_OF_A, _proposal),
        "matches:decline": Rule(PAIR_OF_A, _proposal),
    }
)

_RUNS = "/api/v1/programmes/{slug}/matching/runs"
API.update(
    {
        f"GET {_RUNS}": api(COORDINATOR_A),
        f"POST {_RUNS}": api(COORDINATOR_A, lambda w: {}),
        f"GET {_RUNS}/{{number}}": api(COORDINATOR_A),
        f"POST {_RUNS}/{{number}}/cancel": api(COORDINATOR_A),
        f"GET {_RUNS}/{{number}}/results": api(COORDINATOR_A),
        f"POST {_RUNS}/{{number}}/locks": api(COORDINATOR_A, _pair_body),
        f"POST {_RUNS}/{{number}}/unlock": api(COORDINATOR_A, _pair_body),
        f"POST {_RUNS}/{{number}}/exclusions": api(COORDINATOR_A, _pair_body),
        f"GET {_RUNS}/{{number}}/changes/preview": api(COORDINATOR_A),
        f"POST {_RUNS}/{{number}}/changes": api(
            COORDINATOR_A,
            lambda w: {**_pair_body(w), "mentor_application_id": w.mentor_application.pk},
        ),
        f"GET {_RUNS}/{{number}}/leaders/{{leader_id}}/mentors": api(COORDINATOR_A),
        f"POST {_RUNS}/{{number}}/publish": api(COORDINATOR_A, lambda w: {"version": 1}),
        "POST /api/v1/programmes/{slug}/matching/rematch": api(COORDINATOR_A),
        "GET /api/v1/proposals": api(SIGNED_IN),
        "GET /api/v1/proposals/{proposal_id}": api(PAIR_OF_A),
        "POST /api/v1/proposals/{proposal_id}/accept": api(PAIR_OF_A),
        "POST /api/v1/proposals/{proposal_id}/decline": api(PAIR_OF_A),
        "GET /api/v1/programmes/{slug}/matching/proposals": api(COORDINATOR_A),
        "POST /api/v1/programmes/{slug}/matching/proposals/{proposal_id}/remind": api(
            COORDINATOR_A
        ),
    }
)
URLS.update(
    {
        "matches:proposals": Rule(COORDINATOR_A, programme_a),
        "matches:remind": post(COORDINATOR_A, lambda w: {**programme_a(w), **_proposal(w)}),
    }
)

# --- people and roles (upward/directory/roles.py): an organisation's admin appoints ------------

URLS.update(
    {
        "directory:roles": Rule(ORG_ADMIN_A, org_a),
        "directory:role_remove": post(
            ORG_ADMIN_A, lambda w: {**org_a(w), "pk": 999_999}, note="refused: no such grant"
        ),
    }
)
API.update(
    {
        "GET /api/v1/organisations/{slug}/roles": api(ORG_ADMIN_A),
        "POST /api/v1/organisations/{slug}/roles": api(
            ORG_ADMIN_A, lambda w: {"email": "not-an-address", "role": "sponsor"}
        ),
        "POST /api/v1/organisations/{slug}/roles/{grant_id}/remove": api(ORG_ADMIN_A),
    }
)
API_SLUG_OVERRIDES.update(
    {
        "/api/v1/organisations/{slug}/roles": lambda w: w.org_a.slug,
        "/api/v1/organisations/{slug}/roles/{grant_id}/remove": lambda w: w.org_a.slug,
    }
)


# --- preparation (upward/pairs, upward/preparation): the pair of the world's leader and mentor ---

from upward.preparation.tests import world as preparation_world  # noqa: E402

_prep = preparation_world.preparation
PAIR_AND_COORDINATOR = (
    PAIR_OF_A | COORDINATOR_A
)  # the pair's two people, the programme's coordinators


def _pair(w: Any) -> dict[str, Any]:
    return {"pk": _prep(w).pair.pk}


def _version(w: Any) -> dict[str, Any]:
    return {"pk": _prep(w).pair.pk, "number": _prep(w).agreement.number}


def _in_programme(attr: str) -> Callable[[Any], dict[str, Any]]:
    return lambda w: {"slug": w.programme_a.slug, "pk": getattr(_prep(w), attr).pk}


URLS.update(
    {
        "preparation:mine": Rule(SIGNED_IN, note="lists only the person's own pairs"),
        "preparation:pair": Rule(PAIR_AND_COORDINATOR, _pair),
        "preparation:pair_state": post(
            PAIR_AND_COORDINATOR, _pair, data=lambda w: {"action": "pause", "version": 1}
        ),
        "preparation:agreement": Rule(PAIR_AND_COORDINATOR, _pair),
        "preparation:agreement_sign": post(PAIR_OF_A, _pair, note="coordinators read, never sign"),
        "preparation:agreement_version": Rule(PAIR_AND_COORDINATOR, _version),
        "preparation:agreement_pdf": Rule(PAIR_AND_COORDINATOR, _version),
        "preparation:training": Rule(SIGNED_IN, note="shows only the person's own training"),
        "preparation:module": Rule(PAIR_OF_A, lambda w: {"pk": _prep(w).module.pk}),
        "preparation:attachment": Rule(PAIR_AND_COORDINATOR, lambda w: {"pk": _prep(w).module.pk}),
        "preparation:workshop_sign_up": post(PAIR_OF_A, lambda w: {"pk": _prep(w).workshop.pk}),
        "preparation:workshop_leave": post(PAIR_OF_A, lambda w: {"pk": _prep(w).workshop.pk}),
        "preparation:workshop_ics": Rule(PAIR_OF_A, lambda w: {"pk": _prep(w).workshop.pk}),
        "preparation:board": Rule(COORDINATOR_A, programme_a),
        "preparation:waive": post(COORDINATOR_A, _in_programme("pair")),
        "preparation:training_admin": Rule(COORDINATOR_A, programme_a),
        "preparation:defaults_add": post(COORDINATOR_A, programme_a),
        "preparation:reminders": post(COORDINATOR_A, programme_a),
        "preparation:track": Rule(COORDINATOR_A, _in_programme("track")),
        "preparation:module_edit": Rule(COORDINATOR_A, _in_programme("module")),
        "preparation:workshops": Rule(COORDINATOR_A, programme_a),
        "preparation:workshop": Rule(COORDINATOR_A, _in_programme("workshop")),
        "preparation:workshop_cancel": post(COORDINATOR_A, _in_programme("workshop")),
        "preparation:attendance": post(COORDINATOR_A, _in_programme("workshop")),
    }
)

_WS = "/api/v1/programmes/{slug}/workshops"
_AGREEMENT = "/api/v1/pairs/{pair_id}/agreement"
API.update(
    {
        "GET /api/v1/pairs": api(SIGNED_IN),
        "GET /api/v1/pairs/{pair_id}": api(PAIR_AND_COORDINATOR),
        "POST /api/v1/pairs/{pair_id}/state": api(
            PAIR_AND_COORDINATOR, lambda w: {"action": "pause", "version": 1}
        ),  # a preparing pair cannot be paused: 400 after the permission check
        "GET /api/v1/programmes/{slug}/pairs": api(COORDINATOR_A),
        "POST /api/v1/pairs/{pair_id}/waivers": api(
            COORDINATOR_A,
            lambda w: {"requirement": "signature:leader", "reason": "On paper", "version": 1},
        ),
        f"GET {_AGREEMENT}": api(PAIR_AND_COORDINATOR),
        f"GET {_AGREEMENT}/versions/{{version_number}}": api(PAIR_AND_COORDINATOR),
        f"PATCH {_AGREEMENT}": api(PAIR_OF_A, lambda w: {"revision": 1, "boundaries": "None"}),
        f"POST {_AGREEMENT}/sign": api(
            PAIR_OF_A, lambda w: {"number": 1, "revision": 1, "typed_name": "Someone"}
        ),
        "GET /api/v1/training": api(SIGNED_IN),
        "POST /api/v1/training/modules/{module_id}/complete": api(PAIR_OF_A, lambda w: {}),
        "GET /api/v1/programmes/{slug}/training": api(COORDINATOR_A),
        "POST /api/v1/programmes/{slug}/training/tracks": api(
            COORDINATOR_A, lambda w: {"title": "Matrix", "audience": "mentors"}
        ),
        "POST /api/v1/programmes/{slug}/training/tracks/{track_id}/modules": api(
            COORDINATOR_A, lambda w: {"title": "Matrix"}
        ),
        "PUT /api/v1/programmes/{slug}/training/modules/{module_id}": api(
            COORDINATOR_A, lambda w: {"title": "Matrix", "version": 1}
        ),
        "GET /api/v1/programmes/{slug}/training/behind": api(COORDINATOR_A),
        "POST /api/v1/programmes/{slug}/training/reminders": api(COORDINATOR_A, lambda w: {}),
        "GET /api/v1/workshops": api(SIGNED_IN),
        "POST /api/v1/workshops/{workshop_id}/sign-up": api(PAIR_OF_A),
        "POST /api/v1/workshops/{workshop_id}/leave": api(PAIR_OF_A),
        f"GET {_WS}": api(COORDINATOR_A),
        f"POST {_WS}": api(
            COORDINATOR_A,
            lambda w: {
                "title": "Matrix",
                "starts_at": "2030-01-01T09:00:00+00:00",
                "place": "Hall",
            },
        ),
        f"PUT {_WS}/{{workshop_id}}": api(
            COORDINATOR_A,
            lambda w: {
                "title": "Matrix",
                "starts_at": "2030-01-01T09:00:00+00:00",
                "place": "Hall",
                "version": 1,
            },
        ),
        f"POST {_WS}/{{workshop_id}}/cancel": api(COORDINATOR_A, lambda w: {"version": 1}),
        f"POST {_WS}/{{workshop_id}}/attendance": api(
            COORDINATOR_A, lambda w: {"version": 1, "present": []}
        ),
    }
)


# --- support (upward/support): the world's mentor raised an anonymous concern, routed to the
# wellbeing lead; nobody else (not the partner's side, not the coordinators) sees it ----------

from upward.support.tests import world as support_world  # noqa: E402

RAISER_AND_HANDLER = frozenset({"mentor", "partner", "wellbeing_lead"})
CONCERN_HANDLER = frozenset({"wellbeing_lead"})
RESOURCE_KEEPERS = frozenset({"coordinator", "wellbeing_lead"})


def _concern(w: Any) -> dict[str, Any]:
    return {"pk": support_world.concern(w).pk}


URLS.update(
    {
        "support:mine": Rule(SIGNED_IN, note="lists only the person's own concerns"),
        "support:raise": Rule(PAIR_OF_A),
        "support:concern": Rule(RAISER_AND_HANDLER, _concern),
        "support:reply": post(RAISER_AND_HANDLER, _concern, data=lambda w: {"body": "Matrix"}),
        "support:triage": post(
            CONCERN_HANDLER, _concern, data=lambda w: {"state": "triaged", "version": 1}
        ),
        "support:close": post(
            CONCERN_HANDLER, _concern, data=lambda w: {"outcome": "Matrix", "version": 1}
        ),
        "support:inbox": Rule(SIGNED_IN, note="lists only the concerns routed to the user"),
        "support:programme": Rule(COORDINATOR_A, programme_a),
        "support:rematch": post(
            COORDINATOR_A,
            with_programme(pk=lambda w: _prep(w).pair.pk),
            note="the world's pair is preparing: refused with a message, nothing changes",
        ),
        "support:pulse": post(
            MENTOR_SIDE,
            lambda w: {},
            data=lambda w: {"pair": _prep(w).pair.pk, "on": "2020-01-01", "energy": 3, "strain": 3},
            note="only the pair's mentor; others get 404",
        ),
        "support:resources": Rule(RESOURCE_KEEPERS, programme_a),
        "support:resource_edit": Rule(
            RESOURCE_KEEPERS, with_programme(pk=lambda w: support_world.resource(w).pk)
        ),
    }
)
_CONCERN = "/api/v1/support/concerns/{concern_id}"
API.update(
    {
        "GET /api/v1/support/concerns": api(SIGNED_IN),
        "POST /api/v1/support/concerns": api(
            PAIR_OF_A,
            lambda w: {
                "pair_id": _prep(w).pair.pk,
                "about": "wellbeing",
                "route_to": "wellbeing_lead",
                "text": "Matrix",
            },
        ),
        "GET /api/v1/support/inbox": api(SIGNED_IN),
        f"GET {_CONCERN}": api(RAISER_AND_HANDLER),
        f"POST {_CONCERN}/messages": api(RAISER_AND_HANDLER, lambda w: {"text": "Matrix"}),
        f"POST {_CONCERN}/triage": api(
            CONCERN_HANDLER, lambda w: {"state": "triaged", "version": 1}
        ),
        f"POST {_CONCERN}/close": api(CONCERN_HANDLER, lambda w: {"outcome": "Done", "version": 1}),
    }
)
_path_values_before_support = api_path_values


def api_path_values(w: Any) -> dict[str, Any]:
    return _one_name_each(_path_values_before_support(w), support_world.path_values(w))


# --- evidence (upward/evidence): an open survey of programme A, and a closed one with results ---

from upward.evidence.tests import world as evidence_world  # noqa: E402

_ev = evidence_world.evidence
RESULTS_A = frozenset({"coordinator", "sponsor", "org_admin"})  # programme / own-org level


def _survey(w: Any) -> dict[str, Any]:
    return {"pk": _ev(w).open.pk}


URLS.update(
    {
        "evidence:surveys": Rule(SIGNED_IN, note="lists only the surveys that ask the person"),
        "evidence:respond": Rule(APPLICANTS_A, _survey, note="the people the survey asks"),
        "evidence:campaigns": Rule(COORDINATOR_A, programme_a),
        "evidence:results": Rule(
            RESULTS_A, lambda w: {"pk": _ev(w).closed.pk}, note="never leaders or mentors"
        ),
        "evidence:dashboard": Rule(RESULTS_A, programme_a, note="org admins: their org only"),
        "evidence:chart": Rule(
            RESULTS_A,
            with_programme(name=lambda w: "safety"),
            note="the funnel and pre/post charts are programme level: not for org admins",
        ),
        "evidence:alerts": Rule(frozenset({"wellbeing_lead"}), programme_a),
        "evidence:baseline": Rule(COORDINATOR_A, programme_a),
        "evidence:reminders": post(
            COORDINATOR_A, lambda w: {"slug": w.programme_a.slug, "pk": _ev(w).open.pk}
        ),
        "evidence:report_pdf": Rule(
            frozenset({"coordinator", "sponsor"}), programme_a, note="programme level"
        ),
        "evidence:report_csv": Rule(
            frozenset({"coordinator", "sponsor"}), programme_a, note="aggregates only"
        ),
        "evidence:notes": Rule(COORDINATOR_A, programme_a),
        "evidence:note_edit": Rule(COORDINATOR_A, with_programme(pk=lambda w: _ev(w).note.pk)),
        "evidence:instruments": Rule(COORDINATOR_A, programme_a),
    }
)

API.update(
    {
        "GET /api/v1/instruments": api(SIGNED_IN),
        "GET /api/v1/surveys": api(SIGNED_IN),
        "POST /api/v1/surveys/{campaign_id}/responses": api(
            APPLICANTS_A, lambda w: {"answers": evidence_world.RELATIONSHIP_ANSWERS}
        ),
        "GET /api/v1/programmes/{slug}/campaigns": api(COORDINATOR_A),
        "POST /api/v1/programmes/{slug}/campaigns": api(
            COORDINATOR_A,
            lambda w: {
                "title": "Matrix",
                "instrument": "psychological_safety",
                "stage": "pulse",
                "opens_on": "2030-01-01",
                "closes_on": "2030-01-15",
            },
        ),
        "GET /api/v1/campaigns/{campaign_id}/results": api(RESULTS_A),
        "GET /api/v1/programmes/{slug}/instruments": api(COORDINATOR_A),
        "POST /api/v1/programmes/{slug}/instruments": api(
            COORDINATOR_A, lambda w: {"key": "matrix", "title": "Matrix", "items": []}
        ),  # no items: refused with a message after the permission check
        "GET /api/v1/programmes/{slug}/result-notes": api(frozenset({"coordinator", "sponsor"})),
        "POST /api/v1/programmes/{slug}/result-notes": api(
            COORDINATOR_A, lambda w: {"kind": "story", "title": " ", "body": " "}
        ),
        "PUT /api/v1/result-notes/{result_note_id}": api(
            COORDINATOR_A,
            lambda w: {"kind": "story", "title": "T", "body": "B", "version": 99},
        ),  # a stale version: 409 after the permission check
        "GET /api/v1/programmes/{slug}/safeguarding-alerts": api(frozenset({"wellbeing_lead"})),
        "POST /api/v1/programmes/{slug}/baseline/preview": api(
            COORDINATOR_A, lambda w: evidence_world.BAD_BASELINE
        ),
        "POST /api/v1/programmes/{slug}/baseline": api(
            COORDINATOR_A, lambda w: evidence_world.BAD_BASELINE
        ),
        "GET /api/v1/programmes/{slug}/report.pdf": api(frozenset({"coordinator", "sponsor"})),
        "GET /api/v1/programmes/{slug}/report-csv.zip": api(frozenset({"coordinator", "sponsor"})),
    }
)


# --- running (upward/running): meetings are the pair's two people's alone; the coordinator
# --- sees only the board of totals; the calendar feed opens with its secret token ---------------

from upward.running.tests import world as running_world  # noqa: E402

_running = running_world.running
_MEETING = "/api/v1/meetings/{meeting_id}"


def _proposed(w: Any) -> dict[str, Any]:
    return {"pk": _running(w).proposed.pk}


URLS.update(
    {
        "running:mine": Rule(SIGNED_IN, note="lists only the person's own pairs and feed"),
        "running:pair": Rule(PAIR_OF_A, lambda w: {"pk": _running(w).pair.pk}),
        "running:propose": post(PAIR_OF_A, lambda w: {"pk": _running(w).pair.pk}),
        "running:pick": post(
            PAIR_OF_A,
            _proposed,
            data=lambda w: {"option": _running(w).option.pk, "version": 1},
            note="the leader proposed: the mentor's pick succeeds, the leader's is refused",
        ),
        "running:move": post(PAIR_OF_A, _proposed),
        "running:cancel": post(PAIR_OF_A, _proposed),
        "running:outcome": post(PAIR_OF_A, _proposed),
        "running:meeting_ics": Rule(PAIR_OF_A, lambda w: {"pk": _running(w).scheduled.pk}),
        "running:feed": Rule(
            EVERYONE,
            lambda w: {"token": _running(w).token},
            note="a capability address: whoever holds the secret token (calendar apps)",
        ),
        "running:feed_reset": post(SIGNED_IN, lambda w: {}, note="resets one's own feed"),
        "running:board": Rule(COORDINATOR_A, programme_a),
        "running:notes": Rule(PAIR_OF_A, lambda w: {"pk": _running(w).pair.pk}),
        "running:note_add": post(PAIR_OF_A, lambda w: {"pk": _running(w).pair.pk}),
        "running:note_edit": post(PAIR_OF_A, lambda w: {"pk": _running(w).note.pk}),
        "running:reflection_add": post(PAIR_OF_A, lambda w: {"pk": _running(w).pair.pk}),
        "running:reflection_delete": post(
            frozenset({"leader"}),
            lambda w: {"pk": _running(w).reflection.pk},
            note="its author only",
        ),
        "running:goals": Rule(PAIR_OF_A, lambda w: {"pk": _running(w).pair.pk}),
        "running:goal_add": post(PAIR_OF_A, lambda w: {"pk": _running(w).pair.pk}),
        "running:goal_progress": post(
            PAIR_OF_A,
            lambda w: {"pk": _running(w).goal.pk},
            data=lambda w: {"percent": 10, "version": 99},
            note="the owner only: the other person's attempt is refused with a message",
        ),
        "running:nudges": post(SIGNED_IN, lambda w: {}, data=lambda w: {"every_days": 14}),
        "running:checkin": Rule(
            frozenset({"leader"}), lambda w: {"pk": _running(w).checkin.pk}, note="its person only"
        ),
        "running:rematch": post(
            COORDINATOR_A,
            lambda w: {"slug": w.programme_a.slug, "pk": _running(w).pair.pk},
            data=lambda w: {"version": 1},
            note="no low fit in the world's pair: refused with a message, nothing changes",
        ),
        "running:settings": Rule(COORDINATOR_A, programme_a),
    }
)

API.update(
    {
        "GET /api/v1/pairs/{pair_id}/meetings": api(PAIR_OF_A),
        "POST /api/v1/pairs/{pair_id}/meetings": api(
            PAIR_OF_A, lambda w: {"times": ["2020-01-01T09:00:00+00:00"]}
        ),  # a time in the past: 400 after the permission check, nothing made
        f"POST {_MEETING}/pick": api(
            PAIR_OF_A, lambda w: {"option": _running(w).option.pk, "version": 1}
        ),
        f"POST {_MEETING}/move": api(
            PAIR_OF_A, lambda w: {"starts_at": "2030-01-01T09:00:00+00:00", "version": 1}
        ),
        f"POST {_MEETING}/cancel": api(PAIR_OF_A, lambda w: {"version": 99}),
        "GET /api/v1/pairs/{pair_id}/notes": api(PAIR_OF_A),
        "POST /api/v1/pairs/{pair_id}/notes": api(PAIR_OF_A, lambda w: {"title": "", "body": ""}),
        "PUT /api/v1/notes/{note_id}": api(
            PAIR_OF_A, lambda w: {"title": "Agenda", "body": "Later", "version": 99}
        ),
        # Answers only the caller's own reflections.
        "GET /api/v1/pairs/{pair_id}/reflections": api(PAIR_OF_A),
        "POST /api/v1/pairs/{pair_id}/reflections": api(PAIR_OF_A, lambda w: {"body": ""}),
        "GET /api/v1/pairs/{pair_id}/goals": api(PAIR_OF_A),
        "POST /api/v1/pairs/{pair_id}/goals": api(PAIR_OF_A, lambda w: {"statement": " "}),
        "POST /api/v1/pairs/{pair_id}/goals/check": api(
            PAIR_OF_A, lambda w: {"statement": "Run a session"}
        ),
        "POST /api/v1/goals/{goal_id}/progress": api(
            PAIR_OF_A, lambda w: {"percent": 10, "version": 99}
        ),
        "GET /api/v1/checkins": api(SIGNED_IN),
        "POST /api/v1/checkins/{checkin_id}/answer": api(
            frozenset({"leader"}), lambda w: {"score": 4}
        ),
        f"POST {_MEETING}/outcome": api(
            PAIR_OF_A, lambda w: {"outcome": "held", "minutes": 60, "version": 1}
        ),
        "GET /api/v1/programmes/{slug}/running/settings": api(COORDINATOR_A),
        "PUT /api/v1/programmes/{slug}/running/settings": api(
            COORDINATOR_A, lambda w: {"quiet_weeks": 6, "version": 99}
        ),  # a stale version: 409, nothing changed
        "POST /api/v1/programmes/{slug}/running/pairs/{pair_id}/rematch": api(
            COORDINATOR_A, lambda w: {"version": 1}
        ),  # no low fit in the world's pair: 400, nothing changed
    }
)


# --- integrations: tokens and webhooks ----------------------------------------------------------

from upward.integrations.tests import world as integrations_world  # noqa: E402

_integrations = integrations_world.integrations
LEADER = frozenset({"leader"})


def _endpoint_of_a(w: Any) -> dict[str, Any]:
    return {"slug": w.org_a.slug, "pk": _integrations(w).endpoint.pk}


def _token_body(w: Any) -> dict[str, Any]:
    from datetime import date, timedelta

    expires = (date.today() + timedelta(days=30)).isoformat()
    return {"name": "Matrix", "scopes": ["directory:read"], "expires_on": expires}


URLS.update(
    {
        "integrations:tokens": Rule(SIGNED_IN, note="each person's own tokens"),
        "integrations:token_revoke": post(
            LEADER, lambda w: {"pk": _integrations(w).token.pk}, note="its owner only"
        ),
        "integrations:webhooks": Rule(ORG_ADMIN_A, org_a),
        "integrations:webhook_log": Rule(ORG_ADMIN_A, _endpoint_of_a),
        "integrations:webhook_remove": post(ORG_ADMIN_A, _endpoint_of_a),
    }
)
_WEBHOOKS = "/api/v1/organisations/{slug}/webhooks"
API.update(
    {
        "GET /api/v1/tokens": api(SIGNED_IN),
        "POST /api/v1/tokens": api(SIGNED_IN, _token_body),
        "POST /api/v1/tokens/{token_id}/revoke": api(LEADER),
        f"GET {_WEBHOOKS}": api(ORG_ADMIN_A),
        f"POST {_WEBHOOKS}": api(
            ORG_ADMIN_A,
            lambda w: {"url": "https://hooks.example.org/x", "events": ["pair.formed"]},
        ),
        f"POST {_WEBHOOKS}/{{endpoint_id}}/remove": api(ORG_ADMIN_A),
        f"GET {_WEBHOOKS}/{{endpoint_id}}/deliveries": api(ORG_ADMIN_A),
    }
)
for _path in (
    _WEBHOOKS,
    f"{_WEBHOOKS}/{{endpoint_id}}/remove",
    f"{_WEBHOOKS}/{{endpoint_id}}/deliveries",
):
    API_SLUG_OVERRIDES[_path] = lambda w: w.org_a.slug


# --- cohort (upward/cohort): the cohort space is its members' (the programme's pairs and
# --- accepted, and its coordinators); a pair's messages are its two people's alone ------------

from upward.cohort.tests import world as cohort_world  # noqa: E402

_cohort = cohort_world.cohort
SPACE_A = COORDINATOR_A | PAIR_OF_A  # members of programme A's cohort space


def _space(w: Any) -> dict[str, Any]:
    _cohort(w)
    return {"slug": w.programme_a.slug}


def _cohort_post(w: Any) -> dict[str, Any]:
    return {"pk": _cohort(w).post.pk}


URLS.update(
    {
        "cohort:spaces": Rule(SIGNED_IN, note="lists only the person's own spaces and pairs"),
        "cohort:preferences": Rule(SIGNED_IN, note="one's own notification choices"),
        "cohort:space": Rule(SPACE_A, _space),
        "cohort:post_add": post(SPACE_A, _space, note="an empty post is refused (400)"),
        "cohort:reply": post(SPACE_A, _cohort_post, note="an empty reply is refused (400)"),
        "cohort:report": post(SPACE_A, _cohort_post, note="no reason, or one's own post: 400"),
        "cohort:hide": post(COORDINATOR_A, _cohort_post, note="no version: 409"),
        "cohort:checkin": Rule(PAIR_OF_A, lambda w: {"pk": _cohort(w).midpoint.pk}),
        "cohort:messages": Rule(
            PAIR_OF_A, lambda w: {"pk": _cohort(w).pair.pk}, note="not the coordinator"
        ),
        "cohort:message_send": post(PAIR_OF_A, lambda w: {"pk": _cohort(w).pair.pk}),
        "cohort:events": Rule(COORDINATOR_A, _space),
        "cohort:invite_all": post(
            COORDINATOR_A,
            lambda w: {"slug": w.programme_a.slug, "pk": _cohort(w).midpoint.pk},
        ),
    }
)

_CEVENTS = "/api/v1/programmes/{slug}/cohort/events"
API.update(
    {
        "GET /api/v1/cohort/events": api(SIGNED_IN),
        f"GET {_CEVENTS}": api(COORDINATOR_A),
        f"POST {_CEVENTS}": api(
            COORDINATOR_A,
            lambda w: {
                "title": "Group coaching",
                "kind": "coaching",
                "starts_at": "2030-01-01T09:00:00+00:00",
                "place": "Head office",
            },
        ),
        f"POST {_CEVENTS}/{{event_id}}/attendance": api(
            COORDINATOR_A, lambda w: {"version": 99, "present": []}
        ),
        f"GET {_CEVENTS}/{{event_id}}/results": api(COORDINATOR_A),
        f"POST {_CEVENTS}/{{event_id}}/invite": api(COORDINATOR_A),
        "GET /api/v1/cohort/check-ins/{event_id}": api(PAIR_OF_A),
        "POST /api/v1/cohort/check-ins/{event_id}/answer": api(
            PAIR_OF_A, lambda w: {"answers": {}}
        ),
        "GET /api/v1/programmes/{slug}/cohort/posts": api(SPACE_A),
        "POST /api/v1/programmes/{slug}/cohort/posts": api(SPACE_A, lambda w: {"body": " "}),
        "POST /api/v1/cohort/posts/{post_id}/replies": api(SPACE_A, lambda w: {"body": " "}),
        "POST /api/v1/cohort/posts/{post_id}/report": api(SPACE_A, lambda w: {"reason": " "}),
        "POST /api/v1/cohort/posts/{post_id}/hide": api(COORDINATOR_A, lambda w: {"version": 99}),
        "GET /api/v1/pairs/{pair_id}/messages": api(PAIR_OF_A),
        "POST /api/v1/pairs/{pair_id}/messages": api(PAIR_OF_A, lambda w: {"body": " "}),
        "GET /api/v1/cohort/preferences": api(SIGNED_IN),
        "PUT /api/v1/cohort/preferences": api(
            SIGNED_IN, lambda w: {"posts": "digest", "messages": "each"}
        ),
    }
)


_path_values_before_cohort = api_path_values


def api_path_values(w: Any) -> dict[str, Any]:
    return _one_name_each(_path_values_before_cohort(w), cohort_world.path_values(w))


# --- accountability (upward/accountability): ideas are the programme's participants' and
# --- coordinators'; a commitment its owner's, coordinators' and sponsors'; a nomination the pair's

from upward.accountability.tests import world as accountability_world  # noqa: E402

_acc = accountability_world.accountability
PARTICIPANTS_A = PAIR_OF_A | COORDINATOR_A
OWNER_A = frozenset({"leader", "coordinator"})
SPONSOR_VIEW_A = frozenset({"coordinator", "sponsor"})
_IDEA = "/api/v1/ideas/{idea_id}"
_COMMITMENT = "/api/v1/commitments/{commitment_id}"
_NOMINATION = "/api/v1/nominations/{nomination_id}"


def _acc_pk(name: str) -> Callable[[Any], dict[str, Any]]:
    return lambda w: {"pk": getattr(_acc(w), name).pk}


URLS.update(
    {
        "accountability:hub": Rule(SIGNED_IN, note="lists only the person's own programmes"),
        "accountability:sessions": Rule(PARTICIPANTS_A, programme_a),
        "accountability:session_open": post(COORDINATOR_A, programme_a),
        "accountability:session": Rule(PARTICIPANTS_A, _acc_pk("session")),
        "accountability:idea_submit": post(
            PARTICIPANTS_A, _acc_pk("session"), note="a coordinator's idea is refused (400)"
        ),
        "accountability:group": post(COORDINATOR_A, _acc_pk("session")),
        "accountability:vote": post(
            PARTICIPANTS_A, _acc_pk("idea"), note="a coordinator's vote is refused (400)"
        ),
        "accountability:unvote": post(PARTICIPANTS_A, _acc_pk("idea")),
        "accountability:adopt": Rule(COORDINATOR_A, _acc_pk("idea")),
        "accountability:mine": Rule(SIGNED_IN, note="lists only the person's own commitments"),
        "accountability:commitment": Rule(OWNER_A | SPONSOR_VIEW_A, _acc_pk("commitment")),
        "accountability:commitment_update": post(OWNER_A, _acc_pk("commitment")),
        "accountability:commitment_edit": post(OWNER_A, _acc_pk("commitment")),
        "accountability:programme": Rule(SPONSOR_VIEW_A, programme_a, note="programme level"),
        "accountability:nominations": Rule(SIGNED_IN, note="the person's own nominations only"),
        "accountability:nominate": post(
            frozenset({"leader"}), lambda w: {"pk": _acc(w).nomination.pair_id}
        ),
        "accountability:answer": post(MENTOR_SIDE, _acc_pk("nomination"), note="the mentor only"),
        "accountability:outcome": post(frozenset({"leader", "coordinator"}), _acc_pk("nomination")),
    }
)

API.update(
    {
        "GET /api/v1/programmes/{slug}/idea-sessions": api(PARTICIPANTS_A),
        "POST /api/v1/programmes/{slug}/idea-sessions": api(
            COORDINATOR_A,
            lambda w: {
                "title": "Matrix",
                "opens_at": "2030-01-01T09:00:00+00:00",
                "closes_at": "2030-01-02T09:00:00+00:00",
            },
        ),
        "GET /api/v1/idea-sessions/{idea_session_id}": api(PARTICIPANTS_A),
        "POST /api/v1/idea-sessions/{idea_session_id}/ideas": api(
            PARTICIPANTS_A, lambda w: {"text": "Matrix idea"}
        ),
        "GET /api/v1/idea-sessions/{idea_session_id}/groups": api(COORDINATOR_A),
        "POST /api/v1/idea-sessions/{idea_session_id}/groups": api(
            COORDINATOR_A, lambda w: {"title": "G", "idea_ids": [_acc(w).idea.pk], "version": 1}
        ),
        f"POST {_IDEA}/vote": api(PARTICIPANTS_A),
        f"DELETE {_IDEA}/vote": api(PARTICIPANTS_A),
        f"POST {_IDEA}/adopt": api(COORDINATOR_A, accountability_world.terms),
        "GET /api/v1/commitments": api(SIGNED_IN),
        "GET /api/v1/programmes/{slug}/commitments": api(SPONSOR_VIEW_A),
        f"GET {_COMMITMENT}": api(OWNER_A | SPONSOR_VIEW_A),
        f"PUT {_COMMITMENT}": api(
            OWNER_A, lambda w: {**accountability_world.terms(w), "version": 1}
        ),
        f"POST {_COMMITMENT}/updates": api(
            OWNER_A, lambda w: {"status": "in_progress", "note": "Started", "version": 1}
        ),
        "GET /api/v1/nominations": api(SIGNED_IN),
        "POST /api/v1/pairs/{pair_id}/nominations": api(
            frozenset({"leader"}), lambda w: {"kind": "role", "title": "T", "description": "D"}
        ),
        f"POST {_NOMINATION}/answer": api(MENTOR_SIDE, lambda w: {"agree": True, "version": 1}),
        f"POST {_NOMINATION}/outcome": api(
            frozenset({"leader", "coordinator"}),
            lambda w: {"outcome": "successful", "version": 1},
        ),
        "GET /api/v1/programmes/{slug}/accountability": api(SPONSOR_VIEW_A),
    }
)


# --- recognition (upward/recognition): the world pair's mentor holds a certificate and the pair
# --- has a draft story; verification is open to everyone, signed in or not ----------------------

from upward.recognition.tests import world as recognition_world  # noqa: E402

_rec = recognition_world.recognition
STORY_READERS = APPLICANTS_A | frozenset({"coordinator", "sponsor"})


def _verify_code(w: Any) -> dict[str, Any]:
    recognition_world.fresh_checks()
    return {"code": _rec(w).code}


URLS.update(
    {
        "recognition:completion": Rule(COORDINATOR_A, programme_a),
        "recognition:rules": post(
            COORDINATOR_A,
            programme_a,
            data=lambda w: {"min_meetings": 2, "agreement_signed": "on", "version": 1},
        ),
        "recognition:grant": post(
            COORDINATOR_A,
            with_programme(pk=lambda w: w.leader_application.pk),
            data=lambda w: {"reason": "Signed on paper"},
        ),
        "recognition:issue": post(
            COORDINATOR_A,
            with_programme(pk=lambda w: w.leader_application.pk),
            note="the leader has not completed: refused with a message",
        ),
        "recognition:revoke": post(
            COORDINATOR_A,
            with_programme(pk=lambda w: _rec(w).certificate.pk),
            data=lambda w: {"reason": "Issued in error"},
        ),
        "recognition:close": Rule(COORDINATOR_A, programme_a, note="the confirmation page"),
        "recognition:list": Rule(frozenset({"coordinator", "sponsor"}), programme_a),
        "recognition:published": Rule(STORY_READERS, programme_a),
        "recognition:mine": Rule(SIGNED_IN, note="lists only the person's own certificates"),
        "recognition:index": Rule(SIGNED_IN, note="lists only the programmes the user sponsors"),
        "recognition:certificate_pdf": Rule(
            MENTOR_SIDE, lambda w: {"pk": _rec(w).certificate.pk}, note="its holder only"
        ),
        "recognition:listing": post(
            MENTOR_SIDE, lambda w: {"pk": _rec(w).certificate.pk}, data=lambda w: {"listed": "yes"}
        ),
        "recognition:verify": Rule(EVERYONE, note="public: no sign-in"),
        "recognition:verify_code": Rule(
            EVERYONE, _verify_code, note="public, rate-limited per address"
        ),
        "recognition:pair_stories": Rule(PAIR_OF_A, lambda w: {"pk": _rec(w).pair.pk}),
        "recognition:story": Rule(PAIR_OF_A, lambda w: {"pk": _rec(w).story.pk}),
        "recognition:story_consent": post(
            PAIR_OF_A, lambda w: {"pk": _rec(w).story.pk}, data=lambda w: {"version": 1}
        ),
        "recognition:story_withdraw": post(PAIR_OF_A, lambda w: {"pk": _rec(w).story.pk}),
    }
)


def _verify_body(w: Any) -> dict[str, Any]:
    recognition_world.fresh_checks()
    return {"code": _rec(w).code}


API.update(
    {
        "GET /api/v1/programmes/{slug}/completion/rules": api(COORDINATOR_A),
        "PUT /api/v1/programmes/{slug}/completion/rules": api(
            COORDINATOR_A,
            lambda w: {
                "agreement_signed": True,
                "training_done": False,
                "min_meetings": 1,
                "final_checkin": False,
                "version": 1,
            },
        ),
        "GET /api/v1/programmes/{slug}/completion": api(COORDINATOR_A),
        "POST /api/v1/programmes/{slug}/completion/grants": api(
            COORDINATOR_A,
            lambda w: {"application_id": w.leader_application.pk, "reason": "Signed on paper"},
        ),
        "POST /api/v1/programmes/{slug}/certificates": api(
            COORDINATOR_A, lambda w: {"application_id": w.leader_application.pk}
        ),  # the leader has not completed: 400 after the permission check
        "POST /api/v1/programmes/{slug}/certificates/{certificate_id}/revoke": api(
            COORDINATOR_A, lambda w: {"reason": "Issued in error"}
        ),
        "GET /api/v1/certificates": api(SIGNED_IN),
        "GET /api/v1/certificates/{certificate_id}/pdf": api(MENTOR_SIDE),
        "POST /api/v1/verify": api(EVERYONE, _verify_body),
        "GET /api/v1/pairs/{pair_id}/stories": api(PAIR_OF_A),
        "POST /api/v1/pairs/{pair_id}/stories": api(
            PAIR_OF_A, lambda w: {"title": "Matrix", "body": "Matrix story"}
        ),
        "PUT /api/v1/stories/{story_id}": api(
            PAIR_OF_A, lambda w: {"title": "Matrix", "body": "Matrix story", "version": 1}
        ),
        "POST /api/v1/stories/{story_id}/consent": api(PAIR_OF_A, lambda w: {"version": 1}),
        "POST /api/v1/stories/{story_id}/withdraw": api(PAIR_OF_A),
        "GET /api/v1/programmes/{slug}/stories": api(STORY_READERS),
    }
)
_path_values_before_recognition = api_path_values


def api_path_values(w: Any) -> dict[str, Any]:
    return _one_name_each(_path_values_before_recognition(w), recognition_world.path_values(w))


# --- HRIS sync (upward/directory/sync*.py): an organisation's admin only ----------------------

from upward.directory.tests import sync_world  # noqa: E402


def _hris_sync(w: Any) -> dict[str, Any]:
    return {"slug": w.org_a.slug, "pk": sync_world.sync(w).pk}


URLS.update(
    {
        "directory:sync": Rule(ORG_ADMIN_A, org_a),
        "directory:sync_settings": post(ORG_ADMIN_A, org_a, data=lambda w: {"auto_apply": ""}),
        "directory:sync_detail": Rule(ORG_ADMIN_A, _hris_sync),
        "directory:sync_apply": post(ORG_ADMIN_A, _hris_sync, note="refused: the file is empty"),
        "directory:sync_dismiss": post(ORG_ADMIN_A, _hris_sync),
        "directory:programme_flags": Rule(
            COORDINATOR_A, lambda w: {"programme_slug": w.programme_a.slug}
        ),
    }
)
_SYNC = "/api/v1/organisations/{slug}/directory/sync"
API.update(
    {
        f"GET {_SYNC}": api(ORG_ADMIN_A),
        f"POST {_SYNC}": api(
            ORG_ADMIN_A, lambda w: {"filename": "hris.csv", "content_base64": "not base64!"}
        ),
        f"GET {_SYNC}/settings": api(ORG_ADMIN_A),
        f"PUT {_SYNC}/settings": api(ORG_ADMIN_A, lambda w: {"auto_apply": False}),
        f"GET {_SYNC}/{{sync_id}}": api(ORG_ADMIN_A),
        f"GET {_SYNC}/{{sync_id}}/entries": api(ORG_ADMIN_A),
        f"POST {_SYNC}/{{sync_id}}/apply": api(ORG_ADMIN_A),
        f"POST {_SYNC}/{{sync_id}}/dismiss": api(ORG_ADMIN_A),
    }
)
API_SLUG_OVERRIDES.update(
    {
        path: lambda w: w.org_a.slug
        for path in (
            _SYNC,
            f"{_SYNC}/settings",
            f"{_SYNC}/{{sync_id}}",
            f"{_SYNC}/{{sync_id}}/entries",
            f"{_SYNC}/{{sync_id}}/apply",
            f"{_SYNC}/{{sync_id}}/dismiss",
        )
    }
)


# --- notifications (upward/notifications): each person's own choice of emails; the unsubscribe
# --- link answers whoever holds it (no sign-in: the signed token is the permission)


def _unsubscribe_token(w: Any) -> dict[str, Any]:
    from upward.notifications.tokens import unsubscribe_token

    return {"token": unsubscribe_token(user_id=w.leader_application.user_id, category="reminders")}


URLS.update(
    {
        "notifications:settings": Rule(SIGNED_IN, note="one's own choices only"),
        "notifications:unsubscribe": Rule(
            EVERYONE, _unsubscribe_token, note="the confirm page; a forged token answers 400"
        ),
    }
)
API.update(
    {
        "GET /api/v1/notifications/preferences": api(SIGNED_IN),
        "PUT /api/v1/notifications/preferences": api(
            SIGNED_IN, lambda w: {"choices": {"reminders": "digest"}}
        ),
    }
)


# --- single sign-on (upward/sso, allauth's socialaccount) ---------------------------------------

URLS.update(
    {
        "sso:start": Rule(EVERYONE, note="'Sign in with your organisation': asks for an email"),
        "sso:organisation": Rule(
            NOBODY, org_a, note="404 until the organisation switches single sign-on on"
        ),
        "sso:settings": Rule(ORG_ADMIN_A, org_a),
        "openid_connect_login": Rule(
            NOBODY,
            lambda w: {"provider_id": f"org-{w.org_a.slug}"},
            note="404 until the organisation configures an OpenID Connect provider",
        ),
        "openid_connect_callback": Rule(
            NOBODY,
            lambda w: {"provider_id": f"org-{w.org_a.slug}"},
            note="404 until the organisation configures an OpenID Connect provider",
        ),
        "saml_acs": post(
            EVERYONE,
            lambda w: {"organization_slug": w.org_a.slug},
            note="the identity provider posts here; it only sends on to saml_finish_acs",
        ),
        "saml_finish_acs": Rule(
            NOBODY,
            lambda w: {"organization_slug": w.org_a.slug},
            note="404 until the organisation configures a SAML provider",
        ),
        "saml_sls": Rule(
            NOBODY,
            lambda w: {"organization_slug": w.org_a.slug},
            note="404 until the organisation configures a SAML provider",
        ),
        "saml_metadata": Rule(
            NOBODY,
            lambda w: {"organization_slug": w.org_a.slug},
            note="404 until the organisation configures a SAML provider",
        ),
        "saml_login": Rule(
            NOBODY,
            lambda w: {"organization_slug": w.org_a.slug},
            note="404 until the organisation configures a SAML provider",
        ),
        "socialaccount_login_cancelled": Rule(
            EVERYONE, note="a plain page after a cancelled sign-in"
        ),
        "socialaccount_login_error": Rule(EVERYONE, note="a plain page after a failed sign-in"),
        "socialaccount_signup": Rule(NOBODY, note="nobody is created by a sign-in: 404"),
        "socialaccount_connections": Rule(SIGNED_IN, note="the person's own linked identities"),
    }
)
