from django.urls import path

from . import views

app_name = "toolbox"

urlpatterns = [
    path("toolbox/", views.entry_list, name="list"),
    path("toolbox/new/", views.entry_edit, name="create"),
    path("toolbox/<int:entry_id>/edit/", views.entry_edit, name="edit"),
    path("toolbox/<int:entry_id>/delete/", views.entry_delete, name="delete"),
    path("toolbox/<int:entry_id>/file/", views.entry_file, name="file"),
]
