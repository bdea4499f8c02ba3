from django.apps import AppConfig


class ManualsConfig(AppConfig):
    name = "manuals"
    verbose_name = "คู่มือการปฏิบัติงาน"

    def ready(self) -> None:
        from manuals import permissions  # noqa: F401  (registers the permission rules)
