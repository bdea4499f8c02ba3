from django.apps import AppConfig
from django.contrib.auth.apps import AuthConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class CoreConfig(AppConfig):
    # This module holds three configs (and imports two more); without ``default`` Django would
    # fall back to a bare AppConfig for "core" and ``ready`` below would never run.
    default = True
    name = "core"
    verbose_name = "ส่วนกลาง"

    def ready(self):
        from django.contrib import admin

        from core.admin_mixins import harden_admin_site

        # Every app's admin module is imported by now (django.contrib.admin comes first).
        harden_admin_site(admin.site)


class UsersConfig(AuthConfig):
    """Django's users and groups, titled as such in the admin (Django's Thai catalogue calls
    the section "การตรวจสอบและอนุมัติ", the name of our review app)."""

    default = False
    verbose_name = _("ผู้ใช้และกลุ่มผู้ใช้")


class TasksConfig(TasksAppConfig):
    """The background tasks (PDF exports), titled in the user's language in the admin."""

    default = False
    verbose_name = _("งานเบื้องหลัง (การสร้างไฟล์ PDF)")
