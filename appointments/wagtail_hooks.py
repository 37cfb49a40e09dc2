"""Admin screens of the booking domain: editors keep cities, desks, services and hours."""

from django.contrib import messages
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from appointments.admin_audit import AuditLogView
from appointments.admin_holidays import HolidaysView
from appointments.admin_pages import AppointmentInspectView, FailedMessagesView
from appointments.admin_views import DeskScopedForm, DeskScopedViewSet
from appointments.models import (
    Appointment,
    City,
    Closure,
    Desk,
    DeskText,
    HolidayOpening,
    Offering,
    PartnerOrganisation,
    PatronDay,
    Service,
)


class CityViewSet(DeskScopedViewSet):
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
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("city"), FieldPanel("name")]),
            FieldPanel("short_name"),
            FieldPanel("is_mobile"),
            MultiFieldPanel(
                [
                    FieldPanel("address"),
                    FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
                ],
                heading=_("Place"),
                help_text=_(
                    "How to get there, what to bring and accessibility notes are desk texts, "
                    "translated into every language (Bookings > Desk texts)."
                ),
            ),
            FieldPanel("phone"),
            FieldPanel("staff_languages"),
            FieldPanel("staff"),
            FieldPanel("is_active"),
            InlinePanel("walk_in_hours", heading=_("Walk-in hours"), label=_("time range")),
            InlinePanel("stops", heading=_("Stops of a mobile team"), label=_("stop")),
        ],
        base_form_class=DeskScopedForm,
    )


class DeskTextViewSet(DeskScopedViewSet):
    """What people read about a desk, per language (translated with wagtail-localize)."""

    list_select_related = ("desk__city", "locale")
    model = DeskText
    icon = "doc-full"
    list_display = ["desk", "locale", "public_name"]
    list_filter = ["locale"]
    edit_handler = ObjectList(
        [
            FieldPanel("desk"),
            FieldPanel("public_name"),
            FieldPanel("directions"),
            FieldPanel("what_to_bring"),
            FieldPanel("accessibility"),
        ],
        base_form_class=DeskScopedForm,
    )


class PatronDayViewSet(SnippetViewSet):
    """Kept by administrators, each date with its source."""

    model = PatronDay
    icon = "date"
    list_display = ["city", "saint", "day", "month", "source"]


class HolidayOpeningViewSet(DeskScopedViewSet):
    """A desk that opens on a public holiday or its city's patron day after all."""

    list_select_related = ("desk__city",)
    model = HolidayOpening
    icon = "date"
    list_display = ["desk", "date", "note"]
    edit_handler = ObjectList(
        [FieldPanel("desk"), FieldPanel("date"), FieldPanel("note")],
        base_form_class=DeskScopedForm,
    )


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
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("desk"), FieldPanel("service")]),
            FieldRowPanel([FieldPanel("duration_minutes"), FieldPanel("capacity")]),
            FieldRowPanel([FieldPanel("min_notice_minutes"), FieldPanel("horizon_days")]),
            FieldPanel("interpreter_languages"),
            FieldRowPanel([FieldPanel("remind_day_before"), FieldPanel("remind_hours_before")]),
            FieldPanel("is_active"),
            InlinePanel("schedule", heading=_("Opening hours"), label=_("time range")),
        ],
        base_form_class=DeskScopedForm,
    )


class ClosureViewSet(DeskScopedViewSet):
    list_select_related = ("desk", "offering")
    model = Closure
    icon = "cross"
    list_display = ["desk", "offering", "start", "end", "reason"]
    list_filter = ["desk__city"]
    edit_handler = ObjectList(
        [
            FieldPanel("desk"),
            FieldPanel("offering"),
            FieldPanel("start"),
            FieldPanel("end"),
            FieldPanel("reason"),
        ],
        base_form_class=DeskScopedForm,
    )


class AppointmentViewSet(DeskScopedViewSet):
    list_select_related = ("offering__desk__city", "offering__service")
    model = Appointment
    icon = "user"
    inspect_view_enabled = True
    inspect_view_class = AppointmentInspectView
    list_display = ["code", "start", "offering", "status"]
    list_filter = ["status", "offering__desk__city"]
    search_fields = ["code"]
    # What a desk needs to know; internal fields (the hold's address hash, its phone check)
    # stay out of sight.
    inspect_view_fields = [
        "code",
        "status",
        "offering",
        "start",
        "end",
        "name",
        "phone",
        "language",
        "interpreter_language",
        "reason",
        "booked_by",
        "partner",
        "confirmed_at",
        "cancelled_at",
        "cancelled_by",
        "checked_in_at",
        "messages",  # the texts sent about it: kind, status, why not (never their words)
    ]


class PartnerOrganisationViewSet(SnippetViewSet):
    """Kept by administrators: which organisation books at which desks, and who is in it."""

    model = PartnerOrganisation
    icon = "group"
    list_display = ["name", "is_active"]
    search_fields = ["name"]


class BookingGroup(SnippetViewSetGroup):
    menu_label = _("Bookings")
    menu_icon = "date"
    menu_order = 200
    items = (
        CityViewSet,
        DeskViewSet,
        DeskTextViewSet,
        ServiceViewSet,
        OfferingViewSet,
        ClosureViewSet,
        HolidayOpeningViewSet,
        PatronDayViewSet,
        AppointmentViewSet,
        PartnerOrganisationViewSet,
    )


register_snippet(BookingGroup)


@hooks.register("register_admin_urls")
def _failed_messages_url():
    return [
        path("texts/failed/", FailedMessagesView.as_view(), name="failed_messages"),
        path("holidays/", HolidaysView.as_view(), name="holidays"),
        path("audit/", AuditLogView.as_view(), name="audit_log"),
    ]


class _AuditMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("accounts.view_auditentry")


@hooks.register("register_admin_menu_item")
def _audit_menu():
    return _AuditMenuItem(_("Audit log"), reverse("audit_log"), icon_name="history", order=900)


class _HolidaysMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("appointments.view_desk")


@hooks.register("register_admin_menu_item")
def _holidays_menu():
    return _HolidaysMenuItem(_("Holidays"), reverse("holidays"), icon_name="date", order=215)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def _closure_over_bookings(request, instance):
    """A closure over bookings already made: the desk sees whom to call and move."""
    if not isinstance(instance, Closure):
        return
    affected = Appointment.objects.filter(
        offering__desk=instance.desk_id,
        status=Appointment.Status.CONFIRMED,
        start__lt=instance.end,
        end__gt=instance.start,
    )
    if instance.offering_id:
        affected = affected.filter(offering=instance.offering_id)
    codes = list(affected.order_by("start").values_list("code", flat=True)[:50])
    if codes:
        messages.warning(
            request,
            ngettext(
                "%(count)s booking falls in this closure; move it: %(codes)s",
                "%(count)s bookings fall in this closure; move them: %(codes)s",
                len(codes),
            )
            % {"count": len(codes), "codes": ", ".join(codes)},
        )


class _FailedMessagesMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("appointments.view_appointment")


@hooks.register("register_admin_menu_item")
def _failed_messages_menu():
    return _FailedMessagesMenuItem(
        _("Texts not delivered"), reverse("failed_messages"), icon_name="warning", order=210
    )
