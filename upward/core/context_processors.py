from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import get_script_prefix, reverse

from .navigation import entries_for

# The menu's addresses take no arguments, so each is the same on every request under one script
# prefix: worked out once per process instead of a dozen ``reverse`` calls per page.
_URLS: dict[tuple[str, str], str] = {}


def _url(name: str) -> str:
    key = (get_script_prefix(), name)
    found = _URLS.get(key)
    if found is None:
        found = _URLS[key] = reverse(name)
    return found


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for entry in entries_for(user):
        url = _url(entry.url_name)
        active = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"label": entry.label, "url": url, "active": active})
    return {"nav_items": items}
