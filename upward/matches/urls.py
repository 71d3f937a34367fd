from django.urls import path

from .views import followup, proposals, review, runs

app_name = "matches"

RUN = "programmes/<slug:slug>/matching/runs/<int:number>/"

urlpatterns = [
    # Coordinators
    path("programmes/<slug:slug>/matching/", runs.matching, name="matching"),
    path("programmes/<slug:slug>/matching/start/", runs.start, name="start"),
    path("programmes/<slug:slug>/matching/compare/", runs.compare, name="compare"),
    path("programmes/<slug:slug>/matching/rematch/", runs.rematch, name="rematch"),
    path(
        "programmes/<slug:slug>/matching/exclusions/<int:pk>/remove/",
        runs.exclusion_remove,
        name="exclusion_remove",
    ),
    path(RUN, runs.run_detail, name="run"),
    path(RUN + "cancel/", runs.cancel, name="cancel"),
    path(RUN + "rerun/", runs.rerun, name="rerun"),
    path(RUN + "weights/", runs.weights, name="weights"),
    path(RUN + "lock/", review.lock, name="lock"),
    path(RUN + "unlock/", review.unlock, name="unlock"),
    path(RUN + "exclude/", review.exclude, name="exclude"),
    path(RUN + "manual/", review.manual, name="manual"),
    path(RUN + "leaders/<int:leader_id>/change/", review.change, name="change"),
    path(RUN + "publish/", review.publish, name="publish"),
    path("programmes/<slug:slug>/matching/proposals/", followup.proposals, name="proposals"),
    path(
        "programmes/<slug:slug>/matching/proposals/<int:pk>/remind/",
        followup.remind,
        name="remind",
    ),
    # Participants
    path("my-match/", proposals.mine, name="mine"),
    path("my-match/<int:pk>/", proposals.proposal, name="proposal"),
    path("my-match/<int:pk>/accept/", proposals.accept, name="accept"),
    path("my-match/<int:pk>/decline/", proposals.decline, name="decline"),
]
