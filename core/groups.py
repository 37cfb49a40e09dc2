"""Staff groups and their permissions, kept by each app after every migration."""

from __future__ import annotations


def groups_ensure(app_labels: tuple[str, ...], group_permissions: dict[str, list[str]]) -> None:
    """Each group exists and holds at least these permissions (``app_label.codename``)."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group

    # An app's post_migrate may run before auth's for the same apps: make sure they exist.
    for label in app_labels:
        create_permissions(apps.get_app_config(label), verbosity=0)
    for name, perms in group_permissions.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions_grant(group, perms)


def permissions_grant(group, perms) -> None:
    """The group holds at least these permissions (``app_label.codename``)."""
    from django.contrib.auth.models import Permission

    for perm in perms:
        app_label, codename = perm.split(".")
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
