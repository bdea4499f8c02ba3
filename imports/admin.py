from django.contrib import admin

from imports.models import ImportRun, UnplacedText


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ("source_name", "source_kind", "status", "progress", "agency", "created_at")
    list_filter = ("status", "source_kind")
    readonly_fields = ("report",)


@admin.register(UnplacedText)
class UnplacedTextAdmin(admin.ModelAdmin):
    list_display = ("text", "source_location", "edition", "process")
    raw_id_fields = ("edition", "process")
