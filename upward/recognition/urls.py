from django.urls import path

from . import views

app_name = "recognition"

urlpatterns = [
    path("programmes/<slug:slug>/recognition/", views.completion, name="completion"),
    path("programmes/<slug:slug>/recognition/rules/", views.rules, name="rules"),
    path("programmes/<slug:slug>/recognition/people/<int:pk>/grant/", views.grant, name="grant"),
    path(
        "programmes/<slug:slug>/recognition/people/<int:pk>/certificate/",
        views.issue,
        name="issue",
    ),
    path(
        "programmes/<slug:slug>/recognition/certificates/<int:pk>/revoke/",
        views.revoke,
        name="revoke",
    ),
    path("programmes/<slug:slug>/recognition/close/", views.close, name="close"),
    path("programmes/<slug:slug>/recognition/list/", views.recognition_list, name="list"),
    path("programmes/<slug:slug>/stories/", views.stories_published, name="published"),
    path("recognition/", views.sponsor_index, name="index"),
    path("certificates/", views.mine, name="mine"),
    path("certificates/<int:pk>/pdf/", views.certificate_download, name="certificate_pdf"),
    path("certificates/<int:pk>/listing/", views.listing, name="listing"),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:code>/", views.verify_code, name="verify_code"),
    path("pairs/<int:pk>/stories/", views.pair_stories, name="pair_stories"),
    path("stories/<int:pk>/", views.story, name="story"),
    path("stories/<int:pk>/consent/", views.story_consent, name="story_consent"),
    path("stories/<int:pk>/withdraw/", views.story_withdraw, name="story_withdraw"),
]
