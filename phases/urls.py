from django.urls import path

from . import views
from .workproducts import views as documents
from .workproducts.space import views as space

D = "projects/<int:project_id>/work-products/"

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
    path(D, documents.documents, name="documents"),
    path(D + "order/send/", documents.order_send, name="order_send"),
    path(D + "order/accept/", documents.order_accept, name="order_accept"),
    # The mapping's and the area programme's own pages, before the generic document patterns they would match.
    path(D + "mapping/proximity/", space.proximity_edit, name="proximity"),
    path(D + "mapping/studies/new/", space.study_edit, name="study_add"),
    path(D + "mapping/studies/<int:study_id>/", space.study_detail, name="study"),
    path(D + "mapping/studies/<int:study_id>/edit/", space.study_edit, name="study_edit"),
    path(D + "mapping/studies/<int:study_id>/delete/", space.study_delete, name="study_delete"),
    path(D + "mapping/studies/<int:study_id>/zones/new/", space.zone_edit, name="zone_add"),
    path(D + "mapping/studies/<int:study_id>/zones/<int:zone_id>/", space.zone_edit, name="zone_edit"),
    path(D + "mapping/studies/<int:study_id>/zones/<int:zone_id>/delete/", space.zone_delete, name="zone_delete"),
    path(D + "mapping/studies/<int:study_id>/round/", space.round_edit, name="study_round"),
    path(D + "mapping/studies/<int:study_id>/import/", space.study_import, name="study_import"),
    path(D + "mapping/studies/<int:study_id>/template.<slug:fmt>", space.study_template, name="study_template"),
    path(D + "area_programme/plans/new/", space.plan_add, name="plan_add"),
    path(D + "area_programme/plans/<int:plan_id>/", space.plan_download, name="plan"),
    path(D + "area_programme/plans/<int:plan_id>/remove/", space.plan_remove, name="plan_remove"),
    path(D + "<slug:kind>/", documents.document_detail, name="document"),
    path(D + "<slug:kind>/edit/", documents.document_edit, name="document_edit"),
    path(D + "<slug:kind>/state/", documents.document_state, name="document_state"),
    path(D + "<slug:kind>/<slug:section>/new/", documents.row_edit, name="row_add"),
    path(D + "<slug:kind>/<slug:section>/<int:row_id>/", documents.row_edit, name="row_edit"),
    path(D + "<slug:kind>/<slug:section>/<int:row_id>/delete/", documents.row_delete, name="row_delete"),
    path("ebe-services/", documents.order_services, name="order_services"),
    path("ebe-services/<int:service_id>/", documents.order_service_edit, name="order_service"),
    path("room-catalogue/", space.room_catalogue, name="room_catalogue"),
    path("room-catalogue/<int:room_type_id>/", space.room_type_edit, name="room_type"),
    path("room-catalogue/norms/<slug:kind>/", space.area_norm_edit, name="area_norm"),
    path("process-templates/", views.template_list, name="templates"),
    path("process-templates/<int:template_id>/", views.template_detail, name="template"),
    path("process-templates/<int:template_id>/source/", views.template_source, name="template_source"),
]
