"""Pages of the campaign calendar, the units' stage states, gates and 回头看 (namespace ``campaign``)."""

from django.urls import path

from campaign import dashboard_views, views

app_name = "campaign"

urlpatterns = [
    path("dashboard/", dashboard_views.dashboard_home, name="dashboard_home"),
    path("dashboard/<str:code>/", dashboard_views.dashboard_page, name="dashboard"),
    path("dashboard/<str:code>/export.xlsx", dashboard_views.dashboard_export, name="dashboard_export"),
    path("campaigns/<int:pk>/gates/", views.gates_page, name="gates"),
    path("campaign/lookbacks/<int:pk>/close/", views.lookback_close, name="lookback_close"),
    path("campaign/lookbacks/<int:pk>/history/", views.lookback_history, name="lookback_history"),
    path("campaign/overrides/<int:pk>/history/", views.override_history, name="override_history"),
    path("campaign/<str:code>/stages/", views.stages_overview, name="stages"),
    path("campaign/<str:code>/stages/open/", views.campaign_open_view, name="open"),
    path("campaign/<str:code>/stages/advance/", views.advance_view, name="advance"),
    path("campaign/<str:code>/stages/history/", views.unit_stage_history, name="stage_history"),
    path("campaign/<str:code>/calendar/", views.calendar_edit, name="calendar_edit"),
    path("campaign/<str:code>/calendar/history/", views.calendar_history, name="calendar_history"),
    path("campaign/<str:code>/windows/", views.override_edit, name="override_edit"),
    path("campaign/<str:code>/lookbacks/add/", views.lookback_add, name="lookback_add"),
]
