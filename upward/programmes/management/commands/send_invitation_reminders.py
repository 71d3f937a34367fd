from __future__ import annotations

import os
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import URLValidator

from upward.programmes import services
from upward.programmes.errors import RuleBroken
from upward.programmes.models import Programme


class Command(BaseCommand):
    help = (
        "Remind invited people who have not replied (at most twice, three days apart), for one "
        "programme or every programme whose applications are open. Safe to run daily from cron."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--programme", help="The programme's slug (default: all open ones).")
        parser.add_argument(
            "--base-url",
            default=os.environ.get("UPWARD_SITE_URL", ""),
            help="The site's address for the links in the emails, e.g. https://upward.example "
            "(default: the UPWARD_SITE_URL environment variable).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        base_url = (options["base_url"] or "").strip()
        if not base_url:
            raise CommandError("Give the site's address with --base-url or UPWARD_SITE_URL.")
        try:
            URLValidator(schemes=["http", "https"])(base_url)
        except ValidationError:
            raise CommandError(f"'{base_url}' is not a web address (http or https).") from None
        if options["programme"]:
            programmes = list(Programme.objects.filter(slug=options["programme"]))
            if not programmes:
                raise CommandError(f"There is no programme '{options['programme']}'.")
        else:
            programmes = [p for p in Programme.objects.all() if p.applications_open]
        total = 0
        for programme in programmes:
            try:
                count = services.invitation_reminders_send(
                    programme=programme, by=None, base_url=base_url
                )
            except RuleBroken as exc:
                if options["programme"]:
                    raise CommandError(str(exc)) from None
                continue
            total += count
            self.stdout.write(f"{programme.name}: reminded {count}")
        self.stdout.write(self.style.SUCCESS(f"Reminders sent: {total}"))
