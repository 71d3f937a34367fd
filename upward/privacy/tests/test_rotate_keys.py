"""``upward rotate-keys`` and encryption at rest: raw rows hold no plaintext; rotation
re-encrypts everything under the newest key, so the old key can be retired."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from upward.privacy import crypto
from upward.privacy.models import ErasureRecord
from upward.privacy.rotation import encrypted_fields

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()
SECRET_REASON = "Subject asked on 3 May; health condition disclosed in the request"


def raw_reason(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reason FROM privacy_erasurerecord WHERE id = %s", [pk])
        return str(cursor.fetchone()[0])


def make_record(org: Any) -> ErasureRecord:
    return ErasureRecord.objects.create(
        organisation=org, person_ref=1, reason=SECRET_REASON, summary={}
    )


def run_rotation(*args: str) -> str:
    out = StringIO()
    call_command("rotate_keys", *args, stdout=out)
    return out.getvalue()


def test_a_raw_row_holds_no_plaintext(org_a: Any, settings: Any) -> None:
    record = make_record(org_a)
    stored = raw_reason(record.pk)
    assert stored.startswith(crypto.PREFIX)
    assert "health" not in stored and "May" not in stored
    assert ErasureRecord.objects.get(pk=record.pk).reason == SECRET_REASON


def test_the_model_registry_finds_encrypted_fields() -> None:
    found = {model._meta.label: [f.name for f in fields] for model, fields in encrypted_fields()}
    assert found["privacy.ErasureRecord"] == ["reason"]


def test_rotation_re_encrypts_so_the_old_key_can_be_retired(org_a: Any, settings: Any) -> None:
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    records = [make_record(org_a) for _ in range(5)]
    before = {r.pk: raw_reason(r.pk) for r in records}

    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    output = run_rotation("--batch-size", "2")
    assert "privacy.ErasureRecord.reason: 2/5 checked" in output
    assert "privacy.ErasureRecord.reason: 5/5 checked, 5 re-encrypted" in output
    for record in records:
        assert raw_reason(record.pk) != before[record.pk]

    # Retire the old key: everything still reads.
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    assert [r.reason for r in ErasureRecord.objects.all()] == [SECRET_REASON] * 5

    # Idempotent: a second run re-encrypts nothing.
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    again = run_rotation()
    assert "privacy.ErasureRecord.reason: 5/5 checked, 0 re-encrypted" in again


def test_without_the_old_key_reading_fails_clearly(org_a: Any, settings: Any) -> None:
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    record = make_record(org_a)
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    with pytest.raises(ValueError, match="not in FIELD_ENCRYPTION_KEYS"):
        ErasureRecord.objects.get(pk=record.pk)
    with pytest.raises(CommandError, match="Add the old key after the new one"):
        run_rotation()


def test_bad_batch_size_is_refused(db: Any) -> None:
    with pytest.raises(CommandError, match="at least 1"):
        run_rotation("--batch-size", "0")


def test_a_malformed_key_is_reported(db: Any, settings: Any) -> None:
    settings.FIELD_ENCRYPTION_KEYS = ["not-a-key"]
    with pytest.raises(CommandError, match="not a Fernet key"):
        run_rotation()


def test_authenticator_secrets_are_encrypted_and_rotated(coordinator: Any, settings: Any) -> None:
    authenticator = Authenticator.objects.get(user=coordinator, type=Authenticator.Type.TOTP)
    stored = authenticator.data["secret"]
    assert stored.startswith(crypto.PREFIX)
    assert coordinator.totp_secret not in stored

    # A secret written before encryption was turned on is encrypted by the rotation.
    Authenticator.objects.filter(pk=authenticator.pk).update(
        data={"secret": coordinator.totp_secret}
    )
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, *settings.FIELD_ENCRYPTION_KEYS]
    output = run_rotation()
    assert "mfa.Authenticator.data: 1/1 checked, 1 re-encrypted" in output
    authenticator.refresh_from_db()
    assert authenticator.data["secret"].startswith(crypto.PREFIX)
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    assert crypto.decrypt(authenticator.data["secret"]) == coordinator.totp_secret
