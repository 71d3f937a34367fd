"""Every event of the catalogue has its email in plain text and in HTML, with the same words,
and the words its email must say."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

import pytest

from upward.notifications import catalogue, render

from .samples import SAMPLES

URLS = re.compile(r"https?://\S+")


def words(text: str) -> list[str]:
    return re.findall(r"[\w']+", URLS.sub(" ", text))


class _Visible(HTMLParser):
    """The text a reader sees in the body (not the <title> in the head)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("head", "title", "style"):
            self._skip += 1
        if tag in ("p", "li", "br", "div"):
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("head", "title", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return unescape("".join(parser.parts))


def test_every_event_has_a_sample() -> None:
    assert set(SAMPLES) == set(catalogue.EVENTS)


@pytest.mark.parametrize("event", sorted(catalogue.EVENTS))
def test_each_event_in_text_and_html_with_the_same_words(event: str) -> None:
    context, key_words = SAMPLES[event]
    written = render.write(event=event, subject="Subject", context=context, user_id=None)
    assert key_words in written.text
    assert "{%" not in written.text and "{{" not in written.text
    assert written.html.startswith("<!DOCTYPE html>") and 'lang="en-GB"' in written.html
    assert words(written.text) == words(visible(written.html))
    assert " ".join(key_words.split()) in " ".join(visible(written.html).split())
    # Links are links in the HTML.
    for url in URLS.findall(written.text):
        assert f'href="{url.rstrip(".,;:)")}"' in written.html


def test_the_html_escapes_what_people_wrote() -> None:
    context = {"name": "Ada", "reasons": ["<script>alert(1)</script> & more"]}
    written = render.write(event="nudge", subject="S", context=context, user_id=None)
    assert "<script>alert(1)</script> & more" in written.text  # plain text, as written
    assert "<script>" not in written.html and "&lt;script&gt;" in written.html


def test_a_list_paragraphs_and_links() -> None:
    html = render.text_to_html("Hello,\n\n- one\n- two https://a.example/x.\n\nBye")
    assert html == (
        '<p style="margin:0 0 16px">Hello,</p>\n'
        '<ul style="margin:0 0 16px;padding-left:24px"><li style="margin:0 0 8px">one</li>'
        '<li style="margin:0 0 8px">two <a href="https://a.example/x" '
        'style="color:#1f4e79;text-decoration:underline">https://a.example/x</a>.</li></ul>\n'
        '<p style="margin:0 0 16px">Bye</p>'
    )


def test_must_send_is_decided_for_each_event() -> None:
    must = {key for key, e in catalogue.EVENTS.items() if e.must_send}
    assert must == {
        "account_appointed",
        "rematch",
        "pair_step",
        "concern_routed",
        "concern_message",
        "concern_overdue",
        "safeguarding_alert",
    }
    # Every event names a category, and the two categories of must-send emails offer no choice.
    assert all(e.category in catalogue.CATEGORIES for e in catalogue.EVENTS.values())
    assert not catalogue.choosable("account") and not catalogue.choosable("concerns")


def test_the_documentation_lists_every_event() -> None:
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[3] / "docs" / "notifications.md").read_text()
    for key, found in catalogue.EVENTS.items():
        choice = "always sent" if found.must_send else "the person chooses"
        category = catalogue.CATEGORIES[found.category].name
        assert f"| `{key}` | {found.name} | {category} | {choice} |" in doc, key
