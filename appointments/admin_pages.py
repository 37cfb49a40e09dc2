"""Our own pages in Wagtail's admin about bookings: a booking as its desk sees it, and the
texts not delivered today; and the base of our admin pages (holidays, the audit log)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from accounts.audit import Action, audit
from appointments.admin_views import ScopedInspectView, scoped
from appointments.audit import booking_audit
from appointments.models import Appointment, Desk
from messaging.selectors import failed_since, kind_label, messages_about, why


class AppointmentInspectView(ScopedInspectView):
    """The booking as a desk sees it, with the texts sent about it (not their words)."""

    def get_object(self, *args):
        appointment = super().get_object(*args)
        booking_audit(self.request, Action.BOOKING_VIEW, appointment)
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
