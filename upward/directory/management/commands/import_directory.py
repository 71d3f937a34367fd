from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from upward.directory.importer import DirectoryFileError
from upward.directory.models import Organisation
from upward.directory.services import ImportRejected, directory_import_file


class Command(BaseCommand):
    help = (
        "Import an organisation's directory from a CSV or XLSX file. Upserts by employee id; "
        "a file with any bad row changes nothing."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("organisation", help="The organisation's short name (slug).")
        parser.add_argument("file", help="Path to a .csv or .xlsx file.")
        parser.add_argument(
            "--deactivate-missing",
            action="store_true",
            help="Mark people who are not in the file as no longer active.",
        )
        parser.add_argument(
            "--create",
            metavar="NAME",
            help="Create the organisation with this display name if it does not exist yet.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["organisation"]
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            if not options["create"]:
                known = ", ".join(Organisation.objects.values_list("slug", flat=True)) or "none"
                raise CommandError(
                    f"No organisation '{slug}' (known: {known}). Use --create NAME to add it."
                )
            organisation = Organisation.objects.create(name=options["create"], slug=slug)
        started = time.perf_counter()
        try:
            summary = directory_import_file(
                organisation=organisation,
                path=options["file"],
                deactivate_missing=options["deactivate_missing"],
            )
        except FileNotFoundError:
            raise CommandError(f"No such file: {options['file']}") from None
        except DirectoryFileError as exc:
            raise CommandError(str(exc)) from None
        except ImportRejected as exc:
            lines = [f"  {error}" for error in exc.plan.errors[:50]]
            more = len(exc.plan.errors) - 50
            if more > 0:
                lines.append(f"  … and {more} more")
            raise CommandError(
                f"Nothing was imported: {len(exc.plan.errors)} row(s) have errors:\n"
                + "\n".join(lines)
            ) from None
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {summary['rows']} rows into {organisation.name} in {elapsed:.1f} s: "
                f"{summary['creates']} new, {summary['updates']} updated, "
                f"{summary['unchanged']} unchanged, {summary['deactivations']} made inactive."
            )
        )
