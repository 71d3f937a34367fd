"""The certificate as a PDF document (WeasyPrint): landscape, bordered, the name large."""

from __future__ import annotations

from django.template.loader import render_to_string

from .models import Certificate


def certificate_pdf(certificate: Certificate, verify_url: str) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "recognition/certificate_pdf.html",
        {"certificate": certificate, "verify_url": verify_url},
    )
    # No base URL: the document holds no link to fetch, so nothing is loaded from anywhere.
    return bytes(HTML(string=html).write_pdf())
