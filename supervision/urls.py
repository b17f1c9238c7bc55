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
    path("supervision/urge/", views.urge, name="urge"),
    path("supervision/notes/add/", views.note_add, name="note_add"),
    path("supervision/accountability/<str:code>/", views.accountability, name="accountability"),
    path("supervision/hearings/<str:code>/", views.hearings, name="hearings"),
]
