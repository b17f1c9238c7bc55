from django.urls import path

from materials import views
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
