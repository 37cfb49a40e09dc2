"""Giving a group permissions by name (``app_label.codename``)."""

from __future__ import annotations


def permissions_grant(group, perms) -> None:
    """The group holds at least these permissions (``app_label.codename``)."""
    from django.contrib.auth.models import Permission

    for perm in perms:
        app_label, codename = perm.split(".")
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
