"""Campaigners enter a request's asks, as they enter its letters and events."""

from django.db import migrations

from workspace.migrations import _permissions

CODENAMES = ["add_ask", "change_ask", "delete_ask", "view_ask"]


class Migration(migrations.Migration):
    dependencies = [
        ("workspace", "0004_campaigner_alerts"),
        ("campaigns", "0024_asks"),
    ]

    operations = [
        migrations.RunPython(_permissions.granter(CODENAMES), _permissions.withdrawer(CODENAMES))
    ]
