"""Wagtail admin views narrowed to the desks a staff member works at (``Desk.staff``).

Wagtail checks model permissions; several of its views (edit, inspect, delete, the
chooser) fetch any object by id. These subclasses check the object too, and forms offer
only the user's own desks and offerings.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
)
from wagtail.snippets.views.snippets import DeleteView, EditView, InspectView, SnippetViewSet

from appointments.models import Appointment, City, Closure, Desk, Offering
from appointments.permissions import BookingPermissionPolicy, DeskScopedPermissionPolicy

POLICIES = {
    Desk: DeskScopedPermissionPolicy(Desk, desk_path=""),
    Offering: DeskScopedPermissionPolicy(Offering, desk_path="desk"),
    Closure: DeskScopedPermissionPolicy(Closure, desk_path="desk"),
    Appointment: BookingPermissionPolicy(Appointment, desk_path="offering__desk"),
}
for _model, _policy in POLICIES.items():
    register_permission_policy(_model, _policy)


def scoped(model, queryset, user):
    return POLICIES[model].scoped(queryset, user)


class ObjectScopeMixin:
    scope_actions: tuple[str, ...] = ("change",)

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not POLICIES[self.model].user_has_any_permission_for_instance(
            self.request.user, self.scope_actions, obj
        ):
            raise PermissionDenied
        return obj


class ScopedEditView(ObjectScopeMixin, EditView):
    pass


class ScopedInspectView(ObjectScopeMixin, InspectView):
    scope_actions = ("view", "change")


class ScopedDeleteView(ObjectScopeMixin, DeleteView):
    scope_actions = ("delete",)


class ScopedChooseView(ChooseView):
    def get_object_list(self):
        return scoped(self.model_class, super().get_object_list(), self.request.user)


class ScopedChooseResultsView(ChooseResultsView):
    def get_object_list(self):
        return scoped(self.model_class, super().get_object_list(), self.request.user)


class ScopedChosenView(SnippetChosenView):
    def get_object(self, pk):
        return scoped(self.model_class, self.model_class.objects.all(), self.request.user).get(
            pk=pk
        )


class ScopedChosenMultipleView(SnippetChosenMultipleView):
    def get_objects(self, pks):
        return scoped(self.model_class, super().get_objects(pks), self.request.user)


class ScopedChooserViewSet(SnippetChooserViewSet):
    choose_view_class = ScopedChooseView
    choose_results_view_class = ScopedChooseResultsView
    chosen_view_class = ScopedChosenView
    chosen_multiple_view_class = ScopedChosenMultipleView


class DeskScopedForm(WagtailAdminModelForm):
    """Choices of city, desk and offering limited to the user's own desks."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is None or for_user.is_superuser:
            return
        desks = Desk.objects.filter(staff=for_user)
        limits = {
            "city": City.objects.filter(desks__in=desks).distinct(),
            "desk": desks,
            "offering": Offering.objects.filter(desk__in=desks),
        }
        for name, queryset in limits.items():
            if name in self.fields:
                self.fields[name].queryset = queryset


class DeskScopedViewSet(SnippetViewSet):
    """Listings show only what belongs to the user's desks; each object is checked too."""

    list_select_related: tuple[str, ...] = ()
    inspect_view_class = ScopedInspectView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    chooser_viewset_class = ScopedChooserViewSet

    def get_queryset(self, request):
        queryset = self.model._default_manager.select_related(*self.list_select_related)
        return scoped(self.model, queryset, request.user)
