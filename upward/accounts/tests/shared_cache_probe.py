"""Run by test_shared_cache in its own process, with the production settings:

shared_cache_probe.py setup SECRET  -> creates an account with that authenticator secret
shared_cache_probe.py use CODE      -> True if the code signs in, False if refused
shared_cache_probe.py fail N        -> N failed authenticator attempts: allowed or not each
"""

from __future__ import annotations

import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
django.setup()

from allauth.core import context, ratelimit  # noqa: E402
from allauth.mfa.models import Authenticator  # noqa: E402
from allauth.mfa.totp.internal.auth import TOTP  # noqa: E402
from django.conf import settings  # noqa: E402
from django.test import RequestFactory  # noqa: E402

from upward.accounts.models import User  # noqa: E402

EMAIL = "probe@upward.test"
command, argument = sys.argv[1], sys.argv[2]
print(settings.CACHES["default"]["BACKEND"])
if command == "setup":
    user = User.objects.create_user(email=EMAIL, password="a-long-probe-password-1")
    TOTP.activate(user, argument)
elif command == "use":
    # "-" uses the current code. Prints the code, whether it is valid now (the 30-second
    # window) and whether it signs in (valid and not used before).
    from allauth.mfa.adapter import get_adapter
    from allauth.mfa.totp.internal.auth import validate_totp_code

    from upward.core.demo import current_totp_code

    authenticator = Authenticator.objects.get(user__email=EMAIL, type=Authenticator.Type.TOTP)
    secret = get_adapter().decrypt(authenticator.data["secret"])
    code = current_totp_code(secret) if argument == "-" else argument
    valid = validate_totp_code(secret, code)
    print(code, valid, TOTP(authenticator).validate_code(code))
elif command == "fail":
    user = User.objects.get(email=EMAIL)
    request = RequestFactory().post("/accounts/2fa/authenticate/", REMOTE_ADDR="192.0.2.7")
    with context.request_context(request):
        print(
            " ".join(
                str(
                    ratelimit.consume(
                        request, action="login_failed", key=f"mfa-auth-user-{user.pk}"
                    )
                )
                for _ in range(int(argument))
            )
        )
