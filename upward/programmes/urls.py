from django.urls import path

from .views import builder, cohorts, invitations, participant, readiness, screening, setup

app_name = "programmes"

urlpatterns = [
    path("", setup.index, name="index"),
    path("new/", setup.create, name="create"),
    path("mine/", participant.mine, name="mine"),
    path("invitation/<str:token>/", invitations.landing, name="invitation"),
    # Coordinators
    path("<slug:slug>/", setup.detail, name="detail"),
    path("<slug:slug>/edit/", setup.edit, name="edit"),
    path("<slug:slug>/objectives/", setup.objectives, name="objectives"),
    path("<slug:slug>/schedule/", setup.schedule, name="schedule"),
    path("<slug:slug>/policy/", setup.policy, name="policy"),
    path("<slug:slug>/review/", setup.review, name="review"),
    path("<slug:slug>/phase/", setup.phase, name="phase"),
    path("<slug:slug>/coordinators/", setup.coordinators, name="coordinators"),
    path(
        "<slug:slug>/coordinators/<int:grant_id>/remove/",
        setup.coordinator_remove,
        name="coordinator_remove",
    ),
    path("<slug:slug>/record/", setup.record, name="record"),
    path("<slug:slug>/readiness/", readiness.board, name="readiness"),
    path("<slug:slug>/readiness/items/new/", readiness.item_add, name="readiness_item_add"),
    path("<slug:slug>/readiness/items/<int:pk>/", readiness.item_edit, name="readiness_item"),
    path(
        "<slug:slug>/readiness/items/<int:pk>/remove/",
        readiness.item_remove,
        name="readiness_item_remove",
    ),
    path("<slug:slug>/readiness/override/", readiness.override, name="readiness_override"),
    path("<slug:slug>/readiness/interviews/new/", readiness.interview_new, name="interview_new"),
    path("<slug:slug>/readiness/interviews/<int:pk>/", readiness.interview_edit, name="interview"),
    path(
        "<slug:slug>/readiness/interviews/<int:pk>/delete/",
        readiness.interview_delete,
        name="interview_delete",
    ),
    path("<slug:slug>/open/", readiness.open_applications, name="open"),
    path("<slug:slug>/close/", readiness.close_applications, name="close"),
    path("<slug:slug>/deadline/", readiness.deadline, name="deadline"),
    path("<slug:slug>/open-call/", readiness.open_call, name="open_call"),
    path("<slug:slug>/cohorts/", cohorts.cohorts, name="cohorts"),
    path("<slug:slug>/cohorts/<int:pk>/", cohorts.cohort_edit, name="cohort"),
    path("<slug:slug>/cohorts/<int:pk>/delete/", cohorts.cohort_delete, name="cohort_delete"),
    path("<slug:slug>/invitations/", invitations.invitations, name="invitations"),
    path("<slug:slug>/invitations/new/", invitations.wave_new, name="wave_new"),
    path("<slug:slug>/invitations/remind/", invitations.remind, name="remind"),
    path("<slug:slug>/topics/", builder.topics, name="topics"),
    path("<slug:slug>/topics/<int:pk>/remove/", builder.topic_remove, name="topic_remove"),
    path("<slug:slug>/eligibility/", builder.eligibility, name="eligibility"),
    path("<slug:slug>/forms/<str:side>/", builder.form_page, name="form"),
    path("<slug:slug>/forms/<str:side>/preview/", builder.form_preview, name="form_preview"),
    path("<slug:slug>/forms/<str:side>/reset/", builder.form_reset, name="form_reset"),
    path("<slug:slug>/forms/<str:side>/questions/new/", builder.question_new, name="question_new"),
    path(
        "<slug:slug>/forms/<str:side>/questions/<int:pk>/", builder.question_edit, name="question"
    ),
    path(
        "<slug:slug>/forms/<str:side>/questions/<int:pk>/remove/",
        builder.question_remove,
        name="question_remove",
    ),
    path(
        "<slug:slug>/forms/<str:side>/questions/<int:pk>/move/",
        builder.question_move,
        name="question_move",
    ),
    path("<slug:slug>/applications/", screening.applications, name="applications"),
    path("<slug:slug>/applications/decide/", screening.decide, name="decide"),
    path("<slug:slug>/applications/<int:pk>/", screening.application_detail, name="application"),
    path(
        "<slug:slug>/applications/<int:pk>/sensitive/",
        screening.application_sensitive,
        name="application_sensitive",
    ),
    path(
        "<slug:slug>/applications/<int:pk>/override/",
        screening.application_override,
        name="application_override",
    ),
    # Participants
    path("<slug:slug>/apply/", participant.apply, name="apply"),
    path("<slug:slug>/apply/<str:side>/", participant.application_form, name="apply_side"),
    path("<slug:slug>/my-application/", participant.my_application, name="my_application"),
    path("<slug:slug>/my-application/withdraw/", participant.withdraw, name="withdraw"),
    path(
        "<slug:slug>/my-application/identity/<str:dimension>/stop/",
        participant.identity_stop,
        name="identity_stop",
    ),
]
