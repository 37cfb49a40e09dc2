"""Admin screens of the booking domain: editors keep cities, desks, services and hours."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from appointments.models import Appointment, City, Closure, Desk, Offering, Service


class CityViewSet(SnippetViewSet):
    model = City
    icon = "site"
    list_display = ["name", "region", "is_active"]
    search_fields = ["name"]


class DeskViewSet(SnippetViewSet):
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

    def get_queryset(self, request):
        qs = Desk.objects.select_related("city")
        if request.user.is_superuser:
            return qs
        return qs.filter(staff=request.user)


class ServiceViewSet(SnippetViewSet):
    model = Service
    icon = "list-ul"
    list_display = ["name", "kind", "locale"]
    search_fields = ["name"]


class OfferingViewSet(SnippetViewSet):
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

    def get_queryset(self, request):
        qs = Offering.objects.select_related("desk__city", "service")
        if request.user.is_superuser:
            return qs
        return qs.filter(desk__staff=request.user)


class ClosureViewSet(SnippetViewSet):
    model = Closure
    icon = "cross"
    list_display = ["desk", "offering", "start", "end", "reason"]
    list_filter = ["desk__city"]


class AppointmentViewSet(SnippetViewSet):
    model = Appointment
    icon = "user"
    inspect_view_enabled = True
    list_display = ["code", "start", "offering", "status"]
    list_filter = ["status", "offering__desk__city"]
    search_fields = ["code"]

    def get_queryset(self, request):
        qs = Appointment.objects.select_related("offering__desk__city", "offering__service")
        if request.user.is_superuser:
            return qs
        return qs.filter(offering__desk__staff=request.user)


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
