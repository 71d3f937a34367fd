"""The shared optimistic-locking mechanism: a stale write changes nothing and says so."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction

from upward.core import versioning
from upward.core.versioning import VersionConflict, claim_version, conflict_form, save_versioned
from upward.matches import errors as match_errors
from upward.programmes.forms import CohortForm, InterviewForm
from upward.programmes.models import Cohort, Programme, ReadinessItem, StakeholderInterview


@pytest.fixture
def cohort(programme_a: Programme) -> Cohort:
    return Cohort.objects.create(programme=programme_a, name="Spring", capacity=10)


def test_a_new_record_starts_at_version_1(cohort: Cohort) -> None:
    assert Cohort.objects.get(pk=cohort.pk).version == 1


def test_save_versioned_writes_the_fields_and_moves_the_version_on(cohort: Cohort) -> None:
    cohort.name = "Summer"
    cohort.capacity = 12
    save_versioned(cohort, expected_version=1, fields=["name"])
    stored = Cohort.objects.get(pk=cohort.pk)
    assert (stored.name, stored.capacity, stored.version) == ("Summer", 10, 2)
    assert cohort.version == 2


def test_a_stale_write_raises_and_writes_nothing(cohort: Cohort) -> None:
    first = Cohort.objects.get(pk=cohort.pk)
    second = Cohort.objects.get(pk=cohort.pk)
    first.name = "Summer"
    save_versioned(first, expected_version=1, fields=["name"])
    second.name = "Autumn"
    second.capacity = 99
    with pytest.raises(VersionConflict) as caught:
        save_versioned(second, expected_version=1, fields=["name", "capacity"])
    assert caught.value.current == 2
    assert str(caught.value) == (
        "Someone else saved this cohort after you opened it, so your change was not saved. It "
        "is now at version 2: look at their change and make yours again."
    )
    stored = Cohort.objects.get(pk=cohort.pk)
    assert (stored.name, stored.capacity, stored.version) == ("Summer", 10, 2)
    assert second.version == 1


def test_auto_now_fields_move_with_a_versioned_write(programme_a: Programme) -> None:
    item = ReadinessItem.objects.create(programme=programme_a, title="Plan")
    ReadinessItem.objects.filter(pk=item.pk).update(
        updated_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    )
    item.owner = "Ann"
    save_versioned(item, expected_version=1, fields=["owner"], what="the plan")
    stored = ReadinessItem.objects.get(pk=item.pk)
    assert stored.owner == "Ann" and stored.updated_at.year > 2020


def test_the_version_itself_and_unknown_fields_are_refused(cohort: Cohort) -> None:
    with pytest.raises(ValueError, match="version"):
        save_versioned(cohort, expected_version=1, fields=["version"])
    with pytest.raises(ValueError, match="colour"):
        save_versioned(cohort, expected_version=1, fields=["colour"])
    assert Cohort.objects.get(pk=cohort.pk).version == 1


@pytest.mark.django_db(transaction=True)
def test_claim_version_outside_a_transaction_is_refused(programme_a: Programme) -> None:
    cohort = Cohort.objects.create(programme=programme_a, name="Spring")
    with pytest.raises(RuntimeError, match=r"transaction\.atomic"):
        claim_version(cohort, expected_version=1)
    assert Cohort.objects.get(pk=cohort.pk).version == 1


def test_claim_version_rolls_back_with_its_transaction(cohort: Cohort) -> None:
    class Later(Exception):
        pass

    with pytest.raises(Later), transaction.atomic():
        claim_version(cohort, expected_version=1)
        assert Cohort.objects.get(pk=cohort.pk).version == 2
        raise Later
    assert Cohort.objects.get(pk=cohort.pk).version == 1
    with transaction.atomic():
        claim_version(cohort, expected_version=1, what="the spring cohort")
    with (
        pytest.raises(VersionConflict, match="saved the spring cohort after"),
        transaction.atomic(),
    ):
        claim_version(cohort, expected_version=1, what="the spring cohort")
    assert Cohort.objects.get(pk=cohort.pk).version == 2


def test_a_deleted_record_is_a_conflict_at_version_0(cohort: Cohort) -> None:
    Cohort.objects.filter(pk=cohort.pk).delete()
    with pytest.raises(VersionConflict) as caught:
        save_versioned(cohort, expected_version=1, fields=["name"])
    assert caught.value.current == 0


def test_a_matching_run_conflict_is_the_same_kind_of_error() -> None:
    error = match_errors.VersionConflict(7)
    assert isinstance(error, VersionConflict)
    assert isinstance(error, match_errors.MatchRuleBroken)
    assert error.current == 7
    assert str(error).startswith("Someone else changed this matching run")


def test_the_form_carries_the_version_only_when_it_edits(cohort: Cohort) -> None:
    assert "version" not in CohortForm().fields
    editing = CohortForm(instance=cohort)
    assert editing["version"].value() == 1
    assert 'type="hidden"' in str(editing["version"])
    missing = CohortForm({"name": "Spring"}, instance=cohort)
    assert not missing.is_valid()
    assert missing.non_field_errors() == [
        "Reload the page: the version of the record you saw is missing."
    ]
    huge = CohortForm({"name": "Spring", "version": str(2**31)}, instance=cohort)
    assert not huge.is_valid()
    assert "version" not in huge.errors
    valid = CohortForm({"name": "Spring", "version": "1"}, instance=cohort)
    assert valid.is_valid() and valid.expected_version == 1


def test_the_conflict_form_shows_current_values_and_the_attempt(cohort: Cohort) -> None:
    attempt = CohortForm(
        {"name": "Mine", "capacity": "10", "description": "Mine too", "version": "1"},
        instance=cohort,
    )
    assert attempt.is_valid()
    Cohort.objects.filter(pk=cohort.pk).update(name="Theirs", version=2)
    current = Cohort.objects.get(pk=cohort.pk)
    fresh = conflict_form(attempt, CohortForm(instance=current), VersionConflict(2, "this cohort"))
    assert fresh["version"].value() == 2
    assert fresh["name"].value() == "Theirs"
    assert fresh.conflict is not None
    assert [(d.label, d.theirs, d.yours) for d in fresh.conflict.differences] == [
        ("Name", "Theirs", "Mine"),
        ("Description", "(empty)", "Mine too"),
    ]


def test_version_field_bounds_match_the_database() -> None:
    field: Any = versioning.VersionField()
    assert (field.min_value, field.max_value) == (0, 2**31 - 1)


def test_the_conflict_names_records_and_ignores_line_endings(
    programme_a: Programme, org_a: Any, coordinator: Any
) -> None:
    programme_a.organisations.add(org_a)
    interview = StakeholderInterview.objects.create(
        programme=programme_a,
        interviewee="Sam Lee",
        role="CPO",
        held_on=dt.date(2027, 3, 1),
        problems="Ideas stop.\nNobody listens.",
        organisation=org_a,
    )
    attempt = InterviewForm(
        {
            "interviewee": "Sam Lee",
            "role": "CPO",
            "held_on": "2027-03-01",
            "problems": "Ideas stop.\r\nNobody listens.",
            "organisation": "",
            "version": "1",
        },
        instance=interview,
        programme=programme_a,
    )
    assert attempt.is_valid(), attempt.errors
    fresh = conflict_form(
        attempt,
        InterviewForm(
            instance=StakeholderInterview.objects.get(pk=interview.pk), programme=programme_a
        ),
        VersionConflict(2, "this interview"),
    )
    assert fresh.conflict is not None
    assert [(d.label, d.theirs, d.yours) for d in fresh.conflict.differences] == [
        ("Organisation", org_a.name, "(empty)"),
    ]
