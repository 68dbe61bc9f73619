"""What an uploaded attachment may be: a real PDF, PNG or JPEG within the size limit."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from pypdf import PdfReader

logger = logging.getLogger(__name__)

SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}
SNIFF_BYTES = max(len(signature) for signature in SIGNATURES)


def sniff_content_type(head: bytes) -> str | None:
    """Return the content type that a file's first bytes show, or None if not allowed."""
    for signature, content_type in SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    return None


def read_content_type(file) -> str | None:
    """Return the allowed content type of an open file by its content, leaving it rewound."""
    file.seek(0)
    head = file.read(SNIFF_BYTES)
    file.seek(0)
    return sniff_content_type(head)


def validate_attachment(file):
    """Reject an upload that exceeds the size limit or is not really a PDF, PNG or JPEG."""
    if getattr(file, "_committed", False):
        return  # Already stored and checked when it was uploaded.
    limit = settings.ATTACHMENT_MAX_BYTES
    if file.size > limit:
        raise ValidationError(
            _("This file is %(size)s; attachments may be at most %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
        )
    if read_content_type(file) is None:
        raise ValidationError(
            _(
                "This file is not a PDF, PNG or JPEG image (its content was checked, not its "
                "name). Scan or save the original as one of those and upload it again."
            ),
            code="bad_type",
        )


def extract_pdf_text(file) -> str:
    """Return the text layer of a PDF, or "" for an image, a scan without text or a bad file."""
    if read_content_type(file) != "application/pdf":
        return ""
    try:
        reader = PdfReader(file)
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    # pypdf raises many kinds of error on damaged files; none should block an upload.
    except Exception:
        logger.warning(
            "Could not read the text of %s", getattr(file, "name", "a PDF"), exc_info=True
        )
        text = ""
    finally:
        file.seek(0)
    return " ".join(text.split())
