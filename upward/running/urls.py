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
]
