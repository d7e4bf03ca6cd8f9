from django.urls import path

from . import views

D = "projects/<int:project_id>/work-products/"

app_name = "space"

# Included before workproducts.urls: these pages would match its generic `<slug:kind>/<slug:section>/…` patterns.
urlpatterns = [
    path(D + "mapping/proximity/", views.proximity_edit, name="proximity"),
    path(D + "mapping/studies/new/", views.study_edit, name="study_add"),
    path(D + "mapping/studies/<int:study_id>/", views.study_detail, name="study"),
    path(D + "mapping/studies/<int:study_id>/edit/", views.study_edit, name="study_edit"),
    path(D + "mapping/studies/<int:study_id>/delete/", views.study_delete, name="study_delete"),
    path(D + "mapping/studies/<int:study_id>/zones/new/", views.zone_edit, name="zone_add"),
    path(D + "mapping/studies/<int:study_id>/zones/<int:zone_id>/", views.zone_edit, name="zone_edit"),
    path(D + "mapping/studies/<int:study_id>/zones/<int:zone_id>/delete/", views.zone_delete, name="zone_delete"),
    path(D + "mapping/studies/<int:study_id>/round/", views.round_edit, name="study_round"),
    path(D + "mapping/studies/<int:study_id>/import/", views.study_import, name="study_import"),
    path(D + "mapping/studies/<int:study_id>/template.<slug:fmt>", views.study_template, name="study_template"),
    path(D + "area_programme/plans/new/", views.plan_add, name="plan_add"),
    path(D + "area_programme/plans/<int:plan_id>/", views.plan_download, name="plan"),
    path(D + "area_programme/plans/<int:plan_id>/remove/", views.plan_remove, name="plan_remove"),
    path("room-catalogue/", views.room_catalogue, name="room_catalogue"),
    path("room-catalogue/<int:room_type_id>/", views.room_type_edit, name="room_type"),
    path("room-catalogue/norms/<slug:kind>/", views.area_norm_edit, name="area_norm"),
]
