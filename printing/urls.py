from django.urls import path

from printing import views

app_name = "printing"
urlpatterns = [
    path("editions/<int:pk>/export/", views.export, name="export"),
    path("exports/<int:pk>/", views.detail, name="detail"),
    path("exports/<int:pk>/status/", views.status, name="status"),
    path("exports/<int:pk>/download/", views.download, name="download"),
]
