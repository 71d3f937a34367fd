from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from upward.directory.models import HrisSync, Organisation
from upward.directory.sync import drop_folder, sync_all_folders, sync_from_folder


class Command(BaseCommand):
    help = (
        "Read the newest directory file in each organisation's HRIS drop folder"
        " (UPWARD_DATA_DIR/hris/<organisation>/), show what it would change, and apply it where"
        " the organisation applies HRIS changes automatically. Run it from cron, or with"
        " --enqueue to hand it to the task worker."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "organisation", nargs="?", help="Only this organisation (its slug); default: all."
        )
        parser.add_argument(
            "--enqueue", action="store_true", help="Run it in the task worker instead."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            from upward.directory.tasks import sync_hris_folders

            sync_hris_folders.enqueue()
            self.stdout.write("The HRIS sync was handed to the task worker.")
            return
        slug = options["organisation"]
        if slug:
            organisation = Organisation.objects.filter(slug=slug).first()
            if organisation is None:
                raise CommandError(f"No organisation '{slug}'.")
            one = sync_from_folder(organisation)
            staged = [one] if one else []
            if not staged:
                self.stdout.write(f"No new file in {drop_folder(organisation)}.")
        else:
            staged = sync_all_folders()
            if not staged:
                self.stdout.write("No new HRIS file in any drop folder.")
        for sync in staged:
            counts = (sync.diff or {}).get("counts", {})
            line = (
                f"{sync.organisation.slug}: {sync.filename}: {sync.get_status_display()}"
                f" (new {counts.get('new', 0)}, changes {counts.get('changes', 0)},"
                f" leavers {counts.get('leavers', 0)})"
            )
            if sync.status == HrisSync.Status.REJECTED:
                line += "; " + "; ".join(f"row {e['row']}: {e['reason']}" for e in sync.errors[:10])
            self.stdout.write(line)
