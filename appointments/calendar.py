"""The booking as an .ics file, and a map link for its place."""

from __future__ import annotations

from urllib.parse import quote_plus

from django.conf import settings
from icalendar import Calendar, Event

from appointments.models import Appointment


def map_url(place) -> str:
    """OpenStreetMap at the coordinates if known, else a search for the address."""
    if (
        getattr(place, "latitude", None) is not None
        and getattr(place, "longitude", None) is not None
    ):
        return (
            f"https://www.openstreetmap.org/?mlat={place.latitude}&mlon={place.longitude}"
            f"#map=18/{place.latitude}/{place.longitude}"
        )
    address = getattr(place, "address", "")
    return f"https://www.openstreetmap.org/search?query={quote_plus(address)}" if address else ""


def appointment_ics(*, appointment: Appointment, place, service_name: str) -> bytes:
    """One VEVENT; the service name stays on the person's own device, not in any SMS."""
    cal = Calendar()
    cal.add("prodid", "-//Sportello//sportello//IT")
    cal.add("version", "2.0")
    event = Event()
    host = settings.SITE_URL.split("://")[-1].split("/")[0]
    event.add("uid", f"appointment-{appointment.pk}-{appointment.code}@{host}")
    event.add("dtstart", appointment.start)
    event.add("dtend", appointment.end)
    event.add("dtstamp", appointment.created_at)
    event.add("summary", f"{service_name} ({appointment.code})")
    if place is not None and getattr(place, "address", ""):
        event.add("location", place.address)
    cal.add_component(event)
    return cal.to_ical()
