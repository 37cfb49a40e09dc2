"""Why a booking could not be made, in words a person can read (translated lazily)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class BookingError(Exception):
    """Base of every refusal the public flow shows to the person."""

    message = _("Something went wrong. Nothing was booked. Please try again.")

    def __init__(self, message=None, **context):
        super().__init__(str(message or self.message))
        self.message = message or self.message
        self.context = context


class SlotTaken(BookingError):
    message = _("This time was just taken. Please choose another time.")

    def __init__(self, message=None, *, next_slots=(), **context):
        super().__init__(message, **context)
        self.next_slots = list(next_slots)


class SlotUnavailable(BookingError):
    message = _("This time cannot be booked. Please choose another time.")


class OverPhoneLimit(BookingError):
    """A per-number limit, found once the number is proven: ``existing`` names the
    bookings in the way, so the page can link to them."""

    def __init__(self, message=None, *, existing=(), **context):
        super().__init__(message, **context)
        self.existing = list(existing)
        self.links: list[tuple] = []  # (appointment, manage token), filled by the service


class TooManyBookings(OverPhoneLimit):
    message = _(
        "This phone number already has the most bookings allowed. Cancel one to book another."
    )


class AlreadyBookedService(OverPhoneLimit):
    message = _("This phone number already has a booking for this service.")


class HoldExpired(BookingError):
    message = _("Your 10 minutes are over and the time was released. Please choose a time again.")


class WrongCode(BookingError):
    message = _("This code is not right. Please check the SMS and try again.")


class TooManyAttempts(BookingError):
    message = _("Too many wrong codes. Please start again.")


class NotChangeable(BookingError):
    message = _("This booking can no longer be changed.")


class ChangedMeanwhile(NotChangeable):
    """Staff changed a booking from a page that showed it as it was before."""

    message = _("This booking was changed meanwhile. Check it again.")


class TooManyHolds(BookingError):
    message = _(
        "Too many times are being held from this connection. Please confirm one with its code, or wait 10 minutes."
    )


class PlacesStillFree(BookingError):
    message = _("There are free times: please choose one.")


class Busy(BookingError):
    message = _("Many people are booking right now. Please try again.")


class TooManyCodes(BookingError):
    message = _("Too many tries. Please wait an hour and try again, or call the desk.")
