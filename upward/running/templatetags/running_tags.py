from __future__ import annotations

from typing import Any

from django import template

from ..home import home_of

register = template.Library()


@register.inclusion_tag("running/_home.html")
def running_home(user: Any) -> dict[str, Any]:
    """The home page's mentoring section: next step, next meeting, goals, tasks."""
    return {"home": home_of(user)}
