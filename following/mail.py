"""The e-mails of following: the confirmation asked for, and the news of what was followed.

Every message names its follow's own unsubscribe address, in its text and in the
List-Unsubscribe headers (one-click, RFC 8058), and never another's address.
"""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from campaigns.mail import mail_send
from following.models import Follow, Frequency
from following.news import by_day, news

# A daily digest goes when the last went at least this long ago (runs are hourly).
DAILY_GAP = timedelta(hours=23)


def follow_links(follow) -> dict:
    return {
        "confirm_url": settings.SITE_URL + reverse("following:confirm", args=[follow.token]),
        "stop_url": settings.SITE_URL + reverse("following:stop", args=[follow.token]),
        "site_url": settings.SITE_URL,
    }


def _send(follow, subject, template, context, *, about) -> bool:
    """Send a follow one of its messages, with its unsubscribe headers; say if it went."""
    context = {"follow": follow, "followed": follow.followed, **follow_links(follow), **context}
    return mail_send(
        to=follow.email,
        subject=subject,
        template=template,
        context=context,
        about=f"follow {follow.pk} {about}",
        headers={
            "List-Unsubscribe": f"<{context['stop_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


# A confirmation that could not be sent is tried again for this long after the ask.
CONFIRMATION_RETRY_FOR = timedelta(days=1)


def confirmation_send(follow) -> bool:
    """Send the message whose link confirms a follow; nothing else goes before it is followed.

    Return whether the mail server took it; if not, it is logged and `confirmations_send`
    tries again.
    """
    # Plain quotes: an ASCII title then needs no encoded header.
    subject = f'Confirm: follow "{follow.followed}" by e-mail'
    if not _send(follow, subject, "following/email/confirm", {}, about="its confirmation"):
        return False
    Follow.objects.filter(pk=follow.pk).update(confirmation_sent_at=timezone.now())
    return True


def confirmations_send(now=None) -> int:
    """Send again the confirmations not sent yet, of asks less than a day old; return how many."""
    now = now or timezone.now()
    waiting = Follow.objects.filter(
        confirmed_at__isnull=True,
        confirmation_sent_at__isnull=True,
        created_at__gte=now - CONFIRMATION_RETRY_FOR,
    ).select_related("request", "coalition", "organisation")
    return sum(confirmation_send(follow) for follow in waiting)


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
            if not _send(follow, subject, "following/email/news", {"days": days}, about="its news"):
                continue  # the news waits for the next run
            sent += 1
        Follow.objects.filter(pk=follow.pk).update(sent_up_to=now)
    return sent
