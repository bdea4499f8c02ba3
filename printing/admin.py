from django.contrib import admin

from printing.models import PdfExport


@admin.register(PdfExport)
class PdfExportAdmin(admin.ModelAdmin):
    list_display = ("edition", "status", "stage", "page_count", "seconds", "created_at")
    list_filter = ("status",)
    list_select_related = ("edition__manual__agency",)
    readonly_fields = [f.name for f in PdfExport._meta.fields]

    def has_add_permission(self, request):
        return False
