"""The booking domain's models: places, what is offered there, bookings, waiting lists."""

from appointments.models.booking import AccessToken, Appointment, InvalidTransition
from appointments.models.offer import (
    Closure,
    HolidayOpening,
    Offering,
    PatronDay,
    ScheduleRule,
    Service,
)
from appointments.models.partners import PartnerOrganisation
from appointments.models.places import City, Desk, DeskStop, DeskText, WalkInHours, Weekday
from appointments.models.waitlist import WaitlistEntry

__all__ = [
    "AccessToken",
    "Appointment",
    "City",
    "Closure",
    "Desk",
    "DeskStop",
    "DeskText",
    "HolidayOpening",
    "InvalidTransition",
    "Offering",
    "PartnerOrganisation",
    "PatronDay",
    "ScheduleRule",
    "Service",
    "WaitlistEntry",
    "WalkInHours",
    "Weekday",
]
