from django.urls import path

from materials.copycheck import views

# Included in materials/urls.py (namespace "materials").
urlpatterns = [
    path("materials/references/", views.reference_list, name="references"),
    path("materials/references/new/", views.reference_upload, name="reference_upload"),
    path("materials/references/<int:pk>/", views.reference_detail, name="reference"),
    path("materials/references/<int:pk>/withdraw/", views.reference_withdraw, name="reference_withdraw"),
    path("materials/references/<int:pk>/history/", views.reference_history, name="reference_history"),
]
