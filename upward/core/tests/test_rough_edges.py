"""The rough edges a newcomer meets: sentence case on the sign-in, password and two-factor
pages, no Django placeholder in a choice, htmx's inline indicator style turned off."""

from __future__ import annotations

from typing import Any

from django.test import Client


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_account_pages_speak_in_sentence_case(leader: Any) -> None:
    anonymous = Client()
    reset = anonymous.get("/accounts/password/reset/").content.decode()
    assert "Reset my password" in reset and "Reset My Password" not in reset
    assert "Password reset" in reset and "Password Reset" not in reset
    client = _client(leader)
    change = client.get("/accounts/password/change/").content.decode()
    assert "Change password" in change and "Change Password" not in change
    assert "Current password" in change and "Current Password" not in change
    mfa = client.get("/accounts/2fa/").content.decode()
    assert "Two-factor authentication" in mfa and "Two-Factor Authentication" not in mfa
    assert "Authenticator app" in mfa and "Authenticator App" not in mfa
    for html in (reset, change, mfa):
        assert 'class="site-header"' in html  # the site's own layout and stylesheet
        assert "---------" not in html


def test_htmx_adds_no_inline_style(leader: Any) -> None:
    html = _client(leader).get("/").content.decode()
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles":false}\'>' in html
