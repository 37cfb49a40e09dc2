"""The admin's Holidays page: the coming year's public holidays and patron days of the
user's desks, and the bookings already made on a closed day."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from appointments.admin_pages import AdminPage
from appointments.admin_views import scoped
from appointments.models import Appointment, Desk


class HolidaysView(AdminPage, TemplateView):
    """The coming year's public holidays and patron days of the user's desks, whether each
    desk is closed or opens after all (an "opening on a holiday" overrides one), and the
    bookings already made on a closed day, for the desk to move them."""

    template_name = "appointments/admin/holidays.html"
    page_title = _("Holidays")
    header_icon = "date"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("appointments.view_desk"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        from appointments.holidays import holiday_dates, national

        context = super().get_context_data(**kwargs)
        today = localtime().date()
        last = today + timedelta(days=365)
        desks = scoped(Desk, Desk.objects.filter(is_active=True), self.request.user)
        rows = []
        for desk in desks.select_related("city").order_by("city__name", "name"):
            closed = holiday_dates(desk, today, last)
            opened = set(
                desk.holiday_openings.filter(date__gte=today).values_list("date", flat=True)
            )
            every = {d: n for y in range(today.year, last.year + 1) for d, n in national(y).items()}
            days = sorted({d for d in every if today <= d <= last} | set(closed) | opened)
            booked = _booked_on(desk, [d for d in days if d in closed], self.request.user)
            rows.append(
                {
                    "desk": desk,
                    "days": [
                        {
                            "date": day,
                            "name": closed.get(day) or every.get(day, ""),
                            "open": day not in closed,
                            "booked": booked.get(day, []),
                        }
                        for day in days
                    ],
                }
            )
        context["rows"] = rows
        return context


def _booked_on(desk, days, user) -> dict:
    """Bookings still confirmed on closed days (made before the day was closed), as far
    as the user may see bookings (a city's editors see none: they are the desk staff's)."""
    if not days or not user.has_perm("appointments.view_appointment"):
        return {}
    tz = ZoneInfo(desk.time_zone)
    found: dict = {}
    bookings = scoped(
        Appointment,
        Appointment.objects.filter(
            offering__desk=desk, status=Appointment.Status.CONFIRMED, start__date__in=days
        ),
        user,
    )
    for booking in bookings:
        day = localtime(booking.start, tz).date()
        if day in days:
            found.setdefault(day, []).append(booking)
    return found
