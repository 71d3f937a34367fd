"""Programme-level sections other apps add to the evidence dashboard and the programme report,
without evidence importing them.

An app registers a section in its ``AppConfig.ready()``::

    from upward.evidence.sections import Section, SectionData, register_section

    register_section(Section(key="commitments", title="Commitments and follow-through",
                             order=10, build=commitments_summary))

``build(programme)`` returns aggregates only (label and value rows, e.g. ("Commitments on
time", "4")) and, where the app has them, paragraphs that are already cleared for a programme
audience (a success story published with both people's consent); or None when the programme has
nothing to show. Whatever it returns is shown to the programme's coordinators and sponsors, on
the dashboard, in the PDF report and (the rows) in the report's CSV bundle, so it must never
name a person or show a group below the programme's anonymity threshold.

The section with the key ``COMMITMENTS`` fills the report's "Commitments and follow-through";
the others follow the outcomes, by ``order``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from upward.programmes.models import Programme

log = logging.getLogger(__name__)

COMMITMENTS = "commitments"


@dataclass(frozen=True)
class SectionData:
    rows: list[tuple[str, str]]  # (label, value) aggregates only, e.g. ("Commitments on time", "4")
    paragraphs: list[str] = field(default_factory=list)  # e.g. a published success story's text


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    order: int
    build: Callable[[Programme], SectionData | None]  # None: nothing to show for this programme


_SECTIONS: dict[str, Section] = {}


def register_section(section: Section) -> None:
    """Add (or, under the same key, replace) a section."""
    if not section.key or not section.title:
        raise ValueError("A section needs a key and a title.")
    _SECTIONS[section.key] = section


def unregister_section(key: str) -> None:
    """Remove a section (tests register their own and take them away again)."""
    _SECTIONS.pop(key, None)


def sections_for(programme: Programme) -> list[tuple[Section, SectionData]]:
    """The registered sections with something to show for ``programme``, by order then key."""
    out = []
    for section in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key)):
        data = section.build(programme)
        if data is not None and (data.rows or data.paragraphs):
            out.append((section, data))
    return out
