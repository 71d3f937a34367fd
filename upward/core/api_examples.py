"""Examples in the OpenAPI document: every schema, body and parameter shows a value that fits.

``document_examples`` is a schema hook (``UpwardAPI.schema_hooks``). It gives every component
schema an ``example`` built field by field: the value a table of field names gives (``name``,
``email``, ``starts_on``, ``status`` ...), when that value fits the field's type, format, enum
and bounds, else a value made from the type and format alone. References are followed, so a
schema added later gets an example without an entry here. The few schemas whose generated
example would mislead (the error body) are written out in ``BY_HAND``. Inline response schemas
(a list of objects) get an example too, and every path and query parameter one.

The tables live in ``upward.core.api_example_values``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .api_example_values import (
    BY_HAND,
    BY_SCHEMA,
    DATE,
    DATE_TIME,
    FIELDS,
    ORGANISATION_SLUG,
    PARAMETERS,
    PATH_PARAMETERS,
    PROGRAMME_SLUG,
    VIEWS,
)

_MISSING = object()


def document_examples(schema: dict[str, Any]) -> None:
    """Give every component schema, JSON body, JSON response and parameter an example."""
    components = schema.get("components", {}).get("schemas", {})
    builder = _Builder(components)
    for name in components:
        components[name]["example"] = builder.component(name)
    for path, entries in schema.get("paths", {}).items():
        for operation in entries.values():
            for parameter in operation.get("parameters", []):
                if "example" not in parameter:
                    parameter["example"] = builder.parameter(path, parameter)
            bodies = [operation.get("requestBody", {}), *operation.get("responses", {}).values()]
            for body in bodies:
                for media_type, content in body.get("content", {}).items():
                    inline = content.get("schema")
                    if (
                        "json" in media_type
                        and isinstance(inline, dict)
                        and "$ref" not in inline
                        and "example" not in inline
                    ):
                        inline["example"] = builder.value(inline, "", "")


class _Builder:
    def __init__(self, components: dict[str, Any]) -> None:
        self.components = components
        self.done: dict[str, Any] = {}
        self.making: set[str] = set()

    def component(self, name: str) -> Any:
        if name in self.done:
            return self.done[name]
        schema = self.components[name]
        if name in BY_HAND:
            example = BY_HAND[name]
        elif "example" in schema:
            example = schema["example"]
        elif name in self.making:
            # A schema that holds itself: stop at an empty container.
            return [] if schema.get("type") == "array" else {}
        else:
            self.making.add(name)
            example = self.value(schema, "", name)
            self.making.discard(name)
        self.done[name] = example
        return example

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            schema = self.components[schema["$ref"].rsplit("/", 1)[-1]]
        return schema

    def parameter(self, path: str, parameter: dict[str, Any]) -> Any:
        name = parameter.get("name", "")
        schema = parameter.get("schema", {})
        if name == "slug":
            wanted: Any = (
                ORGANISATION_SLUG if path.split("{slug}")[0].endswith("/organisations/") else None
            )
            wanted = wanted or PROGRAMME_SLUG
        elif name.endswith("_id"):
            wanted = 1
        else:
            wanted = next(
                (value for part, key, value in PATH_PARAMETERS if key == name and part in path),
                PARAMETERS.get(name, _MISSING),
            )
        if wanted is not _MISSING and self.fits(wanted, schema):
            return wanted
        return self.value(schema, name, "")

    def curated(self, name: str, owner: str) -> Any:
        best = ""
        for start, fields in BY_SCHEMA.items():
            if owner.startswith(start) and name in fields and len(start) > len(best):
                best = start
        if best:
            return BY_SCHEMA[best][name]
        return FIELDS.get(name, _MISSING)

    def value(self, schema: dict[str, Any], name: str, owner: str) -> Any:
        if "$ref" in schema:
            example = self.component(schema["$ref"].rsplit("/", 1)[-1])
            if name in VIEWS and isinstance(example, dict):
                seen = {**example, **{k: v for k, v in VIEWS[name].items() if k in example}}
                return seen if self.fits(seen, schema) else example
            return example
        if "example" in schema:
            return schema["example"]
        if schema.get("examples"):
            return schema["examples"][0]
        if "const" in schema:
            return schema["const"]
        for keyword in ("anyOf", "oneOf"):
            if keyword in schema:
                wanted = self.curated(name, owner)
                if wanted is not _MISSING and self.fits(wanted, schema):
                    return wanted
                branches = [b for b in schema[keyword] if b.get("type") != "null"]
                return self.value(branches[0], name, owner) if branches else None
        if schema.get("allOf"):
            return self.value(schema["allOf"][0], name, owner)
        wanted = self.curated(name, owner)
        if wanted is not _MISSING and self.fits(wanted, schema):
            return wanted
        if "enum" in schema:
            return next((v for v in schema["enum"] if v not in ("", None)), schema["enum"][0])
        kind = schema.get("type")
        if isinstance(kind, list):
            # "type": ["string", "null"] in OpenAPI 3.1: the first type that is not null.
            kind = next((k for k in kind if k != "null"), "null")
            schema = {**schema, "type": kind}
        if kind == "object" or "properties" in schema:
            return self.object(schema, name, owner)
        if kind == "array":
            return self.array(schema, name, owner, wanted)
        if kind == "string":
            return self.string(schema, name)
        if kind in ("integer", "number"):
            return self.number(schema, name)
        if kind == "boolean":
            return bool(schema.get("default", True))
        if kind == "null":
            return None
        return self.phrase(name) if name else "Reverse Mentoring 2027"

    def object(self, schema: dict[str, Any], name: str, owner: str) -> dict[str, Any]:
        properties = schema.get("properties", {})
        if properties:
            example = {key: self.value(sub, key, owner) for key, sub in properties.items()}
            # A page of a list says how many items it holds.
            if isinstance(example.get("items"), list) and isinstance(example.get("count"), int):
                example["count"] = len(example["items"])
            return example
        extra = schema.get("additionalProperties")
        if not isinstance(extra, dict) or schema.get("maxProperties") == 0:
            return {}
        key = {"answers": "3", "identity": "ethnicity", "weights": "topics"}.get(name, "key")
        return {key: self.value(extra, key, owner)}

    def array(self, schema: dict[str, Any], name: str, owner: str, wanted: Any) -> list[Any]:
        items = schema.get("items", {})
        low = schema.get("minItems", 0)
        high = schema.get("maxItems")
        if high == 0:
            return []
        first = wanted[0] if isinstance(wanted, list) and wanted else _MISSING
        item = first if first is not _MISSING and self.fits(first, items) else None
        if item is None:
            item = self.value(items, name, owner)
        return [item] * max(1, low)

    def string(self, schema: dict[str, Any], name: str) -> str:
        form = schema.get("format")
        if form == "date" or name.endswith("_on"):
            text = DATE
        elif form == "date-time" or name.endswith("_at"):
            text = DATE_TIME
        elif form == "email" or "email" in name:
            text = "priya.sharma@example.org"
        elif form in ("uri", "url") or name.endswith("_url") or name == "url":
            text = "https://upward.example.org/"
        elif form == "uuid":
            text = "3f9a8c2e-71d4-4b6f-9e0a-5c1d2b7e4f80"
        elif form == "binary":
            text = ""
        else:
            text = self.phrase(name)
        if form in ("date", "date-time"):
            # Bounds on a date (``formatMinimum``/``formatMaximum``): ISO text compares in order.
            earliest, latest = schema.get("formatMinimum"), schema.get("formatMaximum")
            if earliest and text < earliest:
                text = earliest
            if latest and text > latest:
                text = latest
        high = schema.get("maxLength")
        low = schema.get("minLength", 0)
        if high is not None:
            text = text[:high]
        if len(text) < low:
            text = (text or "x") * (low // max(len(text), 1) + 1)
            text = text[: max(low, 1)]
        return text

    def number(self, schema: dict[str, Any], name: str) -> int | float:
        value: float = 1 if name == "id" or name.endswith("_id") else 3
        low = schema.get("minimum", schema.get("exclusiveMinimum"))
        high = schema.get("maximum", schema.get("exclusiveMaximum"))
        if low is not None and value <= low:
            value = low if "minimum" in schema else low + 1
        if high is not None and value >= high:
            value = high if "maximum" in schema else high - 1
        return int(value) if schema.get("type") == "integer" else float(value)

    @staticmethod
    def phrase(name: str) -> str:
        return name.replace("_", " ").strip().capitalize() or "Reverse Mentoring 2027"

    def fits(self, value: Any, schema: dict[str, Any]) -> bool:
        """Whether a value from the tables fits a schema: enough to choose, not a validator."""
        schema = self.resolve(schema)
        if "anyOf" in schema or "oneOf" in schema:
            return any(self.fits(value, b) for b in schema.get("anyOf", schema.get("oneOf", [])))
        if "enum" in schema and value not in schema["enum"]:
            return False
        if "const" in schema and value != schema["const"]:
            return False
        kind = schema.get("type")
        checks = {
            "null": value is None,
            "boolean": isinstance(value, bool),
            "integer": isinstance(value, int) and not isinstance(value, bool),
            "number": isinstance(value, int | float) and not isinstance(value, bool),
            "string": isinstance(value, str),
            "array": isinstance(value, list),
            "object": isinstance(value, dict),
        }
        kinds: list[str] = kind if isinstance(kind, list) else [str(kind)]
        if kind is not None and not any(checks.get(k, False) for k in kinds):
            return False
        if isinstance(value, str):
            return self._fits_string(value, schema)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return self._fits_number(value, schema)
        if isinstance(value, list):
            items = schema.get("items", {})
            return schema.get("minItems", 0) <= len(value) <= schema.get(
                "maxItems", len(value)
            ) and all(self.fits(item, items) for item in value)
        if isinstance(value, dict):
            return self._fits_object(value, schema)
        return True

    @staticmethod
    def _fits_string(value: str, schema: dict[str, Any]) -> bool:
        if not schema.get("minLength", 0) <= len(value) <= schema.get("maxLength", len(value)):
            return False
        if "pattern" in schema and not re.search(schema["pattern"], value):
            return False
        form = schema.get("format")
        try:
            if form == "date":
                day = dt.date.fromisoformat(value)
                low = schema.get("formatMinimum")
                high = schema.get("formatMaximum")
                return not (low and value < low) and not (high and value > high) and bool(day)
            if form == "date-time":
                return bool(dt.datetime.fromisoformat(value.replace("Z", "+00:00")).tzinfo)
        except ValueError:
            return False
        if form == "email":
            return bool(re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", value))
        return True

    @staticmethod
    def _fits_number(value: float, schema: dict[str, Any]) -> bool:
        return (
            schema.get("minimum", value) <= value <= schema.get("maximum", value)
            and ("exclusiveMinimum" not in schema or value > schema["exclusiveMinimum"])
            and ("exclusiveMaximum" not in schema or value < schema["exclusiveMaximum"])
        )

    def _fits_object(self, value: dict[str, Any], schema: dict[str, Any]) -> bool:
        properties = schema.get("properties", {})
        if any(key not in value for key in schema.get("required", [])):
            return False
        if len(value) > schema.get("maxProperties", len(value)):
            return False
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            if key in properties:
                if not self.fits(item, properties[key]):
                    return False
            elif extra is False or (isinstance(extra, dict) and not self.fits(item, extra)):
                return False
        return True
