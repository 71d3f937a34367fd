"""Run by test_database_busy: hold SQLite's write lock in one connection (another process's
stand-in) while the API is asked to write through another; print the answer's status."""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upward.settings.test")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

settings.DATABASES["default"]["OPTIONS"]["timeout"] = 0.5
connection.close()
call_command("migrate", verbosity=0, interactive=False)

from personas import PASSWORD, make_user  # noqa: E402
from upward.consent.models import Consent  # noqa: E402

user = make_user("probe@upward.test")
consent = Consent.objects.create(
    user=user, purpose="matching", wording_version="1", wording="I agree", channel="web"
)
client = Client()
assert client.login(email=user.email, password=PASSWORD)
# The first request after sign-in records it in the session; the locked one writes in the view.
assert client.get("/api/v1/consents").status_code == 200
holder = sqlite3.connect(settings.DATABASES["default"]["NAME"], timeout=0.1)
holder.execute("BEGIN IMMEDIATE")
try:
    response = client.post(
        f"/api/v1/consents/{consent.pk}/withdraw", "{}", content_type="application/json"
    )
finally:
    holder.rollback()
    holder.close()
print(response.status_code, response.get("Retry-After"))
