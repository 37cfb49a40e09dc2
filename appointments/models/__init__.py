"""The booking domain's models: places, what is offered there, bookings, SMS."""

from appointments.models.booking import AccessToken, Appointment, InvalidTransition
from appointments.models.challenge import PhoneChallenge
from appointments.models.offer import Closure, Offering, ScheduleRule, Service
from appointments.models.partners import PartnerOrganisation
from appointments.models.places import City, Desk, DeskStop
from appointments.models.sms import OutboundSMS
from appointments.models.waitlist import WaitlistEntry

__all__ = [
    "AccessToken",
    "Appointment",
    "City",
    "Closure",
    "Desk",
    "DeskStop",
    "InvalidTransition",
    "Offering",
    "OutboundSMS",
    "PartnerOrganisation",
    "PhoneChallenge",
    "ScheduleRule",
    "Service",
    "WaitlistEntry",
]
