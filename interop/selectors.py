"""Reads for exports: the whole-manual JSON of an edition."""

from __future__ import annotations

from django.utils import timezone

from interop.manual_json import (
    FORMAT_NAME,
    FORMAT_VERSION,
    LEGAL_FIELDS,
    content_models,
    edition_fields,
    encode_value,
    m2m_fields,
    relation_kind,
    row_fields,
    self_fk,
    table_key,
)
from manuals.models import Agency, Edition, LegalReference


def _agency_json(agency: Agency) -> dict:
    parents, node = [], agency.parent
    while node is not None:
        parents.insert(0, {"name": node.name, "short_name": node.short_name, "kind": node.kind})
        node = node.parent
    return {
        "name": agency.name,
        "short_name": agency.short_name,
        "kind": agency.kind,
        "parents": parents,
    }


def _rows_in_file_order(model, rows: list) -> list:
    """Rows by id, except that a tree (Process.parent) lists parents before children."""
    tree = self_fk(model)
    if tree is None:
        return rows
    by_pk = {row.pk: row for row in rows}

    def depth(row) -> int:
        count, node, seen = 0, row, set()
        while getattr(node, tree.attname) is not None and node.pk not in seen:
            seen.add(node.pk)
            node = by_pk[getattr(node, tree.attname)]
            count += 1
        return count

    return sorted(rows, key=lambda row: (depth(row), row.pk))


def edition_export_json(*, edition: Edition) -> dict:
    """Every row of the edition as the versioned JSON document (``interop/manual_json.py``).

    One query per table and per many-to-many field, whatever the size of the manual.
    """
    edition = Edition.objects.select_related("manual__agency").get(pk=edition.pk)
    lineage_of: dict = {}  # model -> {pk: lineage}
    rows_of: dict = {}
    for model in content_models():
        rows = list(model.objects.filter(**{model.edition_path: edition}).order_by("pk"))
        rows_of[model] = _rows_in_file_order(model, rows)
        lineage_of[model] = {row.pk: str(row.lineage) for row in rows}

    legal_ids: set[int] = set()
    for model, rows in rows_of.items():
        for field in row_fields(model):
            if field.is_relation and relation_kind(field) == "legal":
                legal_ids.update(getattr(row, field.attname) for row in rows)
    legal_ids.discard(None)
    # Keys by title order, not by id, so the same edition gives the same file on any server.
    laws = list(LegalReference.objects.filter(pk__in=legal_ids).order_by("title", "year_be", "pk"))
    legal_key = {law.pk: f"L{index}" for index, law in enumerate(laws, start=1)}

    tables: dict = {}
    for model, rows in rows_of.items():
        links: dict = {}
        for field in m2m_fields(model):
            through = field.remote_field.through
            source_col = field.m2m_field_name() + "_id"
            target_col = field.m2m_reverse_field_name() + "_id"
            pairs = through.objects.filter(**{f"{source_col}__in": lineage_of[model]}).values_list(
                source_col, target_col
            )
            target_lineage = lineage_of[field.related_model]
            per_row: dict = {}
            for source, target in pairs:
                per_row.setdefault(source, []).append(target_lineage[target])
            links[field.name] = per_row
        out = []
        for row in rows:
            item: dict = {}
            for field in row_fields(model):
                value = getattr(row, field.attname)
                if not field.is_relation:
                    item[field.name] = encode_value(field, value)
                    continue
                kind = relation_kind(field)
                if kind == "edition":
                    continue
                if value is None:
                    item[field.name] = None
                elif kind == "row":
                    item[field.name] = lineage_of[field.related_model].get(value)
                elif kind == "legal":
                    item[field.name] = legal_key[value]
                else:
                    item[field.name] = value
            for name, per_row in links.items():
                item[name] = sorted(per_row.get(row.pk, []))
            out.append(item)
        tables[table_key(model)] = out

    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "manual": {
            "slug": edition.manual.slug,
            "title": edition.manual.title,
            "agency": _agency_json(edition.manual.agency),
        },
        "edition": {
            field.name: encode_value(field, getattr(edition, field.attname))
            for field in edition_fields()
        },
        "legal_references": [
            {"key": legal_key[law.pk]}
            | {name: encode_value(None, getattr(law, name)) for name in LEGAL_FIELDS}
            for law in laws
        ],
        "tables": tables,
    }
