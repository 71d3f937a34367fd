from allauth import urls as allauth_urls
from django.contrib import admin
from django.urls import include, path, register_converter

from upward.api import api
from upward.core import views as core_views
from upward.core.api_base import AnyRestConverter, api_not_found
from upward.sso import oidc as sso_oidc
from upward.sso import views as sso_views

register_converter(AnyRestConverter, "anyrest")
# allauth's pages without its old "social/" addresses, which only redirect to "3rdparty/"
# (this site never published them).
_ALLAUTH_URLS = [p for p in allauth_urls.urlpatterns if not str(p.pattern).startswith("social/")]
admin.site.site_header = "Upward administration"
admin.site.site_title = "Upward admin"

urlpatterns = [
    path("", core_views.dashboard, name="home"),
    path("", include("upward.core.urls")),
    # Before allauth's own: a failed sign-in through an identity provider gets a plain page,
    # nobody is created by one (no sign-up page for such sign-ins), and an OpenID Connect id
    # token's signature is always checked (upward/sso/oidc.py).
    path("accounts/3rdparty/login/error/", sso_views.login_error, name="socialaccount_login_error"),
    path("accounts/3rdparty/signup/", sso_views.social_signup, name="socialaccount_signup"),
    path(
        "accounts/oidc/<str:provider_id>/login/callback/",
        sso_oidc.callback,
        name="openid_connect_callback",
    ),
    path(
        "accounts/saml/<str:organization_slug>/acs/finish/",
        sso_views.saml_finish_acs,
        name="saml_finish_acs",
    ),
    path("accounts/", include(_ALLAUTH_URLS)),
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
    path("", include("upward.notifications.urls")),
    path("", include("upward.cohort.urls")),
    path("", include("upward.recognition.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("api/v1/<anyrest:rest>", api_not_found, name="api-not-found"),
    path("", include("upward.running.urls")),
    path("", include("upward.accountability.urls")),
]

handler500 = "upward.core.views.server_error"
