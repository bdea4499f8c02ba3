from django.urls import path

from interop import views

app_name = "interop"
urlpatterns = [
    path("editions/<int:pk>/manual.docx", views.edition_docx, name="edition_docx"),
    path("editions/<int:pk>/manual.json", views.edition_json, name="edition_json"),
]
