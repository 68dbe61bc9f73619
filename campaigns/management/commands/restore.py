"""Replace the database and the uploaded files with those of a backup."""

import sys

from django.core.management.base import BaseCommand, CommandError

from campaigns.backups import BackupError, backup_restore

WARNING = (
    "This replaces everything in the database (requests, letters, users...) and every uploaded "
    "file with the backup's. Type 'yes' to go on: "
)


class Command(BaseCommand):
    help = (
        "Restore a backup made by 'manage.py backup': the database and the uploaded files. "
        "Read it from standard input with '-' and --no-input "
        "(docker compose exec -T web python manage.py restore --no-input - < backup.tar.gz)."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Path of the .tar.gz to read, or '-' for stdin.")
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, archive, interactive, **options):
        if interactive:
            if archive == "-":
                raise CommandError(
                    "The backup comes on standard input, so there is no way to ask before "
                    "replacing everything: add --no-input."
                )
            if input(WARNING).strip().lower() != "yes":
                raise CommandError("Nothing was restored.")
        try:
            if archive == "-":
                backup_restore(source=sys.stdin.buffer)
            else:
                with open(archive, "rb") as source:
                    backup_restore(source=source)
        except (BackupError, OSError) as error:
            raise CommandError(f"Nothing was restored: {error}") from error
        self.stderr.write(self.style.SUCCESS("Restored the database and files from the backup."))
