from django.urls import path

from . import views

app_name = "running"

urlpatterns = [
    path("meetings/", views.mine, name="mine"),
    path("pairs/<int:pk>/meetings/", views.pair_meetings, name="pair"),
    path("pairs/<int:pk>/meetings/propose/", views.propose, name="propose"),
    path("meetings/<int:pk>/pick/", views.pick, name="pick"),
    path("meetings/<int:pk>/move/", views.move, name="move"),
    path("meetings/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("meetings/<int:pk>/outcome/", views.outcome, name="outcome"),
    path("meetings/<int:pk>/invite.ics", views.meeting_calendar, name="meeting_ics"),
    path("calendar/<str:token>/meetings.ics", views.feed, name="feed"),
    path("meetings/feed/reset/", views.feed_reset, name="feed_reset"),
    path("programmes/<slug:slug>/running/", views.board, name="board"),
    path(
        "programmes/<slug:slug>/running/pairs/<int:pk>/rematch/",
        views.rematch,
        name="rematch",
    ),
    path("programmes/<slug:slug>/running/settings/", views.settings_page, name="settings"),
    path("pairs/<int:pk>/notes/", views.notes, name="notes"),
    path("pairs/<int:pk>/notes/add/", views.note_add, name="note_add"),
    path("notes/<int:pk>/", views.note_edit, name="note_edit"),
    path("pairs/<int:pk>/reflections/", views.reflection_add, name="reflection_add"),
    path("reflections/<int:pk>/delete/", views.reflection_delete, name="reflection_delete"),
    path("pairs/<int:pk>/goals/", views.goals, name="goals"),
    path("pairs/<int:pk>/goals/add/", views.goal_add, name="goal_add"),
    path("goals/<int:pk>/progress/", views.goal_progress, name="goal_progress"),
    path("check-ins/<int:pk>/", views.checkin, name="checkin"),
    path("meetings/reminders/", views.nudges, name="nudges"),
]
