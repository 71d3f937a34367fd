from django.urls import path

from . import roles, sync_views, views

app_name = "directory"

urlpatterns = [
    path("", views.organisations, name="organisations"),
    path("<slug:slug>/people/", views.people, name="people"),
    path("<slug:slug>/roles/", roles.roles, name="roles"),
    path("<slug:slug>/roles/<int:pk>/remove/", roles.remove, name="role_remove"),
    path("<slug:slug>/people/<int:pk>/", views.person_detail, name="person"),
    path("<slug:slug>/import/", views.import_upload, name="import_upload"),
    path("<slug:slug>/import/<int:pk>/", views.import_detail, name="import_detail"),
    path("<slug:slug>/import/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path(
        "programmes/<slug:programme_slug>/hris-flags/",
        sync_views.programme_flags,
        name="programme_flags",
    ),
    path("<slug:slug>/sync/", sync_views.sync_home, name="sync"),
    path("<slug:slug>/sync/settings/", sync_views.sync_settings, name="sync_settings"),
    path("<slug:slug>/sync/<int:pk>/", sync_views.sync_detail, name="sync_detail"),
    path("<slug:slug>/sync/<int:pk>/apply/", sync_views.sync_apply, name="sync_apply"),
    path("<slug:slug>/sync/<int:pk>/dismiss/", sync_views.sync_dismiss, name="sync_dismiss"),
]
