"""Queue the sending of news to those who follow by e-mail (run it hourly)."""

from django.core.management.base import BaseCommand

from following.tasks import send_follow_news


class Command(BaseCommand):
    help = "Queue the news due to those who follow requests, coalitions or organisations."

    def handle(self, *args, **options):
        result = send_follow_news.enqueue()
        self.stdout.write(f"Queued the news as task {result.id} ({result.status}).")
