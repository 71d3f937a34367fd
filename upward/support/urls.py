from django.urls import path

from . import views

app_name = "support"

urlpatterns = [
    path("support/", views.mine, name="mine"),
    path("support/concerns/new/", views.concern_raise, name="raise"),
    path("support/concerns/<int:pk>/", views.concern_detail, name="concern"),
    path("support/concerns/<int:pk>/reply/", views.concern_reply, name="reply"),
    path("support/concerns/<int:pk>/triage/", views.concern_triage, name="triage"),
    path("support/concerns/<int:pk>/close/", views.concern_close, name="close"),
    path("support/inbox/", views.inbox, name="inbox"),
    path("support/pulse/", views.pulse, name="pulse"),
    path("programmes/<slug:slug>/support/", views.programme, name="programme"),
    path("programmes/<slug:slug>/support/resources/", views.resources, name="resources"),
    path(
        "programmes/<slug:slug>/support/pairs/<int:pk>/rematch/",
        views.rematch,
        name="rematch",
    ),
    path(
        "programmes/<slug:slug>/support/resources/<int:pk>/",
        views.resource_edit,
        name="resource_edit",
    ),
]
