from django.apps import apps

from core.models import EditionContent
from manuals.content import edition_tables


def test_every_content_model_of_every_app_is_a_table():
    concrete = {m for m in apps.get_models() if issubclass(m, EditionContent) and not m._meta.proxy}
    assert {t.model for t in edition_tables()} == concrete
    assert len(concrete) >= 13


def test_parents_come_before_the_rows_that_point_to_them():
    seen = set()
    for table in edition_tables():
        for target in table.fk_map.values():
            assert target is table.model or target in seen, (table.model, target)
        seen.add(table.model)


def test_links_between_content_rows_are_found_from_the_fields():
    by_name = {t.model._meta.label: t for t in edition_tables()}
    step = by_name["processes.Step"]
    assert step.path == "process__edition"
    assert set(step.fk_map) >= {"process", "lane"}
    assert set(step.m2m) == {"other_lanes", "forms"}
    assert by_name["processes.Flow"].fk_map.keys() >= {"source", "target"}
    assert by_name["manuals.Lane"].fk_map == {"unit": by_name["manuals.Lane"].model}
