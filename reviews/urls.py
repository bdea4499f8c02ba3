from django.urls import path

from reviews import views

app_name = "reviews"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/", views.dashboard_export, name="dashboard_export"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read/", views.inbox_read, name="inbox_read_all"),
    path("inbox/<int:pk>/read/", views.inbox_read, name="inbox_read"),
    path("edition/<int:pk>/", views.edition_review, name="edition"),
    path("edition/<int:pk>/panel/", views.panel, name="panel"),
    path("edition/<int:pk>/submit/", views.submit, name="submit"),
    path("edition/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("edition/<int:pk>/request-changes/", views.request_changes, name="request_changes"),
    path("edition/<int:pk>/approve/", views.approve, name="approve"),
    path("edition/<int:pk>/compare/", views.compare, name="compare"),
    path("edition/<int:pk>/compare.pdf", views.compare_pdf, name="compare_pdf"),
    path("manual/<int:pk>/new-revision/", views.new_revision, name="new_revision"),
    path(
        "comments/<str:kind>/<int:pk>/",
        views.comments,
        name="comments",
    ),
    path("comments/<str:kind>/<int:pk>/add/", views.comment_add, name="comment_add"),
    path(
        "comment/<int:pk>/reply/",
        views.comment_action,
        {"action": "reply"},
        name="comment_reply",
    ),
    path(
        "comment/<int:pk>/resolve/",
        views.comment_action,
        {"action": "resolve"},
        name="comment_resolve",
    ),
    path(
        "comment/<int:pk>/reopen/",
        views.comment_action,
        {"action": "reopen"},
        name="comment_reopen",
    ),
]
