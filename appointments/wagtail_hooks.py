"""Admin screens of the booking domain: editors keep cities, desks, services and hours."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    EditView,
    InspectView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from appointments.models import Appointment, City, Closure, Desk, Offering, Service
from appointments.permissions import DeskScopedPermissionPolicy

POLICIES = {
    model: DeskScopedPermissionPolicy(model, desk_path=path)
    for model, path in (
        (Desk, ""),
        (Offering, "desk"),
        (Closure, "desk"),
        (Appointment, "offering__desk"),
    )
}
for _model, _policy in POLICIES.items():
    register_permission_policy(_model, _policy)


class ObjectScopeMixin:
    """Wagtail's edit and inspect views check the model permission only; these also
    check the object against the user's desks."""

    scope_actions: tuple[str, ...] = ("change",)

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        policy = POLICIES[self.model]
        if not policy.user_has_any_permission_for_instance(
            self.request.user, self.scope_actions, obj
        ):
            raise PermissionDenied
        return obj


class ScopedEditView(ObjectScopeMixin, EditView):
    pass


class ScopedInspectView(ObjectScopeMixin, InspectView):
    scope_actions = ("view", "change")


class DeskScopedViewSet(SnippetViewSet):
    """Listings show only what belongs to the user's desks (the policy guards each object)."""

    list_select_related: tuple[str, ...] = ()
    inspect_view_class = ScopedInspectView
    edit_view_class = ScopedEditView

    def get_queryset(self, request):
        queryset = self.model._default_manager.select_related(*self.list_select_related)
        return POLICIES[self.model].scoped(queryset, request.user)


class CityViewSet(SnippetViewSet):
    model = City
    icon = "site"
    list_display = ["name", "region", "is_active"]
    search_fields = ["name"]


class DeskViewSet(DeskScopedViewSet):
    list_select_related = ("city",)
    model = Desk
    icon = "home"
    list_display = ["name", "city", "is_mobile", "is_active"]
    list_filter = ["city", "is_mobile"]
    search_fields = ["name", "address"]
    panels = [
        FieldRowPanel([FieldPanel("city"), FieldPanel("name")]),
        FieldPanel("is_mobile"),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
                FieldPanel("directions"),
                FieldPanel("accessibility"),
            ],
            heading=_("Place"),
        ),
        FieldPanel("what_to_bring"),
        FieldPanel("phone"),
        FieldPanel("staff_languages"),
        FieldPanel("staff"),
        FieldPanel("is_active"),
        InlinePanel("stops", heading=_("Stops of a mobile team"), label=_("stop")),
    ]


class ServiceViewSet(SnippetViewSet):
    model = Service
    icon = "list-ul"
    list_display = ["name", "kind", "locale"]
    search_fields = ["name"]


class OfferingViewSet(DeskScopedViewSet):
    list_select_related = ("desk__city", "service")
    model = Offering
    icon = "date"
    list_display = ["service", "desk", "duration_minutes", "capacity", "is_active"]
    list_filter = ["desk__city", "is_active"]
    panels = [
        FieldRowPanel([FieldPanel("desk"), FieldPanel("service")]),
        FieldRowPanel([FieldPanel("duration_minutes"), FieldPanel("capacity")]),
        FieldRowPanel([FieldPanel("min_notice_minutes"), FieldPanel("horizon_days")]),
        FieldPanel("interpreter_languages"),
        FieldPanel("is_active"),
        InlinePanel("schedule", heading=_("Opening hours"), label=_("time range")),
    ]


class ClosureViewSet(DeskScopedViewSet):
    list_select_related = ("desk", "offering")
    model = Closure
    icon = "cross"
    list_display = ["desk", "offering", "start", "end", "reason"]
    list_filter = ["desk__city"]


class AppointmentViewSet(DeskScopedViewSet):
    list_select_related = ("offering__desk__city", "offering__service")
    model = Appointment
    icon = "user"
    inspect_view_enabled = True
    list_display = ["code", "start", "offering", "status"]
    list_filter = ["status", "offering__desk__city"]
    search_fields = ["code"]


class BookingGroup(SnippetViewSetGroup):
    menu_label = _("Bookings")
    menu_icon = "date"
    menu_order = 200
    items = (
        CityViewSet,
        DeskViewSet,
        ServiceViewSet,
        OfferingViewSet,
        ClosureViewSet,
        AppointmentViewSet,
    )


register_snippet(BookingGroup)
