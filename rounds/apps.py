from django.apps import AppConfig


class RoundsConfig(AppConfig):
    name = "rounds"
    verbose_name = "รอบการปรับปรุงคู่มือ"

    def ready(self) -> None:
        from rounds import permissions  # noqa: F401  (registers the permission rules)
