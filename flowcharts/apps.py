from django.apps import AppConfig


class FlowchartsConfig(AppConfig):
    name = "flowcharts"
    verbose_name = "แผนผังกระบวนการงาน"
