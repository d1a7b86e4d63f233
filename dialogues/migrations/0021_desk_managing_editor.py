"""The Managing editor role: everything an Editor may, and managing users and their roles
(POLICY.md, Roles). Editors and Contributors keep no permission on users, groups or tokens."""

from django.db import migrations

USER_PERMISSIONS = ["add_user", "change_user", "view_user", "view_group"]


def create_role(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after migrate; make sure they exist now.
    for app_config in apps.get_app_configs():
        # Restored as found: None in a migration's state, the real module when the browser
        # tests run this on the project's registry after a flush.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor, _ = Group.objects.get_or_create(name="Editor")
    managing, _ = Group.objects.get_or_create(name="Managing editor")
    users = Permission.objects.filter(content_type__app_label="auth", codename__in=USER_PERMISSIONS)
    managing.permissions.set([*editor.permissions.all(), *users])


def remove_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Managing editor").delete()


class Migration(migrations.Migration):
    dependencies = [("dialogues", "0020_policy_proposal_rows_only")]

    operations = [migrations.RunPython(create_role, remove_role)]
