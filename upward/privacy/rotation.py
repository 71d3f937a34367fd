"""Re-encrypt everything stored with an older key (``upward rotate-keys``).

Encrypted columns are found through the model registry: every field of every installed model
(history tables included) that is an ``EncryptedTextField`` or ``EncryptedJSONField``, plus
django-allauth's authenticator secrets. Rows are read and written in batches, each batch in one
transaction with its rows locked, so a value saved meanwhile is never overwritten with a stale
one. Values already under the newest key are left alone, so running it twice changes nothing
the second time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.db.models.functions import Cast

from . import crypto
from .fields import EncryptedJSONField, EncryptedTextField

ENCRYPTED_FIELD_CLASSES = (EncryptedTextField, EncryptedJSONField)

Progress = Callable[[str, int, int, int], None]  # label, done, total, rotated so far


@dataclass
class RotationResult:
    label: str
    checked: int = 0
    rotated: int = 0


def encrypted_fields() -> list[tuple[type[models.Model], list[models.Field[Any, Any]]]]:
    """Every concrete model with encrypted columns, and those columns."""
    found: list[tuple[type[models.Model], list[models.Field[Any, Any]]]] = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        fields: list[models.Field[Any, Any]] = [
            f for f in model._meta.concrete_fields if isinstance(f, ENCRYPTED_FIELD_CLASSES)
        ]
        if fields:
            found.append((model, fields))
    return found


def _batches(pks: list[Any], size: int) -> list[list[Any]]:
    return [pks[i : i + size] for i in range(0, len(pks), size)]


def rotate_model(
    model: type[models.Model],
    fields: list[models.Field[Any, Any]],
    *,
    batch_size: int = 500,
    progress: Progress | None = None,
) -> RotationResult:
    label = f"{model._meta.label}.{','.join(f.name for f in fields)}"
    result = RotationResult(label)
    manager = model._base_manager
    pks = list(manager.order_by("pk").values_list("pk", flat=True))
    raw_names = {f.attname: f"_raw_{f.attname}" for f in fields}
    for batch in _batches(pks, batch_size):
        with transaction.atomic():
            # Cast to plain text so the stored ciphertext is read, not decrypted.
            rows = (
                manager.select_for_update()
                .filter(pk__in=batch)
                .annotate(
                    **{
                        raw: Cast(attname, output_field=models.TextField())
                        for attname, raw in raw_names.items()
                    }
                )
                .values_list("pk", *raw_names.values())
            )
            for pk, *values in rows:
                changes = {}
                for (attname, _raw), stored in zip(raw_names.items(), values, strict=True):
                    if (
                        stored
                        and stored.startswith(crypto.PREFIX)
                        and crypto.needs_rotation(stored)
                    ):
                        changes[attname] = models.Value(
                            crypto.rotate(stored), output_field=models.TextField()
                        )
                if changes:
                    manager.filter(pk=pk).update(**changes)
                    result.rotated += 1
        result.checked += len(batch)
        if progress is not None:
            progress(label, result.checked, len(pks), result.rotated)
    return result


def _rotate_secret(value: Any) -> tuple[Any, bool]:
    if isinstance(value, list):
        out = [_rotate_secret(v) for v in value]
        return [v for v, _ in out], any(c for _, c in out)
    if not isinstance(value, str) or not value:
        return value, False
    if value.startswith(crypto.PREFIX):
        if crypto.needs_rotation(value):
            return crypto.rotate(value), True
        return value, False
    # A secret stored before encryption was switched on: encrypt it now.
    return crypto.encrypt(value), True


_AUTHENTICATOR_SECRET_KEYS = ("secret", "seed", "migrated_codes")


def rotate_authenticators(
    *, batch_size: int = 500, progress: Progress | None = None
) -> RotationResult:
    """Re-encrypt django-allauth's TOTP and recovery-code secrets."""
    from allauth.mfa.models import Authenticator

    label = "mfa.Authenticator.data"
    result = RotationResult(label)
    pks = list(Authenticator.objects.order_by("pk").values_list("pk", flat=True))
    for batch in _batches(pks, batch_size):
        with transaction.atomic():
            for authenticator in Authenticator.objects.select_for_update().filter(pk__in=batch):
                data = dict(authenticator.data)
                changed = False
                for key in _AUTHENTICATOR_SECRET_KEYS:
                    if key in data:
                        data[key], did = _rotate_secret(data[key])
                        changed = changed or did
                if changed:
                    Authenticator.objects.filter(pk=authenticator.pk).update(data=data)
                    result.rotated += 1
        result.checked += len(batch)
        if progress is not None:
            progress(label, result.checked, len(pks), result.rotated)
    return result


def encrypted_data_rotate(
    *, batch_size: int = 500, progress: Progress | None = None
) -> list[RotationResult]:
    """Re-encrypt every encrypted value with the newest key in FIELD_ENCRYPTION_KEYS."""
    if batch_size < 1:
        raise ValueError("The batch size must be at least 1.")
    results = [
        rotate_model(model, fields, batch_size=batch_size, progress=progress)
        for model, fields in encrypted_fields()
    ]
    results.append(rotate_authenticators(batch_size=batch_size, progress=progress))
    return results
