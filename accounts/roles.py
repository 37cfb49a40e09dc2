"""Staff roles: a group each, with the permissions each app declares for it.

| role | group | what |
| --- | --- | --- |
| operator | Operators | their desks' day: the console, bookings, booking for someone |
| desk manager | Desk managers | their desks: queues, counters, offerings, closures, the screen's address, calling out of order |
| editor | Editors, and "Editors · <city>" (cms.editors) | the offer, and one city's pages in every language |
| partner organisation | Partners | books at its linked desks, sees its own bookings |

Which desks and cities a person reaches is not a permission but a membership: ``Desk.staff``,
``PartnerOrganisation.members``, ``City.editors``.

Each default is given once and recorded (``RoleGrant``), after every ``migrate``: a new
permission a release adds reaches the role's group, but a permission an administrator took
away, or a group they deleted, stays so. (A flushed database, as in tests, has no record
and gets the defaults again.)
"""

from __future__ import annotations


def roles_ensure(app_labels: tuple[str, ...], role_permissions: dict[str, list[str]]) -> None:
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group

    from accounts.models import RoleGrant
    from core.groups import permissions_grant

    # An app's post_migrate may run before auth's for the same apps: make sure they exist.
    for label in app_labels:
        create_permissions(apps.get_app_config(label), verbosity=0)
    for role, perms in role_permissions.items():
        done = set(RoleGrant.objects.filter(role=role).values_list("permission", flat=True))
        new = [perm for perm in perms if perm not in done]
        if not new:
            continue
        if done and not Group.objects.filter(name=role).exists():
            group = None  # an administrator deleted the group: it stays deleted
        else:
            group, _ = Group.objects.get_or_create(name=role)
        if group is not None:
            permissions_grant(group, new)
        RoleGrant.objects.bulk_create(
            [RoleGrant(role=role, permission=perm) for perm in new], ignore_conflicts=True
        )
