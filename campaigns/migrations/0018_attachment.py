"""A letter's files become records of their own: several per letter, each with its text."""

import campaigns.attachments
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0017_letter_signers'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Attachment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('file', models.FileField(max_length=255, upload_to='attachments/%Y/%m/', validators=[campaigns.attachments.validate_attachment], verbose_name='file')),
                ('name', models.CharField(help_text='As uploaded; shown to readers.', max_length=200, verbose_name='name')),
                ('content_type', models.CharField(editable=False, max_length=40, verbose_name='type')),
                ('size', models.PositiveBigIntegerField(editable=False, verbose_name='size in bytes')),
                ('text', models.TextField(blank=True, editable=False, verbose_name='text')),
                ('is_private', models.BooleanField(default=False, help_text='Kept off every public page and the API, even when the letter is public.', verbose_name='private')),
                ('letter', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attachments', to='campaigns.letter', verbose_name='letter')),
            ],
            options={
                'verbose_name': 'attachment',
                'verbose_name_plural': 'attachments',
                'ordering': ['pk'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalAttachment',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('file', models.TextField(max_length=255, validators=[campaigns.attachments.validate_attachment], verbose_name='file')),
                ('name', models.CharField(help_text='As uploaded; shown to readers.', max_length=200, verbose_name='name')),
                ('content_type', models.CharField(editable=False, max_length=40, verbose_name='type')),
                ('size', models.PositiveBigIntegerField(editable=False, verbose_name='size in bytes')),
                ('is_private', models.BooleanField(default=False, help_text='Kept off every public page and the API, even when the letter is public.', verbose_name='private')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('letter', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='campaigns.letter', verbose_name='letter')),
            ],
            options={
                'verbose_name': 'historical attachment',
                'verbose_name_plural': 'historical attachments',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
    ]
