"""Queue the sending of the campaigners' alerts and digests that are due (run it hourly)."""

from django.core.management.base import BaseCommand

from workspace.tasks import send_campaigner_alerts


class Command(BaseCommand):
    help = (
        "Queue the campaigners' alerts (reply due soon, overdue) and weekly digests that are due. "
        "Safe to run often: each is sent once."
    )

    def handle(self, *args, **options):
        result = send_campaigner_alerts.enqueue()
        self.stdout.write(f"Queued the alerts as task {result.id} ({result.status}).")
