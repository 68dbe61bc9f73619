"""Write one .tar.gz holding the database and every uploaded file."""

import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from campaigns.backups import BackupError, backup_write


class Command(BaseCommand):
    help = (
        "Back up the database and the uploaded files to one .tar.gz, or to standard output "
        "with '-' (docker compose exec -T web python manage.py backup - > backup.tar.gz)."
    )

    def add_arguments(self, parser):
        parser.add_argument("output", help="Path of the .tar.gz to write, or '-' for stdout.")

    def handle(self, *args, output, **options):
        try:
            if output == "-":
                backup_write(out=sys.stdout.buffer)
                sys.stdout.buffer.flush()
                return
            path = Path(output)
            # Written beside its final name and moved there only once complete.
            partial = path.with_name(path.name + ".partial")
            try:
                with partial.open("wb") as out:
                    backup_write(out=out)
                os.replace(partial, path)
            finally:
                partial.unlink(missing_ok=True)
        except (BackupError, OSError) as error:
            raise CommandError(f"The backup was not made: {error}") from error
        self.stderr.write(self.style.SUCCESS(f"Backed up the database and files to {path}."))
