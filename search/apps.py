from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "ค้นหา"

    def ready(self) -> None:
        import search.permissions  # noqa: F401  (registers search.curate_library)
        from core.changes import on_edition_changed
        from search.index import index_on_change

        on_edition_changed(index_on_change)
