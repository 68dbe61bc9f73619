"""Fill in the stored facts of existing requests, and their letters' timings, by the round rule."""

from django.db import migrations

FACT_FIELDS = (
    "first_sent_on",
    "open_letter",
    "open_due_on",
    "latest_reply",
    "latest_reply_on",
    "latest_reply_outcome",
    "latest_reply_working_days",
    "latest_reply_on_time",
    "last_activity_on",
    "last_activity_precision",
)


def fill_facts(apps, schema_editor):
    from campaigns.correspondence import reply_timings, request_facts

    Request = apps.get_model("campaigns", "Request")
    Letter = apps.get_model("campaigns", "Letter")
    ids = list(Request.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), 500):
        batch = list(
            Request.objects.filter(pk__in=ids[start : start + 500]).prefetch_related(
                "letters", "events"
            )
        )
        letters_changed = []
        for request in batch:
            letters, events = list(request.letters.all()), list(request.events.all())
            facts = request_facts(letters, events)
            for name in FACT_FIELDS:
                setattr(request, name, getattr(facts, name))
            for letter in letters:
                timing = reply_timings(letters).get(letter.pk)
                if timing and timing.on_time is None and letter.on_time is not None:
                    letter.on_time = None  # acknowledgements are no longer "on time"
                    letters_changed.append(letter)
        Request.objects.bulk_update(batch, FACT_FIELDS)
        Letter.objects.bulk_update(letters_changed, ["on_time"])


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0004_request_stored_facts")]

    operations = [migrations.RunPython(fill_facts, migrations.RunPython.noop)]
