from django.urls import path

from . import views

app_name = "lessons"

urlpatterns = [
    path("projects/<int:project_id>/lessons/", views.project_lessons, name="project"),
    path("projects/<int:project_id>/lessons/new/", views.lesson_create, name="create"),
    path("lessons/", views.lesson_register, name="register"),
    path("lessons/<int:lesson_id>/share/", views.lesson_share, name="share"),
]
