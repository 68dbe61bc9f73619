"""The e-mails of following: the confirmation asked for, and the news of what was followed.

Every message names its follow's own unsubscribe address, in its text and in the
List-Unsubscribe headers (one-click, RFC 8058), and never another's address.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from following.models import Follow, Frequency
from following.news import by_day, news

logger = logging.getLogger(__name__)

# A daily digest goes when the last went at least this long ago (runs are hourly).
DAILY_GAP = timedelta(hours=23)


def follow_links(follow) -> dict:
    return {
        "confirm_url": settings.SITE_URL + reverse("following:confirm", args=[follow.token]),
        "stop_url": settings.SITE_URL + reverse("following:stop", args=[follow.token]),
        "site_url": settings.SITE_URL,
    }


def _message(follow, subject, template, context):
    context = {"follow": follow, "followed": follow.followed, **follow_links(follow), **context}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{template}.txt", context),
        to=[follow.email],
        headers={
            "List-Unsubscribe": f"<{context['stop_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message


def confirmation_send(follow):
    """Send the message whose link confirms a follow; nothing else goes before it is followed."""
    # Plain quotes: an ASCII title then needs no encoded header.
    subject = f'Confirm: follow "{follow.followed}" by e-mail'
    _message(follow, subject, "following/email/confirm", {}).send()


def updates_send(now=None) -> int:
    """Send each confirmed follow that is due what became public since its last message.

    Hourly follows get a message whenever there is news; daily ones at most once a day, news
    grouped by day. A send that fails is logged and its news kept for the next run.
    """
    now = now or timezone.now()
    sent = 0
    for follow in Follow.objects.filter(confirmed_at__isnull=False).select_related(
        "request", "coalition", "organisation"
    ):
        since = follow.sent_up_to or follow.confirmed_at
        if follow.frequency == Frequency.DAILY and now - since < DAILY_GAP:
            continue
        entries = news(follow, since=since, until=now)
        if entries:
            days = by_day(entries)
            subject = f'News of "{follow.followed}": {len(entries)} new'
            message = _message(follow, subject, "following/email/news", {"days": days})
            try:
                message.send()
            except Exception:  # the mail server or network: the news waits for the next run
                logger.exception(
                    "Could not send news to follow %s; tried again next run", follow.pk
                )
                continue
            sent += 1
        Follow.objects.filter(pk=follow.pk).update(sent_up_to=now)
    return sent
