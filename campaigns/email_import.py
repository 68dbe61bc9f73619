"""Reading a letter from an e-mail message (a .eml file): its date, parties, text and files.

Pure functions over the message's bytes, with the standard `email` package; nothing here
touches the database. Only files that may be attachments (PDF, PNG, JPEG) are kept; the
others are named, so the campaigner knows what was left out.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from email import policy
from email.headerregistry import Address
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from campaigns.attachments import sniff_content_type

# A message larger than this is refused before it is parsed: a letter with its scans fits.
EMAIL_MAX_BYTES = 30 * 1024 * 1024
# Parts of a message that say nothing a reader needs, however they are attached.
SKIPPED_TYPES = ("application/pgp-signature", "application/pkcs7-signature", "text/calendar")


@dataclass(frozen=True)
class EmailFile:
    """A file attached to a message."""

    name: str
    content: bytes
    content_type: str | None  # what its bytes show it to be, if one that may be kept

    def upload(self):
        """Return the file as an upload, to be checked and stored as any other."""
        return SimpleUploadedFile(self.name, self.content)


@dataclass(frozen=True)
class ImportedEmail:
    """What a letter is made of, read from one e-mail message."""

    message_id: str
    sent_on: date | None
    sender_name: str
    sender_address: str
    recipients: tuple[str, ...]
    subject: str
    text: str
    files: tuple[EmailFile, ...] = field(default=())

    @property
    def kept_files(self):
        return [file for file in self.files if file.content_type]

    @property
    def left_out_files(self):
        return [file for file in self.files if not file.content_type]

    @property
    def sender_domain(self):
        return self.sender_address.rpartition("@")[2].lower()


class UnreadableEmail(ValueError):
    """Bytes that are not an e-mail message with at least a sender or a date."""


def read_email(raw: bytes) -> ImportedEmail:
    """Return the letter an e-mail message holds; raise UnreadableEmail if it is not one."""
    if len(raw) > EMAIL_MAX_BYTES:
        raise UnreadableEmail(
            f"This message is over {EMAIL_MAX_BYTES // (1024 * 1024)} MB; save its attachments "
            "and add them to the letter instead."
        )
    message = BytesParser(policy=policy.default).parsebytes(raw)
    body = message.get_body(preferencelist=("plain", "html"))
    sender = _first_address(message, "from")
    sent_on = _date(message)
    if sender is None and sent_on is None:
        raise UnreadableEmail(
            "This is not an e-mail message: it has neither a sender nor a date. Save the message "
            "from your mail program as a .eml file (or copy its source) and try again."
        )
    return ImportedEmail(
        message_id=_header(message, "message-id").strip("<> ")[:255],
        sent_on=sent_on,
        sender_name=sender.display_name if sender else "",
        sender_address=sender.addr_spec if sender else "",
        recipients=tuple(
            address
            for _name, address in getaddresses([_header(message, "to"), _header(message, "cc")])
            if address
        ),
        subject=" ".join(_header(message, "subject").split())[:300],
        text=_text(body),
        files=tuple(_files(message, body)),
    )


def _header(message, name) -> str:
    try:
        return str(message.get(name, "") or "")
    except (ValueError, TypeError, IndexError):  # a header the parser could not decode
        return ""


def _first_address(message, name) -> Address | None:
    try:
        header = message.get(name)
        addresses = header.addresses if header is not None else ()
    except (ValueError, TypeError, IndexError, AttributeError):
        return None
    return next((address for address in addresses if address.addr_spec), None)


def _date(message) -> date | None:
    try:
        moment = parsedate_to_datetime(_header(message, "date"))
    except (TypeError, ValueError, IndexError):
        return None
    if timezone.is_naive(moment):
        return moment.date()
    return timezone.localtime(moment).date()


def _text(body) -> str:
    """Return the text of a message's body: its plain part, or its HTML part as text."""
    if body is None:
        return ""
    try:
        content = body.get_content()
    except (LookupError, ValueError):  # an unknown or broken character set
        content = body.get_payload(decode=True).decode("utf-8", "replace")
    if body.get_content_type() == "text/html":
        content = html_to_text(content)
    return tidy_text(content)


def _files(message, body):
    """Yield the message's attachments: every part but its body and the body's alternatives."""
    for part in message.walk():
        if part is body or part.is_multipart() or part.get_content_type() in SKIPPED_TYPES:
            continue
        name = part.get_filename()
        if part.get_content_disposition() != "attachment" and not name:
            continue  # the other version of the text, or an inline image without a name
        if part.get_content_type() == "message/rfc822":
            continue  # a forwarded message: its text is in the body, its files walked too
        content = part.get_payload(decode=True) or b""
        content_type = sniff_content_type(content[:16])
        yield EmailFile(name or _unnamed(part), content, content_type)


def _unnamed(part) -> str:
    subtype = part.get_content_subtype()
    return f"attachment.{subtype}" if re.fullmatch(r"[a-z0-9]{1,10}", subtype) else "attachment"


def tidy_text(text: str) -> str:
    """Return text with Windows line ends, trailing spaces and long runs of blank lines gone."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip().replace("\x00", "")


class _TextOfHtml(HTMLParser):
    BLOCKS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"}
    HIDDEN = {"script", "style", "head", "title"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("- ")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    """Return the readable text of an HTML e-mail: paragraphs kept, scripts and styles left out."""
    parser = _TextOfHtml()
    parser.feed(html)
    parser.close()
    lines = (line.strip() for line in "".join(parser.parts).split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def website_domain(url: str) -> str:
    """Return the domain of a website address, without "www.": "gov.uk" of www.gov.uk."""
    host = (urlsplit(url if "//" in url else f"//{url}").hostname or "").lower()
    return host.removeprefix("www.")


def from_domain(domain: str, websites) -> bool:
    """Say whether an e-mail domain is one of these websites' domains or below one."""
    domains = {website_domain(url) for url in websites if url}
    return any(domain == known or domain.endswith(f".{known}") for known in domains if known)


def guess_direction(email: ImportedEmail, *, recipient_websites, member_websites) -> str:
    """Return "received" if the sender writes from the recipient's domain, "sent" if from a
    coalition member's, or "" when it cannot be told (both, neither, or no sender)."""
    domain = email.sender_domain
    if not domain:
        return ""
    theirs = from_domain(domain, recipient_websites)
    ours = from_domain(domain, member_websites)
    if theirs == ours:
        return ""
    return "received" if theirs else "sent"
