from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("timeline/", views.timeline, name="timeline"),
    path("risks/", views.risk_matrix, name="risks"),
    path("export.<str:fmt>", views.export, name="export"),
]
