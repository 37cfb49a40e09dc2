"""factory_boy factories, one per model and one per interesting state."""

from __future__ import annotations

from datetime import time, timedelta

import factory
from django.utils import timezone
from wagtail.models import Locale

from appointments.models import Appointment, City, Desk, Offering, ScheduleRule, Service


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Città {n}")
    slug = factory.Sequence(lambda n: f"citta-{n}")


class DeskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Desk

    city = factory.SubFactory(CityFactory)
    name = factory.Sequence(lambda n: f"Sportello {n}")
    address = "Piazza Grande 1"


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    name = factory.Sequence(lambda n: f"Consulenza legale {n}")
    slug = factory.Sequence(lambda n: f"legal-{n}")
    kind = Service.Kind.LEGAL
    locale = factory.LazyFunction(lambda: Locale.objects.get_or_create(language_code="it")[0])


class OfferingFactory(factory.django.DjangoModelFactory):
    """Open every day 08:00-20:00, 30-minute visits, bookable 1 hour to 30 days ahead."""

    class Meta:
        model = Offering
        skip_postgeneration_save = True

    desk = factory.SubFactory(DeskFactory)
    service = factory.SubFactory(ServiceFactory)
    duration_minutes = 30
    capacity = 1
    min_notice_minutes = 60
    horizon_days = 30

    @factory.post_generation
    def hours(self, create, extracted, **kwargs):
        if not create:
            return
        for weekday, start, end in extracted or [(d, time(8), time(20)) for d in range(7)]:
            ScheduleRule.objects.create(offering=self, weekday=weekday, start=start, end=end)


class ConfirmedAppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment

    offering = factory.SubFactory(OfferingFactory)
    start = factory.LazyFunction(
        lambda: timezone.now().replace(second=0, microsecond=0) + timedelta(days=1)
    )
    end = factory.LazyAttribute(lambda o: o.start + timedelta(minutes=o.offering.duration_minutes))
    seat = 1
    slot_capacity = factory.LazyAttribute(lambda o: o.offering.capacity)
    phone = factory.Sequence(lambda n: f"+39347{n:07d}")
    language = "it"
    code = factory.Sequence(lambda n: f"T{n:05d}")
    status = Appointment.Status.CONFIRMED


class CancelledAppointmentFactory(ConfirmedAppointmentFactory):
    status = Appointment.Status.CANCELLED


def full_offering(**kwargs) -> Offering:
    """An offering open 09:00-09:30 every day for two days, every place already booked."""
    from appointments import selectors
    from appointments.services.booking import Person, appointment_book_on_behalf

    kwargs.setdefault("horizon_days", 2)
    kwargs.setdefault("hours", [(d, time(9), time(9, 30)) for d in range(7)])
    offering = OfferingFactory(**kwargs)
    offering.booked = [
        appointment_book_on_behalf(
            offering=offering,
            start=slot.start,
            person=Person(phone="", language="it"),
            booked_by=None,
        )[0]
        for slot in selectors.offering_slots(offering=offering)
    ]
    return offering


def sms_text(message) -> str:
    """The text a queued message carries (rendered as the sender renders it)."""
    from messaging.outbox import message_text

    text = message_text(message)
    assert text is not None, f"message {message.pk} would not be sent"
    return text


def manage_path(text: str, language: str) -> str:
    """The booking page that a text's short link (``/m/<token>``) leads to."""
    import re

    token = re.search(r"/m/([A-Za-z0-9_-]+)", text).group(1)
    return f"/{language}/manage/{token}/"


def sms_code_for(challenge) -> str:
    """The 6-digit code in the newest SMS queued for a phone challenge (or its id)."""
    import re

    from messaging.models import Message

    pk = getattr(challenge, "pk", challenge)
    message = Message.objects.filter(dedupe_key__startswith=f"challenge:{pk}:").latest("pk")
    return re.search(r"\b\d{6}\b", sms_text(message)).group()


def last_sms_code(to: str | None = None) -> str:
    """The 6-digit code of the newest code SMS (to one number, if given)."""
    import re

    from messaging.models import Message

    queued = Message.objects.filter(kind="code")
    if to:
        queued = queued.filter(to=to)
    return re.search(r"\b\d{6}\b", sms_text(queued.latest("pk"))).group()


def waiting(offering: Offering, phone: str, language: str = "it"):
    """A confirmed place on the waiting list (joined, then the SMS code typed)."""
    from appointments.services.waitlist import waitlist_confirm, waitlist_join

    entry, _sent = waitlist_join(offering=offering, phone=phone, language=language)
    return waitlist_confirm(entry=entry, code=sms_code_for(entry.challenge_id))


def authenticator(user):
    """A confirmed authenticator app for ``user`` (staff have one)."""
    from accounts.models import AuthenticatorDevice

    device = AuthenticatorDevice.objects.filter(user=user, confirmed=True).first()
    return device or AuthenticatorDevice.create_for(user, confirmed=True)


def app_code(device, *, later: int = 0) -> str:
    """The 6 digits the person's app shows now (or ``later`` seconds from now)."""
    import time

    return f"{device.totp(time.time() + later).token():06d}"


def staff_login(client, user) -> None:
    """Logged in as staff are: the password, then the second factor (a real device and
    django-otp's own session key, as its login() leaves them)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator(user).persistent_id
    session.save()


def desk_at_midday(desk):
    """Puts ``desk`` in a time zone where it is about noon now, and returns that local time:
    a test that needs "later today" or "earlier today" at the desk then holds at any hour
    of the run (never just before or after the desk's midnight)."""
    from datetime import UTC
    from zoneinfo import ZoneInfo

    now = timezone.now()
    offset = 12 - now.astimezone(UTC).hour
    zone = "Etc/GMT" if offset == 0 else f"Etc/GMT{-offset:+d}"
    desk.time_zone = zone
    desk.save(update_fields=["time_zone"])
    return timezone.localtime(now, ZoneInfo(zone))
