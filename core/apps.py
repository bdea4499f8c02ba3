from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "ส่วนกลาง"

    def ready(self):
        from django.contrib import admin

        from core.admin_mixins import harden_admin_site

        # Every app's admin module is imported by now (django.contrib.admin comes first).
        harden_admin_site(admin.site)
