from __future__ import annotations

from typing import Any

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def admin_login(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """The admin site's sign-in is the site's own, which asks for the authenticator code.

    Django's admin form would give a session for a password alone, so it is never shown:
    visitors are sent to the site's sign-in, and come back to the admin page they wanted.
    Someone already signed in without access to the admin site is refused (sending them to
    sign in again would loop).
    """
    if request.user.is_authenticated:
        raise PermissionDenied("Your account has no access to the administration site.")
    wanted = request.GET.get(REDIRECT_FIELD_NAME) or request.POST.get(REDIRECT_FIELD_NAME, "")
    if not url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        wanted = ""
    return redirect_to_login(wanted or reverse("admin:index"), login_url=reverse("account_login"))
