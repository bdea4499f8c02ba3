from django.apps import AppConfig


class ProcessesConfig(AppConfig):
    name = "processes"
    verbose_name = "กระบวนการและขั้นตอน"

    def ready(self) -> None:
        from core.changes import on_edition_published
        from processes.services import legal_citations_freeze

        on_edition_published(legal_citations_freeze)
