"""Sending the tracker's e-mails: each in text and HTML from one template name, sent or logged.

A send the mail server refuses is logged and reported to the caller, which keeps what it was
about for the next run: nothing is lost to a mail server that is down.
"""

import logging

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


def mail_send(*, to, subject, template, context, about, headers=None) -> bool:
    """Send `template`.txt with `template`.html beside it; return whether the server took it.

    `about` names the message in the log if it could not be sent.
    """
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{template}.txt", context),
        to=[to],
        headers=headers,
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    try:
        message.send()
    except Exception:  # any failure of the mail server or the network: tried again next run
        logger.exception("Could not send %s; it will be tried again", about)
        return False
    return True
