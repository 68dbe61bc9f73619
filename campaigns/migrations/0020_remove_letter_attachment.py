"""A letter's files are its attachments now; its own file and text fields go."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0019_letter_files_become_attachments"),
    ]

    operations = [
        migrations.RemoveField(model_name="historicalletter", name="attachment"),
        migrations.RemoveField(model_name="letter", name="attachment"),
        migrations.RemoveField(model_name="letter", name="attachment_text"),
    ]
