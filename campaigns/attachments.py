"""Attachments: what an upload may be, the text of a PDF, and when stored files are deleted.

An upload must be a PDF, PNG or JPEG within the size limit, judged by its content: a PDF must
parse and run no code. A stored file is deleted only once the transaction that stops using it
commits, and a file stored by a save that rolls back is deleted again.
"""

import logging
import os
import re
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

logger = logging.getLogger(__name__)

SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}
SNIFF_BYTES = max(len(signature) for signature in SIGNATURES)
# Browsers decide whether a file is a web page from its first 512 bytes; twice that is checked.
HTML_SNIFF_BYTES = 1024
HTML_MARKERS = re.compile(
    rb"<\s*(?:!doctype|html|head|body|script|iframe|svg|object|embed|meta)", re.IGNORECASE
)
# Keys of a PDF dictionary that make a viewer run code: JavaScript actions, the document's
# named scripts, and additional actions fired by opening, closing or focusing things.
PDF_CODE_KEYS = frozenset({"/JS", "/JavaScript", "/AA"})
# An attachment's text beyond this is not kept: search reads no further than about this much.
PDF_TEXT_MAX_CHARS = 100_000
# How readers are told what a file is, beside its link.
TYPE_NAMES = {"application/pdf": "PDF", "image/png": "PNG image", "image/jpeg": "JPEG image"}
ATTACHMENT_NAME_MAX_CHARS = 200
# Files added to one letter in one save: more is a mistake, or an attempt to fill the disk.
FILES_PER_SAVE_MAX = 20


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


def file_label(content_type: str, size: int) -> str:
    """Return what a file is, as shown beside its link: "PDF, 240 KB"."""
    kind = TYPE_NAMES.get(content_type, _("File"))
    if size < 1024:
        amount = ngettext("%(count)d byte", "%(count)d bytes", size) % {"count": size}
    elif size < 1024 * 1024:
        amount = _("%(count)d KB") % {"count": round(size / 1024)}
    else:
        amount = _("%(count)s MB") % {"count": f"{size / (1024 * 1024):.1f}".removesuffix(".0")}
    return f"{kind}, {amount}"


def display_name(uploaded_name: str, content_type: str) -> str:
    """Return the name an uploaded file is shown by: its own, tidied and bounded, or its type's."""
    name = " ".join(os.path.basename((uploaded_name or "").replace("\\", "/")).split())
    name = "".join(char for char in name if char.isprintable())
    if len(name) > ATTACHMENT_NAME_MAX_CHARS:
        stem, dot, extension = name.rpartition(".")
        keep = (
            ATTACHMENT_NAME_MAX_CHARS - len(dot + extension)
            if dot and len(extension) <= 5
            else None
        )
        name = stem[:keep] + dot + extension if keep else name[:ATTACHMENT_NAME_MAX_CHARS]
    return name or _("%(kind)s attachment") % {"kind": TYPE_NAMES.get(content_type, _("File"))}


def validate_attachment(file):
    """Reject an upload over the size limit, not really a PDF, PNG or JPEG, or a PDF with code."""
    if getattr(file, "_committed", False):
        return  # Already stored and checked when it was uploaded.
    limit = settings.ATTACHMENT_MAX_BYTES
    if file.size > limit:
        raise ValidationError(
            _("This file is %(size)s; attachments may be at most %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
        )
    file.seek(0)
    head = file.read(HTML_SNIFF_BYTES)
    file.seek(0)
    if sniff_content_type(head) is None or HTML_MARKERS.search(head):
        raise ValidationError(
            _(
                "This file is not a PDF, PNG or JPEG image (its content was checked, not its "
                "name). Scan or save the original as one of those and upload it again."
            ),
            code="bad_type",
        )
    if sniff_content_type(head) == "application/pdf":
        validate_pdf(file)


def validate_pdf(file):
    """Reject a PDF that does not parse, cannot be opened without a password, or runs code."""
    try:
        reader = open_pdf(file)
        if reader is None:
            raise ValidationError(
                _(
                    "This PDF is locked with a password or encryption that cannot be opened. "
                    "Print or save it as a new PDF without protection and upload that."
                ),
                code="pdf_locked",
            )
        code_key = pdf_code_key(reader)
        pages = len(reader.pages)
    except ValidationError:
        raise
    # pypdf raises many kinds of error on damaged files; each means the file is not a real PDF.
    except Exception:
        logger.info("Refused an upload that is not a readable PDF", exc_info=True)
        raise ValidationError(
            _(
                "This file starts like a PDF but could not be read as one; it may be damaged "
                "or something else renamed. Save the original as a PDF again and upload that."
            ),
            code="pdf_unreadable",
        ) from None
    finally:
        file.seek(0)
    if code_key:
        raise ValidationError(
            _(
                "This PDF contains code that a PDF viewer would run (%(key)s), which is not "
                "allowed. Print or save it as a new PDF, which leaves the code out, and upload "
                "that."
            ),
            code="pdf_code",
            params={"key": code_key},
        )
    if not pages:
        raise ValidationError(_("This PDF has no pages."), code="pdf_empty")


def open_pdf(file) -> PdfReader | None:
    """Return a reader for a PDF, or None if it is encrypted with a password we do not have."""
    file.seek(0)
    reader = PdfReader(file)
    if not reader.is_encrypted:
        return reader
    # Many PDFs are encrypted only to restrict printing or copying; those open with no password.
    try:
        opened = reader.decrypt("") != PasswordType.NOT_DECRYPTED
    except DependencyError:  # AES encryption, which needs the cryptography package
        opened = False
    return reader if opened else None


def pdf_code_key(reader) -> str | None:
    """Return the first key of the PDF's objects that would run code, or None if there is none.

    Walks every object reachable from the trailer (names are compared after pypdf has undone
    their #xx escapes), without decoding streams' contents.
    """
    seen = set()
    pending = [reader.trailer]
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            for key, value in item.items():
                if key in PDF_CODE_KEYS:
                    return key
                if key == "/S" and value == "/JavaScript":
                    return "/JavaScript"
                pending.append(value)
        elif isinstance(item, ArrayObject):
            pending.extend(item)
    return None


@dataclass(frozen=True)
class PdfText:
    """The text read from an attachment, and what the campaigner should be told about it."""

    text: str
    problem: str = ""


def extract_pdf_text(file) -> PdfText:
    """Return the text layer of a PDF (nothing for an image), saying if it could not all be read.

    Reading stops at PDF_TEXT_MAX_CHARS. A damaged page is skipped rather than losing the rest.
    """
    if read_content_type(file) != "application/pdf":
        return PdfText("")
    name = os.path.basename(getattr(file, "name", "") or "") or _("the PDF")
    texts, failed, total, length = [], 0, 0, 0
    try:
        reader = open_pdf(file)
        pages = reader.pages if reader else []
        total = len(pages)
        for page in pages:
            try:
                texts.append(" ".join((page.extract_text() or "").split()))
            # pypdf raises many kinds of error on damaged pages; none should block an upload.
            except Exception:
                logger.warning("Could not read a page of %s", name, exc_info=True)
                failed += 1
                continue
            length += len(texts[-1]) + 1
            if length > PDF_TEXT_MAX_CHARS:
                break
    except Exception:
        logger.warning("Could not read the text of %s", name, exc_info=True)
        return PdfText("", unreadable_problem(name))
    finally:
        file.seek(0)
    text = clean_text(" ".join(filter(None, texts)))
    if reader is None or failed == total:
        return PdfText("", unreadable_problem(name))
    if len(text) > PDF_TEXT_MAX_CHARS:
        return PdfText(
            text[:PDF_TEXT_MAX_CHARS],
            _(
                "The text of “%(name)s” was cut at %(count)s characters, so search will not "
                "find words after that."
            )
            % {"name": name, "count": f"{PDF_TEXT_MAX_CHARS:,}"},
        )
    if failed:
        problem = ngettext(
            "The text of %(failed)d page of %(total)d in “%(name)s” could not be read, so "
            "search will not find the words on it.",
            "The text of %(failed)d pages of %(total)d in “%(name)s” could not be read, so "
            "search will not find the words on them.",
            failed,
        ) % {"failed": failed, "total": total, "name": name}
        return PdfText(text, problem)
    if not text:
        return PdfText(
            "",
            _(
                "“%(name)s” has no text layer (it may be a scan), so search will not find the "
                "words in it."
            )
            % {"name": name},
        )
    return PdfText(text)


def unreadable_problem(name) -> str:
    """Return the warning for a PDF whose text could not be read at all."""
    return _("The text of “%(name)s” could not be read, so search will not find it.") % {
        "name": name
    }


def clean_text(text: str) -> str:
    """Return text without the NUL characters and lone surrogates that databases refuse."""
    return text.encode("utf-8", "ignore").decode("utf-8").replace("\x00", "")


@dataclass
class _StoredFile:
    storage: object
    name: str
    committed: bool = False

    def keep(self):
        self.committed = True


# The files stored inside the innermost uncommitted_files_removed() block, if any.
_stored_in_block = ContextVar("attachments_stored_in_block", default=None)


def note_stored(storage, name):
    """Note a file just stored, so that it is deleted again if its transaction rolls back."""
    stored = _stored_in_block.get()
    if stored is None:
        return
    entry = _StoredFile(storage, name)
    stored.append(entry)
    transaction.on_commit(entry.keep)


@contextmanager
def uncommitted_files_removed(using=None):
    """Delete the files stored inside the block whose transaction did not commit.

    Wrap the whole transaction: Django offers no hook on rollback, so each stored file is
    marked when its transaction commits, and those unmarked once it has ended are deleted.
    """
    outer = _stored_in_block.get()
    stored = []
    token = _stored_in_block.set(stored)
    try:
        yield
    finally:
        _stored_in_block.reset(token)
        if transaction.get_connection(using).in_atomic_block:
            # The transaction is still open; the enclosing block, if any, decides.
            if outer is not None:
                outer.extend(stored)
        else:
            for entry in stored:
                if not entry.committed:
                    entry.storage.delete(entry.name)


def delete_after_commit(storage, name, *, unless):
    """Delete a stored file once the transaction commits, unless the queryset `unless` finds it.

    Nothing is deleted if the transaction rolls back: the rows still use the file.
    """

    def delete():
        if not unless.exists():
            storage.delete(name)

    transaction.on_commit(delete, robust=True)
