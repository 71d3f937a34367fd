from django.urls import path

from .views import coordinator, participant

app_name = "preparation"

PROGRAMME = "programmes/<slug:slug>/"

urlpatterns = [
    # Participants (and, for a pair's pages, the programme's coordinators)
    path("my-pair/", participant.mine, name="mine"),
    path("pairs/<int:pk>/", participant.pair_detail, name="pair"),
    path("pairs/<int:pk>/state/", participant.pair_state, name="pair_state"),
    path("pairs/<int:pk>/agreement/", participant.agreement, name="agreement"),
    path("pairs/<int:pk>/agreement/sign/", participant.agreement_sign, name="agreement_sign"),
    path(
        "pairs/<int:pk>/agreement/v<int:number>/",
        participant.agreement_version,
        name="agreement_version",
    ),
    path(
        "pairs/<int:pk>/agreement/v<int:number>.pdf",
        participant.agreement_download,
        name="agreement_pdf",
    ),
    path("my-training/", participant.training, name="training"),
    path("my-training/modules/<int:pk>/", participant.module, name="module"),
    path("training/modules/<int:pk>/file/", participant.attachment, name="attachment"),
    path("workshops/<int:pk>/sign-up/", participant.workshop_sign_up, name="workshop_sign_up"),
    path("workshops/<int:pk>/leave/", participant.workshop_leave, name="workshop_leave"),
    path("workshops/<int:pk>/invite.ics", participant.workshop_calendar, name="workshop_ics"),
    # Coordinators
    path(PROGRAMME + "pairs/", coordinator.board, name="board"),
    path(PROGRAMME + "pairs/<int:pk>/waive/", coordinator.waive, name="waive"),
    path(PROGRAMME + "training/", coordinator.training_admin, name="training_admin"),
    path(PROGRAMME + "training/defaults/", coordinator.defaults_add, name="defaults_add"),
    path(PROGRAMME + "training/reminders/", coordinator.reminders, name="reminders"),
    path(PROGRAMME + "training/tracks/<int:pk>/", coordinator.track, name="track"),
    path(PROGRAMME + "training/modules/<int:pk>/", coordinator.module_edit, name="module_edit"),
    path(PROGRAMME + "workshops/", coordinator.workshops, name="workshops"),
    path(PROGRAMME + "workshops/<int:pk>/", coordinator.workshop, name="workshop"),
    path(
        PROGRAMME + "workshops/<int:pk>/cancel/",
        coordinator.workshop_cancel,
        name="workshop_cancel",
    ),
    path(PROGRAMME + "workshops/<int:pk>/attendance/", coordinator.attendance, name="attendance"),
]
