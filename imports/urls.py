from django.urls import path

from imports import views

app_name = "imports"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/status/", views.run_status, name="run_status"),
    path("unplaced/<int:pk>/delete/", views.unplaced_delete, name="unplaced_delete"),
    path("editions/<int:pk>/unplaced/", views.unplaced_list, name="unplaced_list"),
    path("editions/<int:pk>/unplaced/count/", views.unplaced_count, name="unplaced_count"),
    path("processes/<int:pk>/paste/preview/", views.paste_preview, name="paste_preview"),
    path("processes/<int:pk>/paste/add/", views.paste_add, name="paste_add"),
]
