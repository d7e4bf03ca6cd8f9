from django.urls import path

from . import deputy_views, views

app_name = "projects"

urlpatterns = [
    path("", views.my_projects, name="mine"),
    path("new/", views.project_create, name="create"),
    path("<int:project_id>/", views.project_detail, name="detail"),
    path("<int:project_id>/edit/", views.project_edit, name="edit"),
    path("<int:project_id>/members/", views.members, name="members"),
    path("<int:project_id>/members/add/", views.member_add, name="member_add"),
    path("<int:project_id>/members/invite/", views.member_invite, name="member_invite"),
    path("<int:project_id>/members/<int:membership_id>/role/", views.member_change_role, name="member_role"),
    path("<int:project_id>/members/<int:membership_id>/remove/", views.member_remove, name="member_remove"),
    path("<int:project_id>/members/<int:membership_id>/deputy/", deputy_views.deputy, name="deputy"),
    path("<int:project_id>/deputies/<int:deputy_id>/end/", deputy_views.deputy_end, name="deputy_end"),
    path("<int:project_id>/history/", views.history, name="history"),
    path("<int:project_id>/documents/<slug:kind>/", views.document_list, name="documents"),
    path("<int:project_id>/documents/<slug:kind>/new/", views.document_request, name="document_request"),
    path("<int:project_id>/documents/file/<int:document_id>/", views.document_download, name="document"),
    path("<int:project_id>/documents/file/<int:document_id>/retry/", views.document_retry, name="document_retry"),
    path("<int:project_id>/imports/<int:import_id>/", views.file_import, name="file_import"),
    path("<int:project_id>/imports/<int:import_id>/retry/", views.file_import_retry, name="file_import_retry"),
]
