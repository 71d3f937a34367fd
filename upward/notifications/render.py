"""How an email is written: its text from ``notifications/<event>.txt``, its HTML from
``notifications/<event>.html`` (which extends the one accessible, inline-styled layout and shows
the text's own words as paragraphs, lists and links), and the footer that says why the person
gets it and how to stop it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import catalogue
from .tokens import WHOLE_DIGEST, unsubscribe_token

_URL = re.compile(r"https?://[^\s<>\"']+")
_TRAILING = ".,;:)!?"


def site(base_url: str = "") -> str:
    """The site's address for links in emails: the request's, else ``UPWARD_SITE_URL``."""
    return (base_url or getattr(settings, "UPWARD_SITE_URL", "") or "").rstrip("/")


def absolute(path: str, base_url: str = "") -> str:
    base = site(base_url)
    return base + path if base else path


def _link(match: re.Match[str]) -> str:
    url = match.group(0)
    tail = ""
    while url and url[-1] in _TRAILING:
        url, tail = url[:-1], url[-1] + tail
    return f'<a href="{url}" style="color:#1f4e79;text-decoration:underline">{url}</a>{tail}'


def _inline(line: str) -> str:
    # Escaped first, so a URL's "&" is "&amp;" in the href too, as HTML wants.
    return _URL.sub(_link, str(escape(line)))


def _block_html(lines: list[str]) -> list[str]:
    """One block of lines: runs of "- " lines as a list, the others as one paragraph each run."""
    out: list[str] = []
    for is_item, run in groupby(lines, key=lambda line: line.startswith("- ")):
        words = list(run)
        if is_item:
            lis = "".join(f'<li style="margin:0 0 8px">{_inline(w[2:])}</li>' for w in words)
            out.append(f'<ul style="margin:0 0 16px;padding-left:24px">{lis}</ul>')
        else:
            paragraph = "<br>".join(_inline(w) for w in words)
            out.append(f'<p style="margin:0 0 16px">{paragraph}</p>')
    return out


def text_to_html(text: str) -> SafeString:
    """The text's own words as HTML: blank lines part paragraphs, lines starting "- " make a
    list, web addresses become links. Nothing is added or left out."""
    out: list[str] = []
    for block in re.split(r"\n[ \t]*\n", text.strip()):
        out += _block_html([line.rstrip() for line in block.split("\n") if line.strip()])
    # Every piece was escaped in _inline.
    return mark_safe("\n".join(out))  # nosec B308,B703


@dataclass
class Written:
    subject: str
    text: str
    html: str
    headers: dict[str, str] = field(default_factory=dict)


def settings_url(base_url: str = "") -> str:
    return absolute(reverse("notifications:settings"), base_url)


def unsubscribe_url(*, user_id: int, category: str, base_url: str = "") -> str:
    token = unsubscribe_token(user_id=user_id, category=category)
    return absolute(reverse("notifications:unsubscribe", args=[token]), base_url)


def footer(*, user_id: int | None, category: str, base_url: str = "") -> tuple[str, dict[str, str]]:
    """The words under an email that follows a choice, and its List-Unsubscribe headers (RFC
    2369 and RFC 8058 one-click; only with an absolute address, as mail programs need)."""
    if user_id is None:
        return "", {}
    link = unsubscribe_url(user_id=user_id, category=category, base_url=base_url)
    digest = category == WHOLE_DIGEST
    text = render_to_string(
        "notifications/_footer.txt",
        {
            "digest": digest,
            "category": "" if digest else catalogue.CATEGORIES[category].name,
            "settings_url": settings_url(base_url),
            "unsubscribe_url": link,
        },
    )
    headers = {}
    if link.startswith(("https://", "http://")):
        headers = {
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    return text, headers


def write(
    *,
    event: str,
    subject: str,
    context: dict[str, Any],
    user_id: int | None,
    base_url: str = "",
) -> Written:
    """The email of one event, with the footer when it follows a choice."""
    found = catalogue.event(event)
    text = render_to_string(f"notifications/{event}.txt", context).strip() + "\n"
    foot, headers = "", dict[str, str]()
    if not found.must_send:
        foot, headers = footer(user_id=user_id, category=found.category, base_url=base_url)
    return _written(f"notifications/{event}.html", subject, text, foot, headers)


def _written(template: str, subject: str, text: str, foot: str, headers: dict[str, str]) -> Written:
    html = render_to_string(
        template,
        {"subject": subject, "body_html": text_to_html(text), "footer_html": text_to_html(foot)},
    )
    full = text + ("\n--\n" + foot.strip() + "\n" if foot.strip() else "")
    return Written(subject=subject, text=full, html=html, headers=headers)


def write_digest(
    *, subject: str, context: dict[str, Any], user_id: int, base_url: str = ""
) -> Written:
    text = render_to_string("notifications/digest.txt", context).strip() + "\n"
    foot, headers = footer(user_id=user_id, category=WHOLE_DIGEST, base_url=base_url)
    return _written("notifications/digest.html", subject, text, foot, headers)
