"""Training content: safe Markdown and the limits on uploaded files."""

from __future__ import annotations

from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

from .errors import PreparationRuleBroken

# CommonMark with raw HTML switched off: whatever a coordinator types is escaped, and links
# with javascript: or data: addresses are not made into links (markdown-it's own check).
_MD = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ALLOWED_TYPES = {
    ".pdf": ("application/pdf", b"%PDF-"),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".txt": ("text/plain", b""),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK"),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", b"PK"),
}


def render_markdown(text: str) -> SafeString:
    # Raw HTML is off, so anything typed as HTML comes out escaped.
    return mark_safe(_MD.render(text or ""))


def check_upload(upload: UploadedFile) -> str:
    """The content type to serve the file with; refuses large or unexpected files."""
    name = upload.name or ""
    suffix = PurePath(name).suffix.lower()
    if suffix not in ALLOWED_TYPES:
        raise PreparationRuleBroken(
            f"{name or 'That file'} is not a kind of file we accept. Upload a PDF, a picture "
            "(PNG or JPEG), a text file, or a Word or PowerPoint document."
        )
    if (upload.size or 0) > MAX_UPLOAD_BYTES:
        raise PreparationRuleBroken(
            f"{name} is {(upload.size or 0) / 1024 / 1024:.1f} MB; files can be at most 10 MB."
        )
    content_type, magic = ALLOWED_TYPES[suffix]
    head = upload.read(16)
    upload.seek(0)
    if magic and not head.startswith(magic):
        raise PreparationRuleBroken(f"{name} does not look like a {suffix[1:].upper()} file.")
    return content_type


def content_type_of(filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()
    return ALLOWED_TYPES.get(suffix, ("application/octet-stream", b""))[0]
