"""The data classification document matches the models: every field of every Upward model has a
level, a reader rule and a retention rule."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from upward.privacy import classification
from upward.privacy.rotation import encrypted_fields


def test_every_model_field_is_classified() -> None:
    found = classification.problems(classification.load())
    assert found == [], "docs/data-classification.toml is out of date:\n\n" + "\n\n".join(found)


def test_encrypted_fields_are_classified_as_sensitive() -> None:
    document = classification.load()
    for model, fields in encrypted_fields():
        if hasattr(model, "instance_type"):
            continue
        for field in fields:
            level = classification.classification_of(model._meta.label, field.name, document).level
            assert level in {"special-category", "confidential"}, (model._meta.label, field.name)


def test_a_missing_model_is_reported_with_the_entry_to_add(tmp_path: Path) -> None:
    document = classification.load()
    del document["models"]["directory.Person"]
    found = "\n".join(classification.problems(document))
    assert "directory.Person is not classified" in found
    assert '[models."directory.Person".fields]' in found
    assert 'employee_id = "personal"' in found


def test_missing_stale_and_wrong_fields_are_reported() -> None:
    document: dict[str, Any] = classification.load()
    fields = document["models"]["directory.Person"]["fields"]
    del fields["email"]
    fields["shoe_size"] = "personal"
    fields["name"] = "secret"
    found = "\n".join(classification.problems(document))
    assert 'directory.Person.email is not classified: add `email = "<level>"`' in found
    assert "directory.Person.shoe_size no longer exists" in found
    assert "directory.Person.name has level 'secret'" in found


def test_field_overrides_carry_their_own_rules() -> None:
    password = classification.classification_of("accounts.User", "password")
    assert password.level == "confidential"
    assert "never" in password.readers
    email = classification.classification_of("accounts.User", "email")
    assert email.level == "personal" and "erasure" in email.retention
