from django.urls import path

from materials import meeting_views, views
from materials.copycheck.urls import urlpatterns as copycheck_urlpatterns

app_name = "materials"

urlpatterns = [
    path("materials/", views.my_materials, name="mine"),
    path("materials/start/", views.material_start, name="start"),
    path("materials/under/<str:code>/", views.office_overview, name="under"),
    path("materials/<int:pk>/", views.material_detail, name="detail"),
    path("materials/<int:pk>/edit/", views.material_edit, name="edit"),
    path("materials/<int:pk>/docx/", views.material_upload_docx, name="docx"),
    path("materials/<int:pk>/submit/", views.material_submit, name="submit"),
    path("materials/<int:pk>/versions/<int:number>/", views.material_version, name="version"),
    path("materials/<int:pk>/compare/", views.material_compare, name="compare"),
    path("materials/<int:pk>/steps/<int:step_id>/act/", views.step_act, name="act"),
    path("materials/<int:pk>/steps/<int:step_id>/reassign/", views.step_reassign, name="reassign"),
    path("materials/<int:pk>/publish/", views.material_publish, name="publish"),
    path("materials/<int:pk>/export.docx", views.material_export, name="export"),
    path("materials/<int:pk>/history/", views.material_history, name="history"),
    path("reviews/inbox/", views.inbox, name="inbox"),
    *copycheck_urlpatterns,  # 雷同检测: the reference corpus
]

# 谈心谈话, 拟批评意见, 专题民主生活会 / 组织生活会, 通报会, 专题报告 (materials/meeting_views.py).
urlpatterns += [
    path("talks/", meeting_views.talks_mine, name="talks_mine"),
    path("talks/unit/<str:code>/", meeting_views.talks_unit, name="talks"),
    path("talks/<int:pk>/", meeting_views.talk_detail, name="talk"),
    path("talks/<int:pk>/edit/", meeting_views.talk_edit, name="talk_edit"),
    path("talks/<int:pk>/confirm/", meeting_views.talk_confirm, name="talk_confirm"),
    path("talks/<int:pk>/history/", meeting_views.talk_history, name="talk_history"),
    path("criticisms/unit/<str:code>/", meeting_views.criticisms_unit, name="criticisms"),
    path("criticisms/<int:pk>/", meeting_views.criticism_list_detail, name="criticism_list"),
    path("criticisms/<int:pk>/edit/", meeting_views.criticism_list_edit, name="criticism_edit"),
    path(
        "criticisms/<int:pk>/steps/<int:step_id>/act/", meeting_views.criticism_list_act, name="criticism_act"
    ),
    path("criticisms/<int:pk>/history/", meeting_views.criticism_list_history, name="criticism_history"),
    path("meetings/unit/<str:code>/", meeting_views.meeting_unit, name="meeting_unit"),
    path("meetings/unit/<str:code>/start/", meeting_views.meeting_start, name="meeting_start"),
    path("meetings/under/<str:code>/", meeting_views.meetings_under, name="meetings_under"),
    path("meetings/reports/under/<str:code>/", meeting_views.reports_under, name="reports_under"),
    path("meetings/steps/<int:step_id>/reassign/", meeting_views.step_reassign, name="meeting_step_reassign"),
    path("meetings/briefings/<int:pk>/result/", meeting_views.briefing_result, name="briefing_result"),
    path("meetings/briefings/<int:pk>/survey/", meeting_views.briefing_survey, name="briefing_survey"),
    path("meetings/<int:pk>/", meeting_views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/plan/", meeting_views.meeting_plan, name="meeting_plan"),
    path(
        "meetings/<int:pk>/steps/<int:step_id>/act/", meeting_views.meeting_plan_act, name="meeting_plan_act"
    ),
    path("meetings/<int:pk>/hold/", meeting_views.meeting_hold, name="meeting_hold"),
    path("meetings/<int:pk>/record/", meeting_views.meeting_record, name="meeting_record"),
    path("meetings/<int:pk>/evaluate/", meeting_views.meeting_evaluate, name="meeting_evaluate"),
    path("meetings/<int:pk>/rehold/", meeting_views.meeting_rehold, name="meeting_rehold"),
    path("meetings/<int:pk>/briefings/", meeting_views.briefing_add, name="briefing_add"),
    path("meetings/<int:pk>/report/", meeting_views.meeting_report, name="report"),
    path("meetings/<int:pk>/report/history/", meeting_views.report_history, name="report_history"),
    path("meetings/<int:pk>/history/", meeting_views.meeting_history, name="meeting_history"),
]
