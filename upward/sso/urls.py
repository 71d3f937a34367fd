from django.urls import path

from . import views

app_name = "sso"

urlpatterns = [
    path("sso/", views.start, name="start"),
    path("sso/<slug:slug>/", views.organisation, name="organisation"),
    path("organisations/<slug:slug>/sso/", views.settings_page, name="settings"),
]
