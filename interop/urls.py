from django.urls import path

from interop import views

app_name = "interop"
urlpatterns = [
    path("editions/<int:pk>/manual.docx", views.edition_docx, name="edition_docx"),
    path("editions/<int:pk>/docx/export/", views.docx_export, name="docx_export"),
    path("docx/<int:pk>/", views.docx_detail, name="docx_detail"),
    path("docx/<int:pk>/status/", views.docx_status, name="docx_status"),
    path("docx/<int:pk>/download/", views.docx_download, name="docx_download"),
    path("editions/<int:pk>/manual.json", views.edition_json, name="edition_json"),
    path("process/<int:pk>/chart.bpmn", views.process_bpmn_download, name="process_bpmn"),
    path("process/<int:pk>/import-bpmn/", views.process_bpmn_import, name="process_bpmn_import"),
    path("import/", views.manual_import_json, name="import_json"),
]
