from django.urls import path

from search import views

app_name = "search"
urlpatterns = [
    path("", views.search, name="search"),
    path("suggest/", views.suggest, name="suggest"),
    path("laws/", views.laws, name="laws"),
    path("laws/<int:pk>/", views.law, name="law"),
    path("laws/<int:pk>/merge/", views.law_merge, name="law_merge"),
    path("laws/<int:pk>/status/", views.law_mark, name="law_mark"),
    path("laws/<int:pk>/export/", views.law_export, name="law_export"),
    path("forms/", views.forms_library, name="forms"),
    path("lanes/", views.lanes_library, name="lanes"),
]
