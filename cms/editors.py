"""Each city has its editors: a group that creates, edits and publishes the city's pages in
every language (Wagtail page permissions on the city's page in each locale's tree, which
covers its service pages) and edits the texts of the city's desks. Nothing else: the home
page, the standard pages and the shared lists (service categories, services) are kept by
administrators.

The group is made with the city (``city_add``, the demo) and its page permissions follow
the city's page into every locale (a ``post_save`` of CityPage: aliases made later by
wagtail-localize get them too).
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission

from appointments.models import City
from core.groups import permissions_grant

# What a city's editors may do with the pages under their city's page, in every locale.
PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
# Model permissions (the admin narrows desk texts and desks to the city's own).
MODEL_PERMISSIONS = (
    "wagtailadmin.access_admin",
    "wagtail_localize.submit_translation",
    "appointments.add_desktext",
    "appointments.change_desktext",
    "appointments.view_desktext",
    "appointments.view_desk",
    *(f"appointments.{action}_holidayopening" for action in ("add", "change", "delete", "view")),
)


def city_editors_ensure(city: City) -> Group:
    """The city's editors group, with its permissions on every locale's page of the city."""
    from cms.models import CityPage

    group = city.editors
    if group is None:
        # The slug keeps two cities of the same name apart.
        name = f"Editors · {city.name}"
        if Group.objects.filter(name=name).exclude(city=city).exists():
            name = f"Editors · {city.name} ({city.slug})"
        group, _created = Group.objects.get_or_create(name=name)
        city.editors = group
        city.save(update_fields=["editors"])
    permissions_grant(group, MODEL_PERMISSIONS)
    _grant(group, CityPage.objects.filter(city=city))
    return group


def _grant(group: Group, pages) -> None:
    permissions = list(
        Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS
        )
    )
    for page in pages:
        for permission in permissions:
            GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


def city_page_saved(sender, instance, created, raw=False, **kwargs) -> None:
    """A city's page in one more locale (an alias, a translation) gets its editors."""
    if raw or not created or instance.city_id is None:
        return
    group = City.objects.filter(pk=instance.city_id).values_list("editors", flat=True).first()
    if group is not None:
        _grant(Group.objects.get(pk=group), [instance])
