import django.contrib.postgres.search
from django.db import migrations, models

GIN_INDEX = "campaigns_request_search_vector_gin"


def create_gin_index(apps, schema_editor):
    # Only PostgreSQL has tsvector and GIN; on SQLite the search falls back to plain text.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {GIN_INDEX} ON campaigns_request USING gin (search_vector)"
        )


def drop_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("campaigns", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="letter",
            name="attachment_text",
            field=models.TextField(blank=True, editable=False, verbose_name="attachment text"),
        ),
        migrations.AddField(
            model_name="request",
            name="search_document",
            field=models.TextField(blank=True, editable=False, verbose_name="search text"),
        ),
        migrations.AddField(
            model_name="request",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(create_gin_index, drop_gin_index),
    ]
