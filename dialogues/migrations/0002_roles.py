"""The newsroom roles. Contributors write drafts; Editors do everything on content, publishing
included. Both are staff so they can use the admin."""

from django.db import migrations

CONTENT_MODELS = [
    "organization", "product", "topic", "speaker", "speakeralias", "affiliation", "event",
    "dialogue", "participant", "coverage", "section", "quote", "claim", "claimfigure",
    "evidencesource", "commentary", "correction",
]


def create_roles(apps, schema_editor):
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
    content = Permission.objects.filter(content_type__app_label="dialogues", content_type__model__in=CONTENT_MODELS)

    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.set(content)

    contributor, _ = Group.objects.get_or_create(name="Contributor")
    contributor.permissions.set(
        content.filter(codename__regex=r"^(add|change|view)_").exclude(codename="publish_coverage")
    )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editor", "Contributor"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("dialogues", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
