"""Integrations objects for the access matrix's test world: a personal token of the leader and
a webhook of organisation A registered by its admin."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from upward.accounts.models import Role, RoleGrant
from upward.integrations import tokens, webhooks


def integrations(w: Any) -> SimpleNamespace:
    made = getattr(w, "integrations_objects", None)
    if made is not None:
        return made  # type: ignore[no-any-return]
    token, _ = tokens.token_create(
        owner=w.leader_application.user,
        name="matrix",
        scopes=["directory:read"],
        expires_on=timezone.now().date() + dt.timedelta(days=30),
        second_factor_passed=True,
    )
    admin = RoleGrant.objects.get(role=Role.ORG_ADMIN, organisation=w.org_a).user
    endpoint, _ = webhooks.endpoint_create(
        organisation=w.org_a,
        url="https://hooks.example.org/upward",
        events=["pair.formed"],
        format="json",
        by=admin,
    )
    made = SimpleNamespace(token=token, endpoint=endpoint)
    w.integrations_objects = made
    return made


def path_values(w: Any) -> dict[str, Any]:
    made = integrations(w)
    return {"token_id": made.token.pk, "endpoint_id": made.endpoint.pk}
