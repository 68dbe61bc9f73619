"""Each version of a letter names who signed it, as its many-to-many fields are not versioned."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0020_remove_letter_attachment'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalletter',
            name='signatory_organisations',
            field=models.TextField(blank=True, default='', verbose_name='signatory organisations'),
        ),
        migrations.AddField(
            model_name='historicalletter',
            name='signed_by',
            field=models.TextField(blank=True, default='', verbose_name='signed by'),
        ),
    ]
