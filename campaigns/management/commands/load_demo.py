"""Load the reference case as demo data."""

from django.core.management.base import BaseCommand

from campaigns.demo import demo_load


class Command(BaseCommand):
    help = "Load the 2022 coalition request to the Child Safeguarding Practice Review Panel."

    def handle(self, *args, **options):
        request = demo_load()
        self.stdout.write(self.style.SUCCESS(f"Demo case loaded: {request.get_absolute_url()}"))
