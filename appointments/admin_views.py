"""Wagtail admin views narrowed to the desks a staff member works at (``Desk.staff``).

Wagtail checks model permissions; several of its views (edit, inspect, delete, the
chooser) fetch any object by id. These subclasses check the object too, and forms offer
only the user's own desks and offerings.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.functional import cached_property
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
)
from wagtail.snippets.views.snippets import (
    CopyView,
    DeleteView,
    EditView,
    HistoryView,
    IndexView,
    InspectView,
    SnippetViewSet,
    UsageView,
)

from appointments.models import (
    Appointment,
    City,
    Closure,
    Desk,
    DeskText,
    HolidayOpening,
    Offering,
)
from appointments.permissions import (
    BookingPermissionPolicy,
    CityPermissionPolicy,
    DeskScopedPermissionPolicy,
    desk_scope,
)

POLICIES = {
    Desk: DeskScopedPermissionPolicy(Desk, desk_path=""),
    Offering: DeskScopedPermissionPolicy(Offering, desk_path="desk"),
    Closure: DeskScopedPermissionPolicy(Closure, desk_path="desk"),
    DeskText: DeskScopedPermissionPolicy(DeskText, desk_path="desk"),
    HolidayOpening: DeskScopedPermissionPolicy(HolidayOpening, desk_path="desk"),
    Appointment: BookingPermissionPolicy(Appointment, desk_path="offering__desk"),
    City: CityPermissionPolicy(City, desk_path=""),
}
for _model, _policy in POLICIES.items():
    register_permission_policy(_model, _policy)


def desk_scoped_register(model, *, desk_path: str) -> None:
    """Another app's model whose admin screens are narrowed to the user's desks."""
    POLICIES[model] = DeskScopedPermissionPolicy(model, desk_path=desk_path)
    register_permission_policy(model, POLICIES[model])


def scoped(model, queryset, user):
    return POLICIES[model].scoped(queryset, user)


class ObjectScopeMixin:
    scope_actions: tuple[str, ...] = ("change",)

    def get_object(self, *args):
        obj = super().get_object(*args)
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


class ScopedHistoryView(ObjectScopeMixin, HistoryView):
    scope_actions = ("view", "change")


class ScopedUsageView(ObjectScopeMixin, UsageView):
    scope_actions = ("view", "change")


class ScopedCopyView(ObjectScopeMixin, CopyView):
    scope_actions = ("view", "change")


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


def desk_limits(user) -> dict:
    """The cities, desks and offerings a user's choices (form fields, listing filters) are
    limited to: those of their own desks."""
    desks = Desk.objects.filter(desk_scope(user)).distinct()
    return {
        City: City.objects.filter(desks__in=desks).distinct(),
        Desk: desks,
        Offering: Offering.objects.filter(desk__in=desks),
    }


def _limit_choices(fields, user) -> None:
    if user is None or user.is_superuser:
        return
    limits = desk_limits(user)
    for field in fields.values():
        queryset = getattr(field, "queryset", None)
        if queryset is not None and queryset.model in limits:
            field.queryset = limits[queryset.model]


class DeskScopedForm(WagtailAdminModelForm):
    """Choices of city, desk and offering limited to the user's own desks."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        _limit_choices(self.fields, for_user)


class ScopedIndexView(IndexView):
    """A listing whose filters offer only the user's own cities, desks and offerings (the
    choices would otherwise name every city's)."""

    @cached_property
    def filters(self):
        filters = super().filters
        if filters is not None:
            _limit_choices(filters.form.fields, self.request.user)
        return filters


class DeskScopedViewSet(SnippetViewSet):
    """Listings show only what belongs to the user's desks; each object is checked too."""

    list_select_related: tuple[str, ...] = ()
    index_view_class = ScopedIndexView
    inspect_view_class = ScopedInspectView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    copy_view_class = ScopedCopyView
    chooser_viewset_class = ScopedChooserViewSet

    def get_queryset(self, request):
        queryset = self.model._default_manager.select_related(*self.list_select_related)
        return scoped(self.model, queryset, request.user)
