"""The registry's order: exporters, erasers and purgers run (and exported sections appear) by
their ``order``, not by which app's ``ready()`` happened to register them first."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps

from upward.privacy import registry, services

EXPORTERS = [
    "account",
    "directory",
    "change_history",
    "access_log",
    "programmes",
    "consent",
    "matching",
    "pairs",
    "preparation",
    "support",
    "running",
    "evidence",
    "accountability",
    "cohort",
    "recognition",
    "integrations",
    "sso",
    "notifications",
    "hr_system",
]
ERASERS = [
    "programmes",
    "consent",
    "support",
    "running",
    "preparation",
    "evidence",
    "accountability",
    "cohort",
    "recognition",
    "integrations",
    "sso",
    "notifications",
    "hr_system",
    "directory",
    "account",
]
RETENTION = [
    "programme_roles",
    "hr_system",
    "notifications",
    "support",
    "running",
    "preparation",
    "pairs",
    "accountability",
    "cohort",
    "recognition",
    "integrations",
    "programme_records",
    "matching",
]


def _empty_registry(monkeypatch: Any) -> None:
    monkeypatch.setattr(registry, "_EXPORTERS", {})
    monkeypatch.setattr(registry, "_ERASERS", {})
    monkeypatch.setattr(registry, "_RETENTION", {})
    monkeypatch.setattr(registry, "_ORDERS", {"exporter": {}, "eraser": {}, "retention": {}})
    monkeypatch.setattr(registry, "_PROGRAMME_PEOPLE", [])


def _erasure_order() -> list[str]:
    erasers = registry.erasers()
    return [s for s in erasers if s not in services.FINAL_ERASERS] + [
        s for s in services.FINAL_ERASERS if s in erasers
    ]


def test_the_registered_sections_run_in_the_documented_order() -> None:
    assert list(registry.exporters()) == EXPORTERS
    assert list(registry.erasers()) == ERASERS
    assert _erasure_order() == ERASERS
    assert list(registry.retention_purgers()) == RETENTION


def test_the_order_does_not_hang_on_the_order_of_the_apps(monkeypatch: Any) -> None:
    _empty_registry(monkeypatch)
    # Every ready() registering again, last installed app first.
    for label in (
        "notifications",
        "sso",
        "accountability",
        "cohort",
        "recognition",
        "integrations",
        "evidence",
        "running",
        "support",
        "preparation",
        "pairs",
        "matches",
        "consent",
        "privacy",
        "programmes",
        "directory",
    ):
        apps.get_app_config(label).ready()
    assert list(registry.exporters()) == EXPORTERS
    assert _erasure_order() == ERASERS
    assert list(registry.retention_purgers()) == RETENTION
    from upward.programmes.privacy import programme_applicants

    assert registry.programme_people_providers() == [programme_applicants]


Register = Callable[..., Any]
Read = Callable[[], dict[str, Any]]


@pytest.mark.parametrize(
    ("register", "read"),
    [
        (registry.register_exporter, registry.exporters),
        (registry.register_eraser, registry.erasers),
        (registry.register_retention, registry.retention_purgers),
    ],
    ids=["exporters", "erasers", "retention"],
)
def test_lower_orders_come_first_and_equal_ones_keep_registration_order(
    monkeypatch: Any, register: Register, read: Read
) -> None:
    _empty_registry(monkeypatch)

    def hook(_: Any) -> dict[str, int]:
        return {}

    register("unordered_a", hook)
    register("second", hook, order=50)
    register("first", hook, order=10)
    register("unordered_b", hook)
    register("also_second", hook, order=50)
    register("after_the_default", hook, order=registry.DEFAULT_ORDER + 1)
    assert list(read()) == [
        "first",
        "second",
        "also_second",
        "unordered_a",
        "unordered_b",
        "after_the_default",
    ]


def test_erasers_and_purgers_run_in_that_order(
    world: Any, org_admin: Any, monkeypatch: Any
) -> None:
    ran: list[str] = []

    def spied(table: dict[str, Any]) -> dict[str, Any]:
        def spy(section: str, func: Any) -> Any:
            def run(arg: Any) -> Any:
                ran.append(section)
                return func(arg)

            return run

        return {section: spy(section, func) for section, func in table.items()}

    monkeypatch.setattr(registry, "_ERASERS", spied(registry._ERASERS))
    monkeypatch.setattr(registry, "_RETENTION", spied(registry._RETENTION))
    services.person_erase(
        person=world.leader_application.person, by=org_admin, reason="Erasure request of 3 May"
    )
    assert ran == ERASERS
    ran.clear()
    services.programme_retention_apply(programme=world.programme_a)
    assert ran == RETENTION
