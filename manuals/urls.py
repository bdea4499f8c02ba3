from django.urls import path

from manuals import views

app_name = "manuals"
urlpatterns = [
    path("", views.home, name="home"),
]
