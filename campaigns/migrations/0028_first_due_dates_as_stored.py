"""Every letter's due date so far is its first: no deadline has been changed yet."""

from django.db import migrations
from django.db.models import F


def first_due_dates(apps, schema_editor):
    Letter = apps.get_model("campaigns", "Letter")
    Request = apps.get_model("campaigns", "Request")
    # One statement each, not a row at a time: a network holds half a million letters.
    Letter.objects.update(original_due_on=F("due_on"), on_time_original=F("on_time"))
    Request.objects.update(latest_reply_on_time_original=F("latest_reply_on_time"))


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0027_deadline_ledger")]

    operations = [migrations.RunPython(first_due_dates, migrations.RunPython.noop)]
