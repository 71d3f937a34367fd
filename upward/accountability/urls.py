from django.urls import path

from . import views

app_name = "accountability"

urlpatterns = [
    path("ideas/", views.hub, name="hub"),
    path("programmes/<slug:slug>/ideas/", views.sessions, name="sessions"),
    path("programmes/<slug:slug>/ideas/open/", views.session_open, name="session_open"),
    path("idea-sessions/<int:pk>/", views.session, name="session"),
    path("idea-sessions/<int:pk>/ideas/", views.idea_submit, name="idea_submit"),
    path("idea-sessions/<int:pk>/group/", views.group, name="group"),
    path("ideas/<int:pk>/vote/", views.vote, name="vote"),
    path("ideas/<int:pk>/unvote/", views.unvote, name="unvote"),
    path("ideas/<int:pk>/adopt/", views.adopt, name="adopt"),
    path("commitments/", views.mine, name="mine"),
    path("commitments/<int:pk>/", views.commitment, name="commitment"),
    path("commitments/<int:pk>/update/", views.commitment_update, name="commitment_update"),
    path("commitments/<int:pk>/edit/", views.commitment_edit, name="commitment_edit"),
    path("programmes/<slug:slug>/accountability/", views.programme_page, name="programme"),
    path("sponsorship/", views.nominations, name="nominations"),
    path("pairs/<int:pk>/nominate/", views.nominate, name="nominate"),
    path("nominations/<int:pk>/answer/", views.answer, name="answer"),
    path("nominations/<int:pk>/outcome/", views.outcome, name="outcome"),
]
