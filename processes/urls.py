from django.urls import path

from processes import views

app_name = "processes"
urlpatterns = [
    path("editions/<int:edition_pk>/table1/", views.table1, name="table1"),
    path("editions/<int:edition_pk>/list/<slug:kind>/", views.edition_list, name="edition_list"),
    path("editions/<int:edition_pk>/lanes/merge/", views.lane_merge, name="lane_merge"),
    path("rows/<slug:kind>/new/<int:parent_pk>/", views.row_create, name="row_create"),
    path("rows/<slug:kind>/<int:pk>/", views.row_view, name="row_view"),
    path("rows/<slug:kind>/<int:pk>/edit/", views.row_edit, name="row_edit"),
    path("rows/<slug:kind>/<int:pk>/delete/", views.row_delete, name="row_delete"),
    path("rows/<slug:kind>/<int:pk>/move/", views.row_move, name="row_move"),
    path("missions/<int:mission_pk>/processes/new/", views.process_create, name="process_create"),
    path("processes/<int:pk>/", views.process_editor, name="editor"),
    path("processes/<int:pk>/edit/", views.process_edit, name="process_edit"),
    path("processes/<int:pk>/move/", views.process_move, name="process_move"),
    path("processes/<int:pk>/delete/", views.process_delete, name="process_delete"),
    path("processes/<int:pk>/history/", views.process_history, name="history"),
    path("processes/<int:pk>/preview/", views.preview, name="preview"),
    path("processes/<int:pk>/steps/", views.step_table, name="step_table"),
    path("processes/<int:pk>/steps/new/", views.step_new, name="step_new"),
    path("processes/<int:pk>/legal/search/", views.legal_search, name="legal_search"),
    path("processes/<int:pk>/legal/add/", views.legal_add, name="legal_add"),
    path("processes/<int:pk>/legal/new/", views.legal_new, name="legal_new"),
    path("steps/<int:pk>/", views.step_row, name="step_row"),
    path("steps/<int:pk>/edit/", views.step_edit, name="step_edit"),
    path("steps/<int:pk>/delete/", views.step_delete, name="step_delete"),
    path("steps/<int:pk>/move/", views.step_move, name="step_move"),
    path("steps/<int:pk>/flows/new/", views.flow_add, name="flow_add"),
    path("flows/<int:pk>/delete/", views.flow_delete, name="flow_delete"),
    path("durations/check/", views.duration_check, name="duration_check"),
]

# The edition's own pages that show manuals and processes together. They keep their names in
# the manuals namespace (manuals:edition, manuals:history): config.urls includes them there.
edition_patterns = [
    path("editions/<int:pk>/", views.edition_overview, name="edition"),
    path("editions/<int:pk>/history/", views.edition_history, name="history"),
]
