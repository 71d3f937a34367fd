"""Reading the data classification (docs/data-classification.toml) and checking it against the
models, so the document cannot drift from the code."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import models

LEVELS = ("public", "internal", "personal", "special-category", "confidential")
DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "data-classification.toml"


@dataclass(frozen=True)
class FieldClass:
    level: str
    readers: str
    retention: str


def load(path: Path = DOCUMENT) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def upward_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if model._meta.app_config is not None and model._meta.app_config.name.startswith("upward.")
    ]


def field_names(model: type[models.Model]) -> list[str]:
    return [f.name for f in (*model._meta.concrete_fields, *model._meta.local_many_to_many)]


def _level(entry: Any) -> str:
    return entry.get("level", "") if isinstance(entry, dict) else str(entry)


def problems(document: dict[str, Any]) -> list[str]:
    """Everything that does not match, each with what to do about it."""
    found: list[str] = []
    classified = document.get("models", {})
    history_fields = document.get("history", {}).get("fields", {})
    for model in upward_models():
        if hasattr(model, "instance_type"):  # a simple-history table
            source = model.instance_type._meta.label  # type: ignore[attr-defined]
            known = set(history_fields) | set(classified.get(source, {}).get("fields", {}))
            missing = [n for n in field_names(model) if n not in known]
            if missing:
                found.append(
                    f"{model._meta.label} (history of {source}) has unclassified fields "
                    f'{", ".join(missing)}: classify them under [models."{source}".fields] '
                    "or [history.fields]."
                )
            continue
        label = model._meta.label
        entry = classified.get(label)
        if entry is None:
            lines = "\n".join(f'{name} = "personal"' for name in field_names(model))
            found.append(
                f"{label} is not classified. Add to docs/data-classification.toml (choose each "
                f"level from {', '.join(LEVELS)}):\n"
                f'[models."{label}"]\nreaders = "who may read it"\n'
                f'retention = "how long it is kept"\n[models."{label}".fields]\n{lines}'
            )
            continue
        for key in ("readers", "retention"):
            if not str(entry.get(key, "")).strip():
                found.append(f'[models."{label}"] needs {key} = "...".')
        fields = entry.get("fields", {})
        for name in field_names(model):
            if name not in fields:
                found.append(
                    f'{label}.{name} is not classified: add `{name} = "<level>"` under '
                    f'[models."{label}".fields] (level: {", ".join(LEVELS)}).'
                )
            elif _level(fields[name]) not in LEVELS:
                found.append(
                    f"{label}.{name} has level {_level(fields[name])!r}; use one of "
                    f"{', '.join(LEVELS)}."
                )
        for name in sorted(set(fields) - set(field_names(model))):
            found.append(
                f'{label}.{name} no longer exists: remove it from [models."{label}".fields].'
            )
    for name, entry in history_fields.items():
        if _level(entry) not in LEVELS:
            found.append(f"[history.fields] {name} has level {_level(entry)!r}.")
    return found


def classification_of(label: str, field: str, document: dict[str, Any] | None = None) -> FieldClass:
    document = document or load()
    entry = document["models"][label]
    value = entry["fields"][field]
    if isinstance(value, dict):
        return FieldClass(
            value["level"],
            value.get("readers", entry["readers"]),
            value.get("retention", entry["retention"]),
        )
    return FieldClass(value, entry["readers"], entry["retention"])
