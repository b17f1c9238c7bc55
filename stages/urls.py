from django.urls import path

from stages import views

app_name = "stages"

urlpatterns = [
    path("stage1/", views.home, name="home"),
    # 学习教育
    path("study/units/<str:code>/", views.study_list, name="study_list"),
    path("study/units/<str:code>/add/", views.study_add, name="study_add"),
    path("study/<int:pk>/", views.study_detail, name="study_detail"),
    path("study/<int:pk>/edit/", views.study_edit, name="study_edit"),
    path("study/<int:pk>/history/", views.study_history, name="study_history"),
    # 征求意见
    path("opinions/units/<str:code>/", views.opinion_list, name="opinion_list"),
    path("opinions/units/<str:code>/add/", views.opinion_add, name="opinion_add"),
    path("opinions/units/<str:code>/import/", views.opinion_import, name="opinion_import"),
    path("opinions/units/<str:code>/export/", views.opinion_export, name="opinion_export"),
    path("opinions/units/<str:code>/sorting/", views.sorting_board, name="sorting"),
    path("opinions/units/<str:code>/sorting/run/", views.sorting_run, name="sorting_run"),
    path("opinions/units/<str:code>/sorting/singles/", views.sorting_singles, name="sorting_singles"),
    path("opinions/units/<str:code>/sorting/merge/", views.sorting_merge, name="sorting_merge"),
    path("opinions/units/<str:code>/sorting/create/", views.sorting_create, name="sorting_create"),
    path("opinions/units/<str:code>/groups/", views.group_list, name="group_list"),
    path("opinions/jobs/<int:pk>/", views.job_detail, name="job"),
    path("opinions/<int:pk>/", views.opinion_detail, name="opinion_detail"),
    path("opinions/<int:pk>/edit/", views.opinion_edit, name="opinion_edit"),
    path("opinions/<int:pk>/history/", views.opinion_history, name="opinion_history"),
    path("opinions/groups/<int:pk>/", views.group_detail, name="group_detail"),
    path("opinions/groups/<int:pk>/confirm/", views.group_confirm, name="group_confirm"),
    path("opinions/groups/<int:pk>/dissolve/", views.group_dissolve, name="group_dissolve"),
    path("opinions/groups/<int:pk>/split/", views.group_split, name="group_split"),
    path("opinions/groups/<int:pk>/claim/", views.group_claim, name="group_claim"),
    path("opinions/groups/<int:pk>/answer/", views.group_answer, name="group_answer"),
    path("opinions/groups/<int:pk>/publish/", views.group_publish, name="group_publish"),
    path("opinions/groups/<int:pk>/history/", views.group_history, name="group_history"),
    # 满意度测评
    path("surveys/units/<str:code>/", views.survey_list, name="survey_list"),
    path("surveys/units/<str:code>/add/", views.survey_add, name="survey_add"),
    path("surveys/<int:pk>/", views.survey_detail, name="survey_detail"),
    path("surveys/<int:pk>/edit/", views.survey_edit, name="survey_edit"),
    path("surveys/<int:pk>/open/", views.survey_open, name="survey_open"),
    path("surveys/<int:pk>/close/", views.survey_close, name="survey_close"),
    path("surveys/<int:pk>/tokens/", views.survey_tokens, name="survey_tokens"),
    path("surveys/<int:pk>/results/", views.survey_results, name="survey_results"),
    path("surveys/<int:pk>/export/", views.survey_export, name="survey_export"),
    path("surveys/<int:pk>/history/", views.survey_history, name="survey_history"),
    path("remediations/<int:pk>/", views.remediation_detail, name="remediation_detail"),
    path("remediations/<int:pk>/history/", views.remediation_history, name="remediation_history"),
    # Public pages: no account, CSRF-protected forms, rate-limited.
    path("public/units/<str:code>/opinions/", views.public_opinion, name="public_opinion"),
    path("public/opinions/receipt/", views.public_receipt, name="public_receipt"),
    path("public/surveys/r/<str:token>/", views.respondent_survey, name="respondent_survey"),
    path("public/surveys/<str:key>/", views.public_survey, name="public_survey"),
]
