from __future__ import annotations

from typing import Any

from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from upward.core.demo import current_totp_code


class Command(BaseCommand):
    help = "Print the current two-factor code of a demo account (local demo only)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo codes are available only with DEBUG on (local settings).")
        email = options["email"].lower()
        if not email.endswith("@" + settings.UPWARD_DEMO_DOMAIN):
            raise CommandError(
                f"Only demo accounts (@{settings.UPWARD_DEMO_DOMAIN}) have codes here."
            )
        authenticator = Authenticator.objects.filter(
            user__email=email, type=Authenticator.Type.TOTP
        ).first()
        if authenticator is None:
            raise CommandError(f"{email} has no authenticator. Run `upward demo` first.")
        secret = get_adapter().decrypt(authenticator.data["secret"])
        self.stdout.write(current_totp_code(secret))
