"""Wagtail admin views narrowed to the desks a staff member works at (``Desk.staff``).

Wagtail checks model permissions; several of its views (edit, inspect, delete, the
chooser) fetch any object by id. These subclasses check the object too, and forms offer
only the user's own desks and offerings.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
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

from accounts.audit import Action, audit
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
from messaging.selectors import failed_since, kind_label, messages_about, why

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


class AppointmentInspectView(ScopedInspectView):
    """The booking as a desk sees it, with the texts sent about it (not their words)."""

    def get_object(self, *args):
        appointment = super().get_object(*args)
        audit(
            self.request,
            Action.BOOKING_VIEW,
            desk_id=appointment.offering.desk_id,
            ref=f"appointment:{appointment.pk}",
            phone=appointment.phone,
        )
        return appointment

    def get_field_label(self, field_name, field):
        if field_name == "messages":
            return _("Text messages")
        return super().get_field_label(field_name, field)

    def get_messages_display_value(self):
        tz = ZoneInfo(self.object.offering.desk.time_zone)
        rows = [
            (
                kind_label(message),
                message.get_status_display(),
                localtime(message.created_at, tz).strftime("%d/%m %H:%M"),
                why(message),
            )
            for message in messages_about(f"appointment:{self.object.pk}")
        ]
        if not rows:
            return _("None")
        return format_html(
            '<table class="listing"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th>'
            "</tr></thead><tbody>{}</tbody></table>",
            _("Text"),
            _("Status"),
            _("Queued"),
            _("Why"),
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
        )


class AdminPage(WagtailAdminTemplateMixin):
    """A page of ours in Wagtail's admin, titled in its header (after "Home")."""

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.get_page_title()}]


def desk_scopes(user) -> list[str]:
    return [
        f"desk:{pk}" for pk in scoped(Desk, Desk.objects.all(), user).values_list("pk", flat=True)
    ]


class FailedMessagesView(AdminPage, TemplateView):
    """Today's texts that did not reach people, for the bookings the user can see: the desk
    calls them instead."""

    template_name = "appointments/admin/failed_messages.html"
    page_title = _("Texts not delivered today")
    header_icon = "warning"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("appointments.view_appointment"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        for scope in desk_scopes(user):
            audit(self.request, Action.MESSAGES_VIEW, desk_id=int(scope.split(":")[1]))
        since = localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        failed = list(failed_since(scopes=desk_scopes(user), since=since)[:500])
        ids = {
            int(m.reference.split(":")[1]) for m in failed if m.reference.startswith("appointment:")
        }
        visible = scoped(Appointment, Appointment.objects.filter(pk__in=ids), user)
        bookings = visible.select_related("offering__desk").in_bulk()
        rows = []
        for message in failed:
            booking = (
                bookings.get(int(message.reference.split(":")[1]))
                if message.reference.startswith("appointment:")
                else None
            )
            if booking is None:
                continue
            rows.append(
                {
                    "when": localtime(
                        message.created_at, ZoneInfo(booking.offering.desk.time_zone)
                    ),
                    "kind": kind_label(message),
                    "status": message.get_status_display(),
                    "why": why(message),
                    "booking": booking,
                    "url": reverse(
                        "wagtailsnippets_appointments_appointment:inspect", args=[booking.pk]
                    ),
                }
            )
        context["rows"] = rows
        return context
