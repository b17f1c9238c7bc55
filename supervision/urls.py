from django.urls import path

from supervision import views

app_name = "supervision"

urlpatterns = [
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/unread.json", views.unread, name="unread"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification_open"),
    path("notifications/read-all/", views.notifications_read_all, name="read_all"),
    path("supervision/", views.workspace, name="workspace"),
    path("supervision/groups/<int:pk>/", views.group_workspace, name="group"),
    path("supervision/groups/<int:pk>/units/<str:code>/checklist/", views.unit_checklist, name="checklist"),
    path("supervision/groups/<int:pk>/units/<str:code>/evaluation/", views.evaluation, name="evaluation"),
    path(
        "supervision/groups/<int:pk>/units/<str:code>/evaluation/history/",
        views.evaluation_history,
        name="evaluation_history",
    ),
    path("supervision/groups/<int:pk>/evaluations/", views.evaluations, name="evaluations"),
    path("supervision/urge/", views.urge, name="urge"),
    path("supervision/notes/add/", views.note_add, name="note_add"),
    path("supervision/accountability/<str:code>/", views.accountability, name="accountability"),
    path("supervision/hearings/<str:code>/", views.hearings, name="hearings"),
    path("supervision/units/<str:code>/monthly-report/", views.monthly_report, name="monthly_report"),
]
