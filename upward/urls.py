from django.contrib import admin
from django.urls import include, path, register_converter

from upward.api import api
from upward.core import views as core_views
from upward.core.api_base import AnyRestConverter, api_not_found

register_converter(AnyRestConverter, "anyrest")
admin.site.site_header = "Upward administration"
admin.site.site_title = "Upward admin"

urlpatterns = [
    path("", core_views.dashboard, name="home"),
    path("", include("upward.core.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("upward.sso.urls")),
    path("organisations/", include("upward.directory.urls")),
    path("", include("upward.matches.urls")),
    path("programmes/", include("upward.programmes.urls")),
    path("consent/", include("upward.consent.urls")),
    path("privacy/", include("upward.privacy.urls")),
    path("", include("upward.preparation.urls")),
    path("", include("upward.support.urls")),
    path("", include("upward.evidence.urls")),
    path("", include("upward.integrations.urls")),
    path("", include("upward.cohort.urls")),
    path("", include("upward.recognition.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("api/v1/<anyrest:rest>", api_not_found, name="api-not-found"),
    path("", include("upward.running.urls")),
    path("", include("upward.accountability.urls")),
]

handler500 = "upward.core.views.server_error"
