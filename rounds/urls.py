from django.urls import path

from rounds import views

app_name = "rounds"
urlpatterns = [
    path("", views.round_list, name="list"),
    path("new/", views.round_new, name="new"),
    path("<int:pk>/", views.round_detail, name="detail"),
    path("<int:pk>/opening/", views.round_opening, name="opening"),
    path("<int:pk>/compile/", views.round_compile, name="compile"),
    path("<int:pk>/approve/", views.batch_approval, name="approve"),
    path("<int:pk>/reports/", views.report_create, name="report_create"),
    path("<int:pk>/reports.xlsx", views.report_export, {"fmt": "xlsx"}, name="reports_xlsx"),
    path("<int:pk>/reports.pdf", views.report_export, {"fmt": "pdf"}, name="reports_pdf"),
    path("shared/<int:pk>/", views.shared_manual, name="shared"),
    path("shared/<int:pk>/comment/", views.shared_comment, name="shared_comment"),
    path("shared/<int:pk>/pdf/<int:agency_pk>/", views.adopter_pdf, name="adopter_pdf"),
    path(
        "shared/<int:pk>/local/<int:agency_pk>/",
        views.local_additions,
        name="local_additions",
    ),
    path("adopter-pdf/<int:export_pk>/", views.adopter_pdf_status, name="adopter_pdf_status"),
    path("adopter-pdf/<int:export_pk>/file/", views.adopter_pdf_file, name="adopter_pdf_file"),
]
