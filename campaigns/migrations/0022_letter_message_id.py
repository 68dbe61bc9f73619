"""A letter keeps the Message-ID of the e-mail it was imported from, to know it again."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0021_letter_versions_name_signatures'),
    ]

    operations = [
        migrations.AddField(
            model_name='letter',
            name='message_id',
            field=models.CharField(blank=True, default='', editable=False, max_length=255, verbose_name='e-mail message ID'),
        ),
        migrations.AddIndex(
            model_name='letter',
            index=models.Index(condition=models.Q(('message_id', ''), _negated=True), fields=['request', 'message_id'], name='letter_imported_message'),
        ),
    ]
