"""Keep each request's derived data (reply timings, search text) in step with its parts."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from campaigns.models import Event, Letter, Request
from campaigns.services import request_refresh


@receiver(post_save, sender=Letter)
@receiver(post_delete, sender=Letter)
@receiver(post_save, sender=Event)
@receiver(post_delete, sender=Event)
def refresh_after_part_changes(sender, instance, raw=False, **kwargs):
    if not raw:
        request_refresh(request_id=instance.request_id)


@receiver(post_save, sender=Request)
def refresh_after_request_changes(sender, instance, raw=False, **kwargs):
    if not raw:
        request_refresh(request_id=instance.pk)
