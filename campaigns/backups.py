"""Backup and restore of the whole tracker: the database and the uploaded files in one .tar.gz.

The database goes in as Django's own fixture format (dumpdata / loaddata) rather than pg_dump:
it needs no PostgreSQL client of the server's version in the image, the same code runs (and is
tested) on SQLite and PostgreSQL, and a backup made on one loads into the other.
"""

import json
import shutil
import tarfile
import tempfile
import zlib
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
DATA = "data.json"
MEDIA = "media"
# Rebuilt by migrate (content types, permissions), or not worth restoring (login sessions,
# failed login attempts).
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "axes"]


class BackupError(Exception):
    """A backup that cannot be made or restored, with the reason in words."""


def applied_migrations():
    """Return the database's applied migrations as sorted 'app.name' strings."""
    recorder = MigrationRecorder(connection)
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def backup_write(*, out):
    """Write a backup of the database and every uploaded file to a binary file object."""
    with tempfile.TemporaryDirectory() as work:
        data = Path(work) / DATA
        with transaction.atomic():
            _without_time_limit(snapshot=True)
            call_command(
                "dumpdata",
                natural_foreign=True,
                use_base_manager=True,
                exclude=EXCLUDED,
                output=str(data),
                verbosity=0,
            )
            migrations = applied_migrations()
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "migrations": migrations,
        }
        media_root = Path(settings.MEDIA_ROOT)
        # Streamed, so that it can go to standard output and out of a container.
        with tarfile.open(fileobj=out, mode="w|gz") as archive:
            manifest_file = Path(work) / MANIFEST
            manifest_file.write_text(json.dumps(manifest, indent=2))
            archive.add(manifest_file, arcname=MANIFEST)
            archive.add(data, arcname=DATA)
            if media_root.is_dir():
                archive.add(media_root, arcname=MEDIA)


def backup_restore(*, source):
    """Replace the database and the uploaded files with those of a backup read from source."""
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        try:
            with tarfile.open(fileobj=source, mode="r|gz") as archive:
                archive.extractall(work, filter="data")
        except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
            raise BackupError(
                f"Could not read the backup: {error}. Is it a .tar.gz from manage.py backup?"
            ) from error
        manifest = _manifest(work)
        _check_migrations(manifest["migrations"])
        with transaction.atomic():
            _without_time_limit()
            call_command("flush", interactive=False, verbosity=0)
            call_command("loaddata", str(work / DATA), verbosity=0)
        _replace_media(work / MEDIA)


def _manifest(work):
    try:
        manifest = json.loads((work / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(
            f"This archive has no readable {MANIFEST}, so it is not a backup made by "
            "manage.py backup."
        ) from error
    if manifest.get("format") != FORMAT or not (work / DATA).is_file():
        raise BackupError(
            f"This backup is in format {manifest.get('format')!r}; this version of the tracker "
            f"reads format {FORMAT}."
        )
    return manifest


def _check_migrations(migrations):
    """Refuse a backup whose data was saved under another database structure."""
    here = applied_migrations()
    if migrations == here:
        return
    missing = sorted(set(migrations) - set(here))
    newer = sorted(set(here) - set(migrations))
    raise BackupError(
        "This backup was made with another version of the tracker's database structure, so it "
        "cannot be loaded here. "
        + (
            f"Migrations the backup has and this database lacks: {', '.join(missing)}. "
            if missing
            else ""
        )
        + (
            f"Migrations this database has and the backup lacks: {', '.join(newer)}. "
            if newer
            else ""
        )
        + "Restore with the release that made the backup (then upgrade), or run migrate first."
    )


def _without_time_limit(snapshot=False):
    """Lift PostgreSQL's statement timeout for this transaction; optionally freeze its view."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if snapshot and not connection.savepoint_ids:
            # Every table is read as of one moment, even while campaigners keep writing.
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SET LOCAL statement_timeout = 0")


def _replace_media(restored):
    """Make MEDIA_ROOT hold exactly the backup's files."""
    media_root = Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    # The folder itself stays: in docker compose it is a mounted volume.
    for child in media_root.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    if restored.is_dir():
        shutil.copytree(restored, media_root, dirs_exist_ok=True)
