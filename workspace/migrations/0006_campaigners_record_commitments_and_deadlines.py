"""Campaigners record what a body promised and when a reply's due date moved, as they enter
letters and events."""

from django.db import migrations

from workspace.migrations import _permissions

CODENAMES = [
    f"{action}_{model}"
    for model in ("commitment", "deadlinechange")
    for action in ("add", "change", "delete", "view")
]


class Migration(migrations.Migration):
    dependencies = [
        ("workspace", "0005_campaigners_enter_asks"),
        ("campaigns", "0027_deadline_ledger"),
    ]

    operations = [
        migrations.RunPython(_permissions.granter(CODENAMES), _permissions.withdrawer(CODENAMES))
    ]
