"""Render exported data (nested dicts and lists) as readable HTML tables."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()


def _render(value: Any) -> SafeString:
    if isinstance(value, dict):
        if not value:
            return format_html('<p class="empty">{}</p>', "Nothing held.")
        rows = format_html_join(
            "",
            "<tr><th>{}</th><td>{}</td></tr>",
            ((str(k).replace("_", " ").capitalize(), _render(v)) for k, v in value.items()),
        )
        return format_html("<table>{}</table>", rows)
    if isinstance(value, list):
        if not value:
            return format_html('<p class="empty">{}</p>', "Nothing held.")
        return format_html_join("", "<div>{}</div>", ((_render(v),) for v in value))
    if value is None or value == "":
        return format_html("{}", "—")
    if isinstance(value, bool):
        return format_html("{}", "yes" if value else "no")
    return format_html("{}", value)


@register.filter
def section_title(name: str) -> str:
    return str(name).replace("_", " ").capitalize()


@register.simple_tag
def render_value(value: Any) -> SafeString:
    return _render(value)
