"""Following's work for the task worker: confirmations and news, sent outside any web request."""

from django_tasks import task

from following.mail import confirmation_send, confirmations_send, updates_send
from following.models import Follow


@task()
def send_confirmation(follow_id):
    """Send a new follow its confirmation, unless it was withdrawn meanwhile."""
    follow = Follow.objects.filter(pk=follow_id, confirmed_at__isnull=True).first()
    if follow is not None:
        confirmation_send(follow)


@task()
def send_follow_news():
    """Send the confirmations not sent yet, and every confirmed follow the news that is due."""
    return {"confirmations": confirmations_send(), "news": updates_send()}
