from django.urls import path

from . import figure_views, hr_views, views

app_name = "evaluation"

P = "projects/<int:project_id>/"
E = P + "evaluation/"

urlpatterns = [
    path(P + "move-in/", views.move_in, name="move_in"),
    path(E, views.overview, name="overview"),
    path(E + "move-in/", views.move_in_correct, name="move_in_correct"),
    path(E + "freeze/", views.freeze, name="freeze"),
    path(E + "changes/new/", views.change_request_create, name="change_request_create"),
    path(E + "changes/<int:change_request_id>/approve/", views.change_request_approve, name="change_request_approve"),
    path(E + "plan/", views.plan, name="plan"),
    path(E + "follow-up/", views.follow_up, name="follow_up"),
    path(E + "results/new/", views.result_edit, name="result_create"),
    path(E + "results/<int:result_id>/", views.result_edit, name="result_edit"),
    path(E + "figures/new/", views.figure_create, name="figure_create"),
    path(E + "figures/import/<slug:what>/", figure_views.figure_import, name="figure_import"),
    path("figures/templates/<slug:what>.<slug:fmt>", figure_views.figure_template, name="figure_template"),
    path(E + "complete/", views.complete, name="complete"),
    path(P + "measures/", views.measures, name="measures"),
    path(P + "measures/new/", views.measure_edit, name="measure_create"),
    path(P + "measures/<int:measure_id>/", views.measure_edit, name="measure_edit"),
    path(P + "measures/priorities/", views.measures_prioritise, name="measures_prioritise"),
    path(P + "measures/goals/new/", views.plan_goal_edit, name="plan_goal_create"),
    path(P + "measures/goals/<int:goal_id>/", views.plan_goal_edit, name="plan_goal_edit"),
    path(P + "measures/from-hazard/<int:hazard_id>/", views.measure_from_hazard, name="measure_from_hazard"),
    path("hr/", hr_views.hr, name="hr"),
    path("hr/export/<slug:what>.<slug:fmt>", hr_views.hr_export, name="hr_export"),
    path("hr/projects/<int:project_id>/", hr_views.hr_project, name="hr_project"),
    path("hr/projects/<int:project_id>/report/", hr_views.hr_report_request, name="hr_report_request"),
    path("hr/projects/<int:project_id>/report/status/", hr_views.hr_report_status, name="hr_report_status"),
    path(
        "hr/projects/<int:project_id>/report/<int:document_id>/retry/",
        hr_views.hr_report_retry,
        name="hr_report_retry",
    ),
    path(
        "hr/projects/<int:project_id>/report/<int:document_id>/", hr_views.hr_report_download, name="hr_report_download"
    ),
    path("hr/projects/<int:project_id>/sick-leave/", hr_views.hr_sick_leave, name="hr_sick_leave"),
    path(
        "hr/projects/<int:project_id>/figures/import/<slug:what>/",
        figure_views.hr_figure_import,
        name="hr_figure_import",
    ),
]
