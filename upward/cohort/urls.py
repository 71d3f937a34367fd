from django.urls import path

from . import views

app_name = "cohort"

urlpatterns = [
    path("cohort/", views.spaces, name="spaces"),
    path("cohort/preferences/", views.preferences, name="preferences"),
    path("cohort/posts/<int:pk>/reply/", views.reply_add, name="reply"),
    path("cohort/posts/<int:pk>/report/", views.post_report, name="report"),
    path("cohort/posts/<int:pk>/hide/", views.post_hide, name="hide"),
    path("cohort/check-ins/<int:pk>/", views.checkin, name="checkin"),
    path("pairs/<int:pk>/messages/", views.pair_messages, name="messages"),
    path("pairs/<int:pk>/messages/send/", views.message_send, name="message_send"),
    path("programmes/<slug:slug>/cohort/", views.space, name="space"),
    path("programmes/<slug:slug>/cohort/posts/", views.post_add, name="post_add"),
    path("programmes/<slug:slug>/cohort/events/", views.events, name="events"),
    path(
        "programmes/<slug:slug>/cohort/events/<int:pk>/invite/",
        views.invite_all,
        name="invite_all",
    ),
]
