from django.urls import path

from manuals import views

app_name = "manuals"
urlpatterns = [
    path("", views.home, name="home"),
    path("manuals/<slug:slug>/", views.manual, name="manual"),
    path("manuals/<slug:slug>/revision/", views.start_revision, name="start_revision"),
    path("editions/<int:pk>/", views.edition_overview, name="edition"),
    path("editions/<int:pk>/history/", views.edition_history, name="history"),
    path("editions/<int:pk>/text/<slug:section>/", views.section, name="section"),
    path("editions/<int:pk>/text/<slug:section>/edit/", views.section_edit, name="section_edit"),
]
