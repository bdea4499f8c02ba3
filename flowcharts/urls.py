from django.urls import path

from . import views

app_name = "flowcharts"
urlpatterns = [
    path("process/<int:pk>/", views.process_page, name="process_page"),
    path("process/<int:pk>/svg/", views.process_svg, name="process_svg"),
    path("process/<int:pk>/png/", views.process_png, name="process_png"),
    path("legend/", views.legend_svg, name="legend_svg"),
    path("editions/<int:edition_pk>/lanes/", views.lane_set, name="lane_set"),
]
