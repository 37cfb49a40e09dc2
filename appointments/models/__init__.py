"""The booking domain's models: places, what is offered there, bookings, SMS."""

from appointments.models.booking import (
    AccessToken,
    Appointment,
    InvalidTransition,
    PhoneVerification,
    WaitlistEntry,
)
from appointments.models.offer import Closure, Offering, ScheduleRule, Service
from appointments.models.places import City, Desk, DeskStop
from appointments.models.sms import OutboundSMS

__all__ = [
    "AccessToken",
    "InvalidTransition",
    "Appointment",
    "City",
    "Closure",
    "Desk",
    "DeskStop",
    "Offering",
    "OutboundSMS",
    "PhoneVerification",
    "ScheduleRule",
    "Service",
    "WaitlistEntry",
]
