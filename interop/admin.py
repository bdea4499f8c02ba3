from django.contrib import admin

from interop.models import DocxExport


@admin.register(DocxExport)
class DocxExportAdmin(admin.ModelAdmin):
    list_display = ("edition", "status", "stage", "charts_total", "seconds", "created_at")
    list_filter = ("status",)
    list_select_related = ("edition__manual__agency",)
    readonly_fields = [f.name for f in DocxExport._meta.fields]

    def has_add_permission(self, request):
        return False
