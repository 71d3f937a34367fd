"""Small helpers shared by the privacy tests."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from django.test import Client


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def unzip(content: bytes) -> tuple[dict[str, Any], str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert sorted(archive.namelist()) == ["data.json", "index.html"]
        data = json.loads(archive.read("data.json"))
        html = archive.read("index.html").decode()
    return data, html
