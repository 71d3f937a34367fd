from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from upward.accounts.services import GrantRefused, role_grant, role_revoke
from upward.directory.models import Organisation


class Command(BaseCommand):
    help = (
        "Give someone a role within an organisation or a programme (or take it away with "
        "--revoke). Creates their account, without a password, when they have none: this is how "
        "a new installation gets its first organisation admins and coordinators."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("email", help="Their work email address (their sign-in).")
        parser.add_argument(
            "role",
            help="org_admin (organisations only), coordinator, sponsor or wellbeing_lead.",
        )
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--organisation", metavar="SLUG", help="The organisation's short name.")
        scope.add_argument("--programme", metavar="SLUG", help="The programme's short name.")
        parser.add_argument("--name", default="", help="Their name, for a new account.")
        parser.add_argument("--revoke", action="store_true", help="Take the role away instead.")

    def handle(self, *args: Any, **options: Any) -> None:
        from upward.programmes.models import Programme

        organisation = programme = None
        if options["organisation"]:
            organisation = Organisation.objects.filter(slug=options["organisation"]).first()
            if organisation is None:
                known = ", ".join(Organisation.objects.values_list("slug", flat=True)) or "none"
                raise CommandError(
                    f"No organisation '{options['organisation']}' (known: {known}). "
                    "`upward import-directory SLUG FILE --create NAME` adds one with its people."
                )
        else:
            programme = Programme.objects.filter(slug=options["programme"]).first()
            if programme is None:
                raise CommandError(f"No programme '{options['programme']}'.")
        scope = organisation or programme
        try:
            if options["revoke"]:
                user = role_revoke(
                    email=options["email"],
                    role=options["role"],
                    organisation=organisation,
                    programme=programme,
                )
                self.stdout.write(f"{user.email} is no longer {options['role']} of {scope}.")
                return
            outcome = role_grant(
                email=options["email"],
                role=options["role"],
                organisation=organisation,
                programme=programme,
                name=options["name"],
            )
        except GrantRefused as exc:
            raise CommandError(str(exc)) from None
        user = outcome.user
        if outcome.account_created:
            self.stdout.write(f"Created the account {user.email}.")
        if outcome.grant_changed:
            self.stdout.write(f"{user.email} is now {options['role']} of {scope}.")
        else:
            self.stdout.write(f"{user.email} already was {options['role']} of {scope}; no change.")
        if outcome.needs_password:
            self.stdout.write(
                "They have no password yet: they choose one with “Forgot your password?” on the "
                f"sign-in page ({reverse('account_reset_password')}), which emails them a link."
            )
        if outcome.needs_authenticator:
            self.stdout.write(
                "At their first sign-in they are asked to set up an authenticator app "
                "(required for this role)."
            )
