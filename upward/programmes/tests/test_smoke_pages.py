"""Every coordinator page renders for the coordinator (a quick whole-surface check)."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from upward.programmes.models import Application, Programme


def test_coordinator_pages_render(
    client: Client,
    coordinator: Any,
    ready_programme: Programme,
    leader_application: Application,
    mentor_application: Application,
) -> None:
    client.force_login(coordinator)
    slug = ready_programme.slug
    item = ready_programme.readiness_items.first()
    names = [
        ("programmes:index", []),
        ("programmes:create", []),
        ("programmes:detail", [slug]),
        ("programmes:edit", [slug]),
        ("programmes:objectives", [slug]),
        ("programmes:schedule", [slug]),
        ("programmes:policy", [slug]),
        ("programmes:review", [slug]),
        ("programmes:coordinators", [slug]),
        ("programmes:record", [slug]),
        ("programmes:readiness", [slug]),
        ("programmes:readiness_item", [slug, item.pk]),
        ("programmes:interview_new", [slug]),
        ("programmes:cohorts", [slug]),
        ("programmes:invitations", [slug]),
        ("programmes:wave_new", [slug]),
        ("programmes:topics", [slug]),
        ("programmes:eligibility", [slug]),
        ("programmes:form", [slug, "leader"]),
        ("programmes:form", [slug, "mentor"]),
        ("programmes:form_preview", [slug, "mentor"]),
        ("programmes:question_new", [slug, "leader"]),
        ("programmes:applications", [slug]),
        ("programmes:application", [slug, mentor_application.pk]),
        ("core:dashboard", []),
    ]
    for name, args in names:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, (name, response.status_code)
