from django.urls import path

from units import views

app_name = "units"

urlpatterns = [
    path("units/", views.browse, name="browse"),
    path("units/import/", views.import_page, name="import"),
    path("units/<str:code>/", views.unit_detail, name="detail"),
    path("units/<str:code>/children/", views.children_fragment, name="children"),
    path("units/<str:code>/history/", views.unit_history, name="history"),
    path("units/<str:code>/edit/", views.unit_edit, name="edit"),
    path("units/<str:code>/add-child/", views.unit_add_child, name="add_child"),
    path("units/<str:code>/posts/add/", views.post_add, name="post_add"),
    path("units/<str:code>/export/", views.export, name="export"),
    path("posts/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("posts/<int:pk>/end/", views.post_end, name="post_end"),
    path("posts/<int:pk>/history/", views.post_history, name="post_history"),
    path("people/add/", views.person_add, name="person_add"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/history/", views.person_history, name="person_history"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization"),
    path("organizations/<int:pk>/history/", views.organization_history, name="organization_history"),
    path("public/units/<str:code>/", views.public_unit, name="public"),
]
