"""Staff see and change only what belongs to the desks they work at (``Desk.staff``)."""

from __future__ import annotations

from django.db.models import Q
from wagtail.permission_policies import ModelPermissionPolicy


class DeskScopedPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, narrowed to instances whose desk lists the user as staff.

    ``desk_path`` is the lookup from the model to its desk ("" for Desk itself).
    Superusers are not narrowed.
    """

    def __init__(self, model, *, desk_path: str) -> None:
        super().__init__(model)
        self.staff_lookup = f"{desk_path}__staff" if desk_path else "staff"

    def in_scope(self, user) -> Q:
        return Q(**{self.staff_lookup: user})

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
        made_for_my_organisation = Q(partner__members=user, partner__is_active=True)
        return super().in_scope(user) | made_for_my_organisation
