"""Each letter and event keeps when it became public, for what is news to those who follow."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0022_letter_message_id'),
    ]

    operations = [
        migrations.AddField(
            model_name='event',
            name='shown_since',
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='shown since'),
        ),
        migrations.AddField(
            model_name='letter',
            name='shown_since',
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='shown since'),
        ),
    ]
