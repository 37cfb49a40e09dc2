"""Staff see and change only what belongs to the desks they work at (``Desk.staff``), and
a city's editors what belongs to their city's desks."""

from __future__ import annotations

from django.db.models import Q
from wagtail.permission_policies import ModelPermissionPolicy


def desk_scope(user, desk_path: str = "") -> Q:
    """The desks a user works with: as their staff, or as an editor of their city (the
    city's editors group). ``desk_path`` leads from a model to its desk."""
    prefix = f"{desk_path}__" if desk_path else ""
    return Q(**{f"{prefix}staff": user}) | Q(**{f"{prefix}city__editors__user": user})


class DeskScopedPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, narrowed to instances whose desk lists the user as staff.

    ``desk_path`` is the lookup from the model to its desk ("" for Desk itself).
    Superusers are not narrowed.
    """

    def __init__(self, model, *, desk_path: str) -> None:
        super().__init__(model)
        self.desk_path = desk_path

    def in_scope(self, user) -> Q:
        return desk_scope(user, self.desk_path)

    def scoped(self, queryset, user):
        if user.is_superuser:
            return queryset
        return queryset.filter(self.in_scope(user)).distinct()

    def _in_scope(self, user, instance) -> bool:
        if user.is_superuser:
            return True
        return self.scoped(self.model._default_manager.filter(pk=instance.pk), user).exists()

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and self._in_scope(user, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions) and self._in_scope(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        return self.scoped(super().instances_user_has_any_permission_for(user, actions), user)


class BookingPermissionPolicy(DeskScopedPermissionPolicy):
    """Bookings: the staff of their desk, and the partner organisation that made them."""

    def in_scope(self, user) -> Q:
        # A city's editors write pages; people's bookings are for the desk's own staff.
        made_for_my_organisation = Q(partner__members=user, partner__is_active=True)
        return Q(**{f"{self.desk_path}__staff": user}) | made_for_my_organisation


class CityPermissionPolicy(DeskScopedPermissionPolicy):
    """Cities: those where the user works at a desk, edits the pages, or whose desks their
    partner organisation books at."""

    def in_scope(self, user) -> Q:
        return (
            Q(desks__staff=user)
            | Q(editors__user=user)
            | Q(desks__partners__members=user, desks__partners__is_active=True)
        )
