from django.urls import path

from . import views

app_name = "phases"

urlpatterns = [
    path("projects/<int:project_id>/phases/", views.phases_overview, name="overview"),
    path("projects/<int:project_id>/phases/<int:phase_id>/complete/", views.phase_complete, name="complete"),
    path("projects/<int:project_id>/phases/<int:phase_id>/override/", views.phase_override, name="override"),
    path("projects/<int:project_id>/phases/<int:phase_id>/reopen/", views.phase_reopen, name="reopen"),
    path("projects/<int:project_id>/activities/<int:activity_id>/", views.activity_detail, name="activity"),
    path("projects/<int:project_id>/items/<int:item_id>/", views.item_detail, name="item"),
    path("projects/<int:project_id>/items/<int:item_id>/toggle/", views.item_toggle, name="item_toggle"),
    path("projects/<int:project_id>/items/<int:item_id>/plan/", views.item_plan, name="item_plan"),
    path(
        "projects/<int:project_id>/items/<int:item_id>/not-applicable/",
        views.item_not_applicable,
        name="item_na",
    ),
    path("projects/<int:project_id>/items/<int:item_id>/comments/", views.item_comment, name="item_comment"),
    path(
        "projects/<int:project_id>/items/<int:item_id>/attachments/",
        views.item_attachment,
        name="item_attachment",
    ),
    path(
        "projects/<int:project_id>/attachments/<int:attachment_id>/",
        views.attachment_download,
        name="attachment",
    ),
    path(
        "projects/<int:project_id>/attachments/<int:attachment_id>/remove/",
        views.attachment_remove,
        name="attachment_remove",
    ),
    path("process-templates/", views.template_list, name="templates"),
    path("process-templates/<int:template_id>/", views.template_detail, name="template"),
    path("process-templates/<int:template_id>/source/", views.template_source, name="template_source"),
]
