"""Wagtail's default "Editors" and "Moderators" groups no longer reach every page: each
city has its own editors (cms.editors), and the shared list of services is kept by
administrators."""

from django.db import migrations


def narrow(apps, schema_editor):
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Group = apps.get_model("auth", "Group")
    GroupPagePermission.objects.filter(group__name__in=["Editors", "Moderators"]).delete()
    editors = Group.objects.filter(name="Editors").first()
    if editors is not None:
        editors.permissions.remove(
            *editors.permissions.filter(
                content_type__app_label="appointments",
                codename__in=["add_service", "change_service", "delete_service"],
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0002_service_and_standard_pages"),
        ("wagtailcore", "0098_apitoken"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(narrow, migrations.RunPython.noop)]
