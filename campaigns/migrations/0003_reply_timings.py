import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("campaigns", "0002_search"),
    ]

    operations = [
        migrations.AddField(
            model_name="letter",
            name="answers",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="campaigns.letter",
            ),
        ),
        migrations.AddField(
            model_name="letter",
            name="days_taken",
            field=models.PositiveIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="letter",
            name="working_days_taken",
            field=models.PositiveIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="letter",
            name="on_time",
            field=models.BooleanField(editable=False, null=True),
        ),
    ]
