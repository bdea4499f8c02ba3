from django.apps import AppConfig


class ManualsConfig(AppConfig):
    name = "manuals"
    verbose_name = "คู่มือการปฏิบัติงาน"
