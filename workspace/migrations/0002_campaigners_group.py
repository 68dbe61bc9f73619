"""Create the "Campaigners" group with the model permissions campaigners need.

Publishing is not among them: it comes from a publisher's role in a coalition.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Campaigners"
# Shared organisations and people may be proposed and corrected, never deleted.
PERMISSIONS = {
    "request": ("add", "change", "delete", "view"),
    "letter": ("add", "change", "delete", "view"),
    "event": ("add", "change", "delete", "view"),
    "membership": ("add", "change", "delete", "view"),
    "organisation": ("add", "change", "view"),
    "person": ("add", "change", "view"),
    "coalition": ("view",),
}


def group_create(apps, schema_editor):
    # Permissions are made after every migration has run; make the app's now, on a new database.
    campaigns = apps.get_app_config("campaigns")
    campaigns.models_module = True
    create_permissions(campaigns, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    codenames = [
        f"{action}_{model}" for model, actions in PERMISSIONS.items() for action in actions
    ]
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="campaigns", codename__in=codenames)
    )


def group_delete(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("workspace", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(group_create, group_delete)]
