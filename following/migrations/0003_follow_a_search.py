"""A search can be followed by e-mail, as a request, a coalition or an organisation can."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0023_letters_and_events_shown_since'),
        ('following', '0002_follow_confirmation_sent_at'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='follow',
            name='follow_one_thing',
        ),
        migrations.AddField(
            model_name='follow',
            name='query',
            field=models.CharField(blank=True, max_length=200, verbose_name='search'),
        ),
        migrations.AddConstraint(
            model_name='follow',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('coalition__isnull', True), ('organisation__isnull', True), ('request__isnull', False), ('query', '')), models.Q(('coalition__isnull', False), ('organisation__isnull', True), ('request__isnull', True), ('query', '')), models.Q(('coalition__isnull', True), ('organisation__isnull', False), ('request__isnull', True), ('query', '')), models.Q(('coalition__isnull', True), ('organisation__isnull', True), ('request__isnull', True), models.Q(('query', ''), _negated=True)), _connector='OR'), name='follow_one_thing_or_search'),
        ),
    ]
