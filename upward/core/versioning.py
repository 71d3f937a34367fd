"""Optimistic locking for shared records: no edit silently undoes someone else's.

A record that several people edit carries a ``version`` (``Versioned``). Whoever edits it says
which version they saw; the write happens only if that is still the version in the database,
and it moves the version on by one in the same statement. A stale write raises
``VersionConflict``: the API answers 409, a page shows the current values beside the person's
attempt. Nothing is changed either way.

- ``save_versioned(instance, expected_version=..., fields=[...])``: one ``UPDATE … WHERE pk=…
  AND version=…`` writing the fields and ``version = version + 1``.
- ``claim_version(instance, expected_version=...)``: the same check and bump alone, for an edit
  that also writes other rows (choices of a many-to-many, child records). Call it first inside
  ``transaction.atomic()``: the row stays locked until the transaction ends, and a later
  failure rolls the bump back.
- ``VersionedForm``: a form mixin with the hidden version field; ``conflict_form`` builds the
  page's answer to a stale write.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from django import forms
from django.db import connections, models, router, transaction
from django.db.models import F

# A version is a positive 32-bit integer; a bigger one is a bad request, not a server error.
MAX_VERSION = 2**31 - 1


class Versioned(models.Model):
    """A record several people edit: every edit names the version it started from."""

    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Goes up by one with every edit; an edit made from an older version is refused.",
    )

    class Meta:
        abstract = True


class VersionConflict(Exception):
    """Someone else saved the record since the editor read it (HTTP 409); nothing was changed."""

    def __init__(self, current: int, what: str = "this record", message: str = "") -> None:
        self.current = current
        self.what = what
        super().__init__(
            message
            or f"Someone else saved {what} after you opened it, so your change was not saved. "
            f"It is now at version {current}: look at their change and make yours again."
        )


def _label(instance: models.Model) -> str:
    return f"this {instance._meta.verbose_name}"


def _require_atomic(instance: models.Model) -> None:
    alias = router.db_for_write(type(instance), instance=instance)
    if not connections[alias].in_atomic_block:
        raise RuntimeError("A versioned write must run inside transaction.atomic().")


def _conflict(instance: models.Model, what: str | None) -> VersionConflict:
    current = (
        type(instance)
        ._base_manager.filter(pk=instance.pk)
        .values_list("version", flat=True)
        .first()
    )
    return VersionConflict(current if current is not None else 0, what or _label(instance))


def save_versioned(
    instance: Versioned,
    *,
    expected_version: int,
    fields: Iterable[str],
    what: str | None = None,
) -> None:
    """Write ``fields`` of ``instance`` only if the stored version is ``expected_version``.

    Fields with ``auto_now`` (an ``updated_at``) are written too. On success ``instance.version``
    is the new version; on a stale version ``VersionConflict`` is raised and nothing is written.
    """
    names = set(fields)
    refused = (names - {f.name for f in instance._meta.concrete_fields}) | (names & {"version"})
    if refused:
        raise ValueError(f"Not fields that an edit can write: {sorted(refused)}.")
    values: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in names or getattr(field, "auto_now", False):
            # pre_save gives auto_now fields their time and returns each field's value.
            values[field.attname] = field.pre_save(instance, False)
    with transaction.atomic(using=router.db_for_write(type(instance), instance=instance)):
        updated = (
            type(instance)
            ._base_manager.filter(pk=instance.pk, version=expected_version)
            .update(version=F("version") + 1, **values)
        )
        if updated != 1:
            raise _conflict(instance, what)
    instance.version = expected_version + 1


def claim_version(instance: Versioned, *, expected_version: int, what: str | None = None) -> None:
    """Move the record on by one version if it is still at ``expected_version``, else raise.

    Call first inside ``transaction.atomic()``, then make the edit's other writes.
    """
    _require_atomic(instance)
    updated = (
        type(instance)
        ._base_manager.filter(pk=instance.pk, version=expected_version)
        .update(version=F("version") + 1)
    )
    if updated != 1:
        raise _conflict(instance, what)
    instance.version = expected_version + 1


# --- forms ----------------------------------------------------------------------------------


class VersionField(forms.IntegerField):
    """The hidden version a page was rendered from."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_VERSION)
        kwargs.setdefault(
            "error_messages",
            {
                "required": "Reload the page: the version of the record you saw is missing.",
                "invalid": "Reload the page: the version of the record you saw is not valid.",
                "min_value": "Reload the page: the version of the record you saw is not valid.",
                "max_value": "Reload the page: the version of the record you saw is not valid.",
            },
        )
        super().__init__(**kwargs)


class VersionedForm(forms.BaseForm):
    """Mixin for a form that edits a shared record: it carries the version the person saw.

    Pass ``version=`` (a model form editing a saved instance takes the instance's). A form that
    creates a record has no version field.
    """

    conflict: Conflict | None = None

    def __init__(self, *args: Any, version: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if version is None and instance is not None and instance.pk is not None:
            version = instance.version
        if version is not None:
            self.fields["version"] = VersionField()
            self.initial["version"] = version

    def clean(self) -> dict[str, Any]:
        # The version field is hidden, so a problem with it is told above the form.
        problems = self.errors.pop("version", None)
        cleaned = super().clean() or {}
        if problems:
            self.add_error(None, problems)
        return cleaned

    @property
    def expected_version(self) -> int:
        """The version the person saw (after ``is_valid()``)."""
        return int(self.cleaned_data["version"])


@dataclass(frozen=True)
class Difference:
    label: str
    theirs: str
    yours: str


@dataclass(frozen=True)
class Conflict:
    message: str
    differences: list[Difference]


def _shown(field: forms.Field, value: Any) -> str:
    if isinstance(field, forms.BooleanField):
        return "Yes" if value else "No"
    if value is None or value == "" or value == []:
        return "(empty)"
    if isinstance(value, models.QuerySet):
        value = list(value)
    # A model form's initial value is a primary key: show the record's name instead.
    queryset = field.queryset if isinstance(field, forms.ModelChoiceField) else None
    if queryset is not None and isinstance(field, forms.ModelMultipleChoiceField):
        value = list(queryset.filter(pk__in=[getattr(v, "pk", v) for v in value]))
    elif queryset is not None and not isinstance(value, models.Model):
        value = queryset.filter(pk=value).first() or value
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        labels = {str(k): str(v) for k, v in cast(Iterable[tuple[Any, Any]], field.choices)}
        if isinstance(value, list | tuple):
            return ", ".join(labels.get(str(v), str(v)) for v in value) or "(empty)"
        return labels.get(str(value), str(value))
    if isinstance(value, list | tuple):
        return ", ".join(sorted(str(v) for v in value)) or "(empty)"
    return str(value)


def _comparable(field: forms.Field, value: Any) -> Any:
    if isinstance(field, forms.BooleanField):
        return bool(value)
    if isinstance(value, models.QuerySet):
        value = list(value)
    if isinstance(value, list | tuple | set):
        return sorted(str(getattr(v, "pk", v)) for v in value)
    if isinstance(value, models.Model):
        return str(value.pk)
    if value is None:
        return ""
    # Browsers send line breaks as CRLF; the saved text has LF.
    return str(value).replace("\r\n", "\n").strip()


FormT = TypeVar("FormT", bound="VersionedForm")


def conflict_form(attempt: VersionedForm, fresh: FormT, error: VersionConflict) -> FormT:
    """``fresh`` (an unbound form of the current values and version) told about the conflict.

    ``attempt`` is the person's validated form; the differences list each field where what
    they sent differs from what is saved now, so nothing they typed is lost.
    """
    differences = []
    for name, field in fresh.fields.items():
        if name == "version" or name not in attempt.cleaned_data:
            continue
        yours = attempt.cleaned_data[name]
        theirs = fresh.get_initial_for_field(field, name)
        if _comparable(field, yours) != _comparable(field, theirs):
            differences.append(
                Difference(
                    label=str(field.label or name),
                    theirs=_shown(field, theirs),
                    yours=_shown(field, yours),
                )
            )
    fresh.conflict = Conflict(message=str(error), differences=differences)
    return fresh
