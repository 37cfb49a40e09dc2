"""What the booking domain does when messaging tells it something."""

from __future__ import annotations

import logging

from django.dispatch import receiver

from appointments import notifications
from appointments.models import Appointment, WaitlistEntry
from appointments.models.waitlist import OPEN_WAITLIST_STATUSES
from appointments.services.errors import BookingError
from appointments.services.waitlist import waitlist_decline, waitlist_leave
from messaging.models import FAILED_STATUSES, Message, MessageStatus
from messaging.signals import message_status_changed, number_opted_out

logger = logging.getLogger(__name__)


@receiver(message_status_changed)
def offer_that_cannot_arrive(sender, message_id: int, status: str, **kwargs) -> None:
    """A waiting-list offer whose text cannot reach the person (the number is not valid,
    opted out, or the provider could not be reached) is passed to the next in line now,
    rather than held for two hours for someone who will never hear of it."""
    if status not in FAILED_STATUSES and status != MessageStatus.CANCELLED:
        return
    message = Message.objects.filter(pk=message_id, kind=notifications.OFFER).first()
    if message is None or message.last_error == "no longer needed":
        return
    retry_open = Message.objects.filter(
        retry_of=message, status__in=[MessageStatus.CREATED, MessageStatus.SENDING]
    ).exists()
    if retry_open:
        return  # phone off: one retry comes, and the person may still see it
    appointment = Appointment.objects.filter(pk=message.params.get("appointment")).first()
    if appointment is None:
        return
    try:
        waitlist_decline(appointment=appointment)
    except BookingError:
        return  # already taken, declined or run out
    logger.info("offer %s passed on: its text could not arrive (%s)", appointment.pk, status)


@receiver(number_opted_out)
def opted_out_leaves_waiting_lists(sender, phone: str, **kwargs) -> None:
    """A number that asked for no more texts could never hear of a free place: it leaves
    the waiting lists (its bookings stay; the desk sees its texts were not sent)."""
    for entry in WaitlistEntry.objects.filter(phone=phone, status__in=OPEN_WAITLIST_STATUSES):
        waitlist_leave(entry=entry)
