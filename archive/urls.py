from django.urls import path

from . import views

app_name = "archive"

urlpatterns = [
    path("archive/", views.archive_settings, name="settings"),
    path("archive/<int:archiving_id>/resend/", views.archiving_resend, name="resend"),
    path(
        "projects/<int:project_id>/documents/file/<int:document_id>/archive/",
        views.document_send,
        name="send",
    ),
]
