"""Which tables hold an edition's content, found from the app registry.

Any app may add content to an edition by subclassing ``core.models.EditionContent``; the deep copy
of a revision, the lineage checks and the comparison of editions then cover it without this app
knowing it exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.db import models

from core.models import EditionContent


@dataclass(frozen=True)
class EditionTable:
    model: type[models.Model]
    # Query path from the model to its edition ("edition", "process__edition", ...).
    path: str
    # Foreign keys to other content rows: field name → the model it points to. They are remapped
    # to the copies when an edition is copied.
    fk_map: dict = field(default_factory=dict)
    # Many-to-many fields to other content rows (auto-created through tables).
    m2m: tuple = ()

    def __iter__(self):
        # Unpacks as (model, path, fk_map), the shape callers loop over.
        return iter((self.model, self.path, self.fk_map))


def _content_models() -> list[type[models.Model]]:
    return [
        m
        for m in apps.get_models()
        if issubclass(m, EditionContent) and not m._meta.proxy and not m._meta.abstract
    ]


def _table(model) -> EditionTable:
    fk_map = {
        f.name: f.related_model
        for f in model._meta.concrete_fields
        if f.many_to_one and issubclass(f.related_model, EditionContent)
    }
    m2m = tuple(
        f.name
        for f in model._meta.local_many_to_many
        if issubclass(f.related_model, EditionContent) and f.remote_field.through._meta.auto_created
    )
    return EditionTable(model=model, path=model.edition_path, fk_map=fk_map, m2m=m2m)


def edition_tables() -> list[EditionTable]:
    """Every content table, parents before the rows pointing to them, else in registry order."""
    tables = [_table(m) for m in _content_models()]
    done: list[EditionTable] = []
    placed: set = set()
    pending = list(tables)
    while pending:
        progress = False
        for table in list(pending):
            needs = {t for t in table.fk_map.values() if t is not table.model}
            if needs <= placed:
                done.append(table)
                placed.add(table.model)
                pending.remove(table)
                progress = True
        if not progress:  # a cycle between two content tables: the copy could not remap it
            names = ", ".join(t.model._meta.label for t in pending)
            raise RuntimeError(f"content tables point to each other in a cycle: {names}")
    return done
