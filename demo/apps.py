from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data (seed 000 and the revision round): on top of every app it fills."""

    name = "demo"
    verbose_name = "ข้อมูลสาธิต"
