from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "interop"
    verbose_name = "แลกเปลี่ยนข้อมูล (Word, BPMN, JSON)"
