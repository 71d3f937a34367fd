"""The agreement as a PDF document (WeasyPrint): both names, the version and the signatures."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from upward.pairs.models import Pair

from .content import render_markdown
from .models import Agreement


def agreement_pdf(pair: Pair, agreement: Agreement, latest_number: int) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "preparation/agreement_pdf.html",
        {
            "pair": pair,
            "agreement": agreement,
            "latest_number": latest_number,
            "topics_html": render_markdown(agreement.topics),
            "leader_role": pair.role_words("leader"),
            "mentor_role": pair.role_words("mentor"),
            "made_at": timezone.now(),
        },
    )
    # No base URL: the document holds no link to fetch, so nothing is loaded from anywhere.
    return bytes(HTML(string=html).write_pdf())
