from django.urls import path

from . import public_views, views

app_name = "surveys"

P = "projects/<int:project_id>/surveys/"
S = P + "<slug:kind>/"

urlpatterns = [
    path(P, views.index, name="index"),
    path(S + "start/", views.survey_start, name="start"),
    path(S, views.survey_detail, name="detail"),
    path(S + "remind/", views.survey_remind, name="remind"),
    path(S + "close/", views.survey_close, name="close"),
    path(S + "export.csv", views.survey_export, name="export"),
    path(S + "to-evaluation/", views.results_transfer, name="transfer"),
    path(S + "measure/<slug:key>/", views.measure_from_question, name="measure"),
    path(P + "comment-rounds/new/", views.round_create, name="round_create"),
    path(P + "comment-rounds/<int:round_id>/", views.round_detail, name="round"),
    path(P + "comment-rounds/<int:round_id>/close/", views.round_close, name="round_close"),
    path(
        P + "comment-rounds/<int:round_id>/comments/<uuid:comment_id>/answer/",
        views.comment_answer,
        name="comment_answer",
    ),
    path("questionnaires/", views.questionnaires, name="questionnaires"),
    path("questionnaires/<int:questionnaire_id>.toml", views.questionnaire_source, name="questionnaire_source"),
    # The personal link (a survey, an open survey link or a comment round): no log-in; hidden in every log.
    path("answer/<str:token>/", public_views.answer, name="answer"),
]
