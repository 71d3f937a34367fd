"""Prints the row count of every table and a sample of decrypted private text, as JSON.

Run in a separate process against a restored database:
``python -m upward.core.tests.backup_probe`` (DATABASE_URL and the field keys from the env).
"""

from __future__ import annotations

import json
import os
from typing import Any


def sample_of_private_text(per_model: int = 3) -> dict[str, list[list[Any]]]:
    from django.apps import apps

    from upward.privacy.fields import EncryptedJSONField, EncryptedTextField

    sample: dict[str, list[list[Any]]] = {}
    for model in apps.get_models():
        names = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, EncryptedTextField | EncryptedJSONField)
        ]
        if not names:
            continue
        rows = model._default_manager.order_by("pk").values_list("pk", *names)[:per_model]
        sample[model._meta.label] = [list(row) for row in rows]
    return sample


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upward.settings")
    import django

    django.setup()
    from upward.core.backups import table_counts

    print(json.dumps({"counts": table_counts(), "sample": sample_of_private_text()}, default=str))


if __name__ == "__main__":
    main()
