"""Keep a request's search vector and text in its row on PostgreSQL, not in TOAST.

A search checks each candidate row's vector: 42% of them (over 2 kB) were compressed and
stored out of line, so each check read the TOAST index and chunks and decompressed them.
With the table's toast_tuple_target at its highest, rows up to 8,160 bytes keep their values
inline and uncompressed; larger rows are still compressed and moved out. A row takes this
storage when next written: `manage.py refresh_requests` rewrites them all.
"""

from django.db import migrations

TARGET_BYTES = 8160  # PostgreSQL's highest toast_tuple_target: a row must fit in an 8 kB page


def keep_inline(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE campaigns_request SET (toast_tuple_target = {TARGET_BYTES})"
        )


def toast_as_before(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE campaigns_request RESET (toast_tuple_target)")


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0034_request_has_events"),
    ]

    operations = [
        migrations.RunPython(keep_inline, toast_as_before, elidable=False),
    ]
