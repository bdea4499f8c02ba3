from django.urls import path

from manuals import views

# The edition overview and history (manuals:edition, manuals:history) combine manuals and
# processes: processes serves them (processes.urls.edition_patterns, in the manuals namespace).
app_name = "manuals"
urlpatterns = [
    path("", views.home, name="home"),
    path("manuals/<slug:slug>/", views.manual, name="manual"),
    path("manuals/<slug:slug>/revision/", views.start_revision, name="start_revision"),
    path("editions/<int:pk>/text/<slug:section>/", views.section, name="section"),
    path("editions/<int:pk>/text/<slug:section>/edit/", views.section_edit, name="section_edit"),
]
