"""The operator's console: plain forms, and nothing of a desk the operator does not work at."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone, translation

from appointments.models import Appointment
from frontdesk import services, views
from frontdesk.models import Counter, Queue, Ticket
from tests.factories import (
    ConfirmedAppointmentFactory,
    OfferingFactory,
    desk_at_midday,
    staff_login,
)
from tests.urlconf import url_patterns

pytestmark = pytest.mark.django_db


def _t(text: str, **values) -> str:
    with translation.override("it"):  # the console's language here: the site's default
        return translation.gettext(text) % values if values else translation.gettext(text)


@pytest.fixture
def perugia(django_user_model):
    offering = OfferingFactory(desk__city__name="Perugia", desk__city__slug="perugia")
    operator = django_user_model.objects.create_user("op-perugia", password="x")
    offering.desk.staff.add(operator)
    counter = Counter.objects.create(desk=offering.desk, name="Room 1")
    counter.queues.set(Queue.objects.filter(desk=offering.desk))
    return offering, operator, counter


@pytest.fixture
def napoli():
    offering = OfferingFactory(desk__city__name="Napoli", desk__city__slug="napoli")
    counter = Counter.objects.create(desk=offering.desk, name="Stanza 9")
    counter.queues.set(Queue.objects.filter(desk=offering.desk))
    queue = Queue.objects.get(desk=offering.desk)
    ticket = services.walk_in_issue(queue=queue)
    start = timezone.now() + timedelta(hours=1)
    booking = ConfirmedAppointmentFactory(
        offering=offering, start=start, end=start + timedelta(minutes=30), code="NAPOLI"
    )
    return offering, counter, queue, ticket, booking


def test_an_operator_checks_in_calls_and_finishes_without_javascript(client, perugia):
    offering, operator, counter = perugia
    now = desk_at_midday(offering.desk)  # the desk's clock, far from its midnight
    start = now + timedelta(minutes=5)
    booking = ConfirmedAppointmentFactory(
        offering=offering, start=start, end=start + timedelta(minutes=30), language="ar"
    )
    staff_login(client, operator)
    desk = offering.desk
    assert client.get("/desk/")["Location"] == f"/desk/{desk.pk}/"  # one desk: straight there
    page = client.post(f"/desk/{desk.pk}/", {"q": booking.code.lower()}).content.decode()
    assert booking.code in page and _t("Check in") in page
    client.post(f"/desk/{desk.pk}/check-in/{booking.pk}/")
    assert Appointment.objects.get(pk=booking.pk).status == "checked_in"
    client.post(f"/desk/{desk.pk}/walk-in/", {"queue": Queue.objects.get(desk=desk).pk})
    assert Ticket.objects.filter(queue__desk=desk).count() == 2
    chosen = client.get(f"/desk/{desk.pk}/?counter={counter.pk}")  # remembered in the session
    assert chosen["Location"] == f"/desk/{desk.pk}/"  # and the address stays plain
    client.post(f"/desk/{desk.pk}/call-next/", {"counter": counter.pk})
    called = Ticket.objects.get(status="called")
    assert called.source == "walk_in"  # the booked visitor's time has not come yet
    page = client.get(f"/desk/{desk.pk}/").content.decode()
    assert called.label in page and _t("Start") in page
    client.post(f"/desk/{desk.pk}/tickets/{called.pk}/start/")
    client.post(
        f"/desk/{desk.pk}/tickets/{called.pk}/update/",
        {"note": "  needs form 12 ", "interpreter_joined": "on"},
    )
    client.post(f"/desk/{desk.pk}/tickets/{called.pk}/finish/")
    called.refresh_from_db()
    assert (called.status, called.note, called.interpreter_joined) == (
        "done",
        "needs form 12",
        True,
    )
    refused = client.post(f"/desk/{desk.pk}/tickets/{called.pk}/start/", follow=True)
    message = _t("This cannot be done with ticket %(ticket)s now.", ticket=called.label)
    assert message in refused.content.decode()


def _frontdesk_urls():
    """Every frontdesk URL pattern, from the URL configuration."""
    return [
        route
        for route, entry in url_patterns()
        if entry.callback.__module__.startswith("frontdesk.views")
    ]


def test_every_console_url_is_404_for_another_citys_desk(client, perugia, napoli):
    _offering, operator, _counter = perugia
    offering, counter, queue, ticket, booking = napoli
    staff_login(client, operator)
    values = {
        "desk_id": offering.desk.pk,
        "ticket_id": ticket.pk,
        "appointment_id": booking.pk,
        "token": "not-their-screen",
        "start": (booking.start + timedelta(days=1)).strftime("%Y%m%dT%H%MZ"),
    }
    actions = [*views.ACTIONS, "call", "transfer", "update"]
    for codename in ("call_out_of_order", "change_displayscreen"):  # every door, tried
        operator.user_permissions.add(Permission.objects.get(codename=codename))
    urls = _frontdesk_urls()
    assert len(urls) >= 10
    own_desk = _operator_desk(operator)
    for desk_id in (offering.desk.pk, own_desk):  # Napoli's desk; their own desk, Napoli's ids
        values["desk_id"] = desk_id
        for pattern in urls:
            if "<" not in pattern or pattern.rstrip("/").endswith("<int:desk_id>"):
                continue  # the list of their own desks; their own console
            if desk_id == own_desk and not re.search(r"<int:(ticket|appointment)_id>", pattern):
                continue  # at their own desk, only a URL with one of Napoli's ids is tried
            for action in actions if "<slug:action>" in pattern else [""]:
                values["action"] = action
                url = "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), pattern)
                data = {"counter": counter.pk, "queue": queue.pk, "confirm": "on", "q": "NAPOLI"}
                for response in (client.get(url), client.post(url, data)):
                    assert response.status_code in (404, 405), (url, response.status_code)
                    assert "NAPOLI" not in response.content.decode()
    for response in (  # Napoli's console itself
        client.get(f"/desk/{offering.desk.pk}/"),
        client.post(f"/desk/{offering.desk.pk}/", {"q": "NAPOLI"}),
    ):
        assert response.status_code == 404
    search = client.post(f"/desk/{own_desk}/", {"q": "NAPOLI"})  # their own, searching
    assert search.status_code == 200 and "NAPOLI" not in search.content.decode().replace(
        'value="NAPOLI"', ""
    )
    ticket.refresh_from_db()
    assert ticket.status == "waiting" and Ticket.objects.filter(queue=queue).count() == 1
    assert Appointment.objects.get(pk=booking.pk).status == "confirmed"


def _operator_desk(operator) -> int:
    return operator.desks.get().pk


def test_the_console_needs_a_login(client, perugia):
    offering, _operator, _counter = perugia
    response = client.get(f"/desk/{offering.desk.pk}/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    # A form posted once the session is over comes back to its console after the login.
    posted = client.post(f"/desk/{offering.desk.pk}/call-next/", {"counter": 1})
    assert posted["Location"] == f"/admin/login/?next=/desk/{offering.desk.pk}/"
