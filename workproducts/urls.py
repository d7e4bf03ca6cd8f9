from django.urls import path

from . import views

D = "projects/<int:project_id>/work-products/"

app_name = "workproducts"

urlpatterns = [
    path(D, views.work_product_list, name="list"),
    path(D + "order/send/", views.order_send, name="order_send"),
    path(D + "order/accept/", views.order_accept, name="order_accept"),
    path(D + "<slug:kind>/", views.work_product_detail, name="detail"),
    path(D + "<slug:kind>/edit/", views.work_product_edit, name="edit"),
    path(D + "<slug:kind>/state/", views.work_product_state, name="state"),
    path(D + "<slug:kind>/files/", views.file_add, name="file_add"),
    path(D + "<slug:kind>/files/<int:file_id>/", views.file_download, name="file"),
    path(D + "<slug:kind>/files/<int:file_id>/remove/", views.file_remove, name="file_remove"),
    path(D + "<slug:kind>/<slug:section>/new/", views.row_edit, name="row_add"),
    path(D + "<slug:kind>/<slug:section>/<int:row_id>/", views.row_edit, name="row_edit"),
    path(D + "<slug:kind>/<slug:section>/<int:row_id>/delete/", views.row_delete, name="row_delete"),
    path("ebe-services/", views.order_services, name="order_services"),
    path("ebe-services/<int:service_id>/", views.order_service_edit, name="order_service"),
]
