"""Recompute every request's derived data: reply timings and search text."""

from django.core.management.base import BaseCommand

from campaigns.models import Request
from campaigns.services import request_refresh


class Command(BaseCommand):
    help = "Recompute reply timings and search text for every request (after an upgrade)."

    def handle(self, *args, **options):
        count = 0
        for request_id in Request.objects.values_list("pk", flat=True).iterator():
            request_refresh(request_id=request_id)
            count += 1
        self.stdout.write(self.style.SUCCESS(f"Refreshed {count} request(s)."))
