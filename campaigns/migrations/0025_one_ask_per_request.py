"""Each request's summary becomes its one ask, so existing requests read exactly as before."""

from django.db import migrations


def summaries_become_asks(apps, schema_editor):
    Ask = apps.get_model("campaigns", "Ask")
    Request = apps.get_model("campaigns", "Request")
    quote = schema_editor.connection.ops.quote_name
    # One statement, not a row at a time: a network holds 100,000 requests.
    schema_editor.execute(
        f"INSERT INTO {quote(Ask._meta.db_table)} (request_id, text, position) "
        f"SELECT id, summary, 0 FROM {quote(Request._meta.db_table)}"
    )


def asks_removed(apps, schema_editor):
    apps.get_model("campaigns", "Ask").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0024_asks")]

    operations = [migrations.RunPython(summaries_become_asks, asks_removed)]
