from django.urls import path

from . import views

app_name = "integrations"

urlpatterns = [
    path("integrations/tokens/", views.tokens, name="tokens"),
    path("integrations/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("organisations/<slug:slug>/webhooks/", views.webhooks, name="webhooks"),
    path("organisations/<slug:slug>/webhooks/<int:pk>/", views.webhook_log, name="webhook_log"),
    path(
        "organisations/<slug:slug>/webhooks/<int:pk>/remove/",
        views.webhook_remove,
        name="webhook_remove",
    ),
]
