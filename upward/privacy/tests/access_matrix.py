"""The access matrix: for every URL pattern and API operation, who gets in.

(Entries are filled in below; helpers used by other tests live here too.)
"""

from __future__ import annotations

import re

_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
_STYLE_ATTR = re.compile(r"\sstyle\s*=", re.I)
_STYLE_TAG = re.compile(r"<style[\s>]", re.I)
_HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I)
_JS_URL = re.compile(r"javascript:", re.I)


def inline_code(html: str) -> list[str]:
    """What in a page a strict CSP (no 'unsafe-inline') would block."""
    problems = []
    for name, pattern in (
        ("inline <script>", _INLINE_SCRIPT),
        ("style attribute", _STYLE_ATTR),
        ("<style> element", _STYLE_TAG),
        ("event handler attribute", _HANDLER),
        ("javascript: URL", _JS_URL),
    ):
        for match in pattern.finditer(html):
            start = max(0, match.start() - 40)
            problems.append(f"{name}: …{html[start : match.end() + 40]}…")
    return problems
