from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("my-data/", views.my_data, name="my_data"),
    path("my-data/download/", views.my_data_download, name="my_data_download"),
    path("audit/", views.audit, name="audit"),
    path("requests/", views.requests, name="requests"),
    path("people/<int:pk>/", views.person_requests, name="person"),
    path("people/<int:pk>/export/", views.person_export, name="person_export"),
    path("people/<int:pk>/erase/", views.person_erase, name="person_erase"),
]
