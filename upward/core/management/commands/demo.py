from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from upward.core.demo import demo_password, seed_demo


def upward_command() -> str:
    """The ``upward`` command of this installation, as the user can type it from here."""
    command = Path(sys.executable).with_name("upward")
    try:
        return str(command.relative_to(Path.cwd()))
    except ValueError:
        return str(command)


def _exit_on_sigterm(signum: int, frame: Any) -> None:
    raise SystemExit(0)


def stop_worker(worker: subprocess.Popen[bytes]) -> None:
    """Stop the demo's worker, and kill it if it does not stop within ten seconds."""
    if worker.poll() is not None:
        return
    worker.terminate()
    try:
        worker.wait(timeout=10)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait(timeout=10)


class Command(BaseCommand):
    help = (
        "Create the database, seed a demo organisation and programme, print the demo sign-ins "
        "and serve the site on 127.0.0.1. Safe to run again."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-serve", action="store_true", help="Seed only; do not serve.")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--size", type=int, default=2000, help="People in the demo organisation (50-100000)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("The demo runs only with DEBUG on (local settings).")
        if not 50 <= options["size"] <= 100_000:
            raise CommandError("--size must be between 50 and 100,000.")
        if not 1 <= options["port"] <= 65535:
            raise CommandError("--port must be between 1 and 65535.")
        self.stdout.write("Preparing the database…")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(f"Seeding the demo ({options['size']:,} people)…")
        logins, totp_secrets = seed_demo(size=options["size"])
        url = f"http://127.0.0.1:{options['port']}"
        self.stdout.write(self.style.SUCCESS("\nThe Upward demo is ready."))
        self.stdout.write(f"  Site:     {url}")
        self.stdout.write(f"  Password: {demo_password()}  (the same for every demo account)\n")
        for login in logins:
            mfa = "  (two-factor)" if login.mfa else ""
            self.stdout.write(f"  {login.role:<16} {login.email:<36} {login.description}{mfa}")
        upward = upward_command()
        self.stdout.write(
            "\nAccounts marked two-factor ask for a six-digit code after the password. Get the"
            f"\ncurrent code with `{upward} demo-code EMAIL`, or add the secret to an "
            "authenticator app. A code works once: signing in again within 30 seconds needs the "
            "next one."
        )
        for email, secret in totp_secrets.items():
            self.stdout.write(f"  {email:<36} {secret}")
        if options["no_serve"]:
            self.stdout.write(
                f"\nStart the site with:\n  {upward} runserver 127.0.0.1:{options['port']}"
                "\nand, in a second terminal, the background worker (imports, matching runs, "
                f"emails):\n  {upward} db_worker"
            )
            return
        # The background worker runs next to the site so imports and matching runs progress.
        worker = None
        if str(settings.TASKS["default"]["BACKEND"]).startswith("django_tasks_db"):
            worker = subprocess.Popen(
                [sys.executable, "-m", "upward", "db_worker", "--interval", "0.5"],
                env=os.environ.copy(),
            )
        # Stopped with Ctrl+C, a plain kill or by closing its terminal, the demo stops its
        # worker too.
        stops = (signal.SIGTERM, signal.SIGHUP)
        previous = {sig: signal.signal(sig, _exit_on_sigterm) for sig in stops}
        try:
            call_command("runserver", f"127.0.0.1:{options['port']}", use_reloader=False)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            if worker is not None:
                stop_worker(worker)
