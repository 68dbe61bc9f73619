"""Grant the "Campaigners" group more of the campaigns app's model permissions, and take them
back: shared by the migrations that add models campaigners enter."""

from django.contrib.auth.management import create_permissions

GROUP = "Campaigners"


def _group_permissions(apps, codenames):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    found = Permission.objects.filter(content_type__app_label="campaigns", codename__in=codenames)
    return group, found


def granter(codenames):
    """Return a migration function that gives the group these permissions, if it exists."""

    def grant(apps, schema_editor):
        # Permissions are made after every migration has run; make the app's now.
        campaigns = apps.get_app_config("campaigns")
        campaigns.models_module = True
        create_permissions(campaigns, apps=apps, verbosity=0)
        group, found = _group_permissions(apps, codenames)
        if group is not None:
            group.permissions.add(*found)

    return grant


def withdrawer(codenames):
    """Return a migration function that takes these permissions from the group."""

    def withdraw(apps, schema_editor):
        group, found = _group_permissions(apps, codenames)
        if group is not None:
            group.permissions.remove(*found)

    return withdraw
