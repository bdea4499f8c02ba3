"""The whole-manual JSON format: one edition, every row of its content, lineage ids kept.

The tables are not listed by hand: every model that subclasses ``EditionContent`` (found in the
app registry) is a table of the file, so content added by a later app travels too. Rows point
at each other by lineage id (stable across editions and servers), never by database id.

File layout (format ``bma-manual-edition``, version 1; schema in ``interop/schema/``)::

    {"format": "bma-manual-edition", "version": 1, "exported_at": "…",
     "manual": {"slug", "title", "agency": {"name", "short_name", "kind", "parents": [...]}},
     "edition": {year_be, label, status, published_on, preface, …},
     "legal_references": [{"key": "L1", "kind", "title", "year_be", "amendment_note",
                           "spellings"}],
     "tables": {"processes.step": [{"lineage": "…", "position": 1, "process": "<lineage>",
                                    "lane": "<lineage>" | null, "forms": ["<lineage>", …], …}],
                …}}
"""

from __future__ import annotations

import datetime
import decimal
import json
import uuid
from functools import cache
from pathlib import Path

from django.apps import apps
from django.db import models

from core.models import EditionContent
from manuals.models import Agency, Edition, LegalReference

FORMAT_NAME = "bma-manual-edition"
FORMAT_VERSION = 1
SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / f"manual-v{FORMAT_VERSION}.schema.json"

# Edition fields that describe this server's copy, not the content: never in the file.
EDITION_LOCAL_FIELDS = frozenset(
    {"id", "manual", "based_on", "version", "created_at", "updated_at"}
)
# Row fields that are the row's own identity on this server.
ROW_LOCAL_FIELDS = frozenset({"id"})
LEGAL_FIELDS = ("kind", "title", "year_be", "amendment_note", "spellings")


# ----------------------------------------------------------------------------- the tables


@cache
def content_models() -> tuple[type[EditionContent], ...]:
    """Every edition content model, parents before the tables that point at them."""
    found = [
        model
        for model in apps.get_models()
        if issubclass(model, EditionContent) and not model._meta.abstract
    ]
    found.sort(key=lambda m: m._meta.label_lower)
    ordered: list = []
    visiting: set = set()

    def visit(model) -> None:
        if model in ordered:
            return
        if model in visiting:
            raise RuntimeError(f"edition tables point at each other in a cycle: {model}")
        visiting.add(model)
        for field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
            target = field.related_model if field.is_relation else None
            if target is not None and target is not model and target in found:
                visit(target)
        visiting.discard(model)
        ordered.append(model)

    for model in found:
        visit(model)
    return tuple(ordered)


def table_key(model) -> str:
    return model._meta.label_lower


def model_for_key(key: str):
    return next((m for m in content_models() if table_key(m) == key), None)


def row_fields(model) -> list[models.Field]:
    """The concrete fields of a row that the file carries (everything but the local id)."""
    return [f for f in model._meta.concrete_fields if f.name not in ROW_LOCAL_FIELDS]


def m2m_fields(model) -> list[models.ManyToManyField]:
    return list(model._meta.many_to_many)


def self_fk(model) -> models.ForeignKey | None:
    """The field that makes a tree of the table (Process.parent, Lane.unit)."""
    return next(
        (f for f in model._meta.concrete_fields if f.is_relation and f.related_model is model),
        None,
    )


def edition_fields() -> list[models.Field]:
    return [f for f in Edition._meta.concrete_fields if f.name not in EDITION_LOCAL_FIELDS]


def relation_kind(field: models.Field) -> str:
    """How a relation travels: to the edition itself, a row (lineage), a law, or a local id."""
    target = field.related_model
    if target is Edition:
        return "edition"
    if target in content_models():
        return "row"
    if target is LegalReference:
        return "legal"
    return "local"


# ----------------------------------------------------------------------------- plain values


def encode_value(field: models.Field, value):
    """A model value as JSON (Decimal and dates as text so nothing is rounded or shifted)."""
    if value is None:
        return None
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def decode_value(field: models.Field, value):
    """The JSON value back to what the model field stores."""
    if value is None:
        return None
    if isinstance(field, models.JSONField):
        return value
    return field.to_python(value)


# ----------------------------------------------------------------------------- JSON schema


def _value_schema(field: models.Field) -> dict:
    if isinstance(field, models.BooleanField):
        kind: dict = {"type": "boolean"}
    elif isinstance(field, models.IntegerField):
        kind = {"type": "integer"}
    elif isinstance(field, models.DecimalField):
        kind = {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$"}
    elif isinstance(field, models.UUIDField):
        kind = {"type": "string", "format": "uuid", "pattern": "^[0-9a-fA-F-]{36}$"}
    elif isinstance(field, models.DateTimeField):
        kind = {"type": "string", "format": "date-time"}
    elif isinstance(field, models.DateField):
        kind = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    elif isinstance(field, models.JSONField):
        kind = {}
    else:
        kind = {"type": "string"}
        if getattr(field, "max_length", None):
            kind["maxLength"] = field.max_length
        if field.choices:
            kind["enum"] = [value for value, _label in field.flatchoices]
            if field.blank and "" not in kind["enum"]:
                kind["enum"].append("")
    if field.null and kind:
        kind = {"anyOf": [kind, {"type": "null"}]}
    return kind


def _relation_schema(field: models.Field) -> dict:
    kind = relation_kind(field)
    if kind == "row":
        one: dict = {"type": "string", "pattern": "^[0-9a-fA-F-]{36}$"}
    elif kind == "legal":
        one = {"type": "string", "minLength": 1}
    else:
        one = {"type": "integer"}
    return {"anyOf": [one, {"type": "null"}]} if field.null else one


def _row_schema(model) -> dict:
    properties: dict = {}
    for field in row_fields(model):
        if field.is_relation:
            if relation_kind(field) == "edition":
                continue  # the rows of a file all belong to its edition
            properties[field.name] = _relation_schema(field)
        else:
            properties[field.name] = _value_schema(field)
    for field in m2m_fields(model):
        properties[field.name] = {
            "type": "array",
            "items": {"type": "string", "pattern": "^[0-9a-fA-F-]{36}$"},
            "uniqueItems": True,
        }
    return {
        "type": "object",
        "properties": properties,
        "required": sorted(properties),
        "additionalProperties": False,
    }


def manual_json_schema() -> dict:
    """The JSON schema of the current format, built from the models (the repo keeps a copy)."""
    edition_properties = {f.name: _value_schema(f) for f in edition_fields()}
    legal_properties = {"key": {"type": "string", "minLength": 1}} | {
        name: _value_schema(LegalReference._meta.get_field(name)) for name in LEGAL_FIELDS
    }
    legal_properties["spellings"] = {"type": "array", "items": {"type": "string"}}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://bma-manuals.example/schema/manual-v{FORMAT_VERSION}.schema.json",
        "title": "BMA work manual edition (คู่มือการปฏิบัติงาน หนึ่งฉบับ)",
        "type": "object",
        "properties": {
            "format": {"const": FORMAT_NAME},
            "version": {"const": FORMAT_VERSION},
            "exported_at": {"type": "string"},
            "manual": {
                "type": "object",
                "properties": {
                    "slug": {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$", "maxLength": 80},
                    "title": {"type": "string", "maxLength": 200},
                    "agency": {
                        "type": "object",
                        "properties": {
                            "name": {"type": "string", "minLength": 1, "maxLength": 200},
                            "short_name": {"type": "string", "maxLength": 40},
                            "kind": _value_schema(Agency._meta.get_field("kind")),
                            "parents": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        "name": {"type": "string", "minLength": 1},
                                        "short_name": {"type": "string"},
                                        "kind": {"type": "string"},
                                    },
                                    "required": ["name", "short_name", "kind"],
                                    "additionalProperties": False,
                                },
                            },
                        },
                        "required": ["name", "short_name", "kind", "parents"],
                        "additionalProperties": False,
                    },
                },
                "required": ["slug", "title", "agency"],
                "additionalProperties": False,
            },
            "edition": {
                "type": "object",
                "properties": edition_properties,
                "required": sorted(edition_properties),
                "additionalProperties": False,
            },
            "legal_references": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": legal_properties,
                    "required": sorted(legal_properties),
                    "additionalProperties": False,
                },
            },
            "tables": {
                "type": "object",
                "properties": {
                    table_key(model): {"type": "array", "items": _row_schema(model)}
                    for model in content_models()
                },
                "required": [table_key(model) for model in content_models()],
                "additionalProperties": False,
            },
        },
        "required": ["format", "version", "manual", "edition", "legal_references", "tables"],
        "additionalProperties": False,
    }


def schema_text() -> str:
    return json.dumps(manual_json_schema(), ensure_ascii=False, indent=2) + "\n"


def stored_schema() -> dict:
    """The schema kept in the repo: what the importer checks files against."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
