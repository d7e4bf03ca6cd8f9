from django.urls import path

from . import views

app_name = "participation"

P = "projects/<int:project_id>/participation/"

urlpatterns = [
    path("approvals/", views.inbox, name="inbox"),
    path(P, views.plan, name="plan"),
    path(P + "steps/<int:step_id>/", views.step_detail, name="step"),
    path(P + "steps/<int:step_id>/sign/", views.step_sign, name="sign"),
    path(P + "steps/<int:step_id>/edit/", views.step_edit, name="step_edit"),
    path(P + "steps/<int:step_id>/send/", views.step_send, name="step_send"),
    path(P + "meetings/new/", views.meeting_create, name="meeting_create"),
    path(P + "meetings/<int:meeting_id>/", views.meeting_detail, name="meeting"),
    path(P + "meetings/<int:meeting_id>/edit/", views.meeting_edit, name="meeting_edit"),
    path(P + "meetings/<int:meeting_id>/files/", views.meeting_attachment, name="meeting_attachment"),
    path(P + "files/<int:file_id>/", views.meeting_file, name="meeting_file"),
    path(P + "files/<int:file_id>/remove/", views.meeting_file_remove, name="meeting_file_remove"),
]
