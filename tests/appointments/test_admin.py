"""Editors keep the offer in the Wagtail admin; operators see only their own desks."""

import pytest
from django.contrib.auth.models import Group

from appointments import selectors
from appointments.models import Appointment
from tests.factories import ConfirmedAppointmentFactory, DeskFactory, OfferingFactory, staff_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("ed", password="x")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def operator(django_user_model):
    user = django_user_model.objects.create_user("op", password="x")
    user.groups.add(Group.objects.get(name="Operators"))
    return user


def test_an_editor_opens_an_offering_of_their_desk_with_its_hours(client, editor):
    offering = OfferingFactory()
    offering.desk.staff.add(editor)
    staff_login(client, editor)
    assert client.get("/admin/snippets/appointments/desk/").status_code == 200
    url = f"/admin/snippets/appointments/offering/edit/{offering.pk}/"
    page = client.get(url)
    assert page.status_code == 200
    assert "schedule-TOTAL_FORMS" in page.content.decode()


def test_operators_see_bookings_of_their_own_desks_only(client, operator):
    mine, theirs = DeskFactory(), DeskFactory()
    mine.staff.add(operator)
    own = ConfirmedAppointmentFactory(offering=OfferingFactory(desk=mine), code="MINE01")
    other = ConfirmedAppointmentFactory(offering=OfferingFactory(desk=theirs), code="THEIR1")
    staff_login(client, operator)
    page = client.get("/admin/snippets/appointments/appointment/")
    assert page.status_code == 200
    body = page.content.decode()
    assert own.code in body and other.code not in body
    assert Appointment.objects.count() == 2


def test_operators_cannot_edit_the_offer(client, operator):
    offering = OfferingFactory()
    staff_login(client, operator)
    response = client.get(f"/admin/snippets/appointments/offering/edit/{offering.pk}/")
    assert response.status_code in (302, 403)


def test_staff_cannot_open_another_desk_by_its_address(client, operator, editor):
    mine, theirs = DeskFactory(), DeskFactory()
    mine.staff.add(operator, editor)
    other = ConfirmedAppointmentFactory(offering=OfferingFactory(desk=theirs), code="THEIR2")
    own_offering, other_offering = OfferingFactory(desk=mine), OfferingFactory(desk=theirs)
    staff_login(client, operator)
    assert client.get(
        f"/admin/snippets/appointments/appointment/inspect/{other.pk}/"
    ).status_code in (302, 403)
    staff_login(client, editor)
    assert (
        client.get(f"/admin/snippets/appointments/offering/edit/{own_offering.pk}/").status_code
        == 200
    )
    assert client.get(
        f"/admin/snippets/appointments/offering/edit/{other_offering.pk}/"
    ).status_code in (302, 403)
    listing = client.get("/admin/snippets/appointments/desk/").content.decode()
    assert mine.name in listing and theirs.name not in listing


def test_other_desks_cannot_be_deleted_chosen_or_closed(client, operator, editor):
    from datetime import timedelta

    from django.utils import timezone

    from appointments.models import City, Closure

    mine, theirs = DeskFactory(), DeskFactory()
    mine.staff.add(operator, editor)
    their_offering = OfferingFactory(desk=theirs)
    other = ConfirmedAppointmentFactory(offering=OfferingFactory(desk=theirs), code="THEIR3")
    own = ConfirmedAppointmentFactory(offering=OfferingFactory(desk=mine), code="MINE03")

    staff_login(client, editor)
    delete_url = f"/admin/snippets/appointments/offering/delete/{their_offering.pk}/"
    assert client.post(delete_url).status_code in (302, 403)
    assert type(their_offering).objects.filter(pk=their_offering.pk).exists()
    assert client.get(f"/admin/snippets/appointments/city/edit/{theirs.city.pk}/").status_code in (
        302,
        403,
    )
    assert City.objects.count() >= 2

    staff_login(client, operator)
    chooser = client.get("/admin/snippets/choose/appointments/appointment/").content.decode()
    assert own.code in chooser and other.code not in chooser
    chosen = client.get(f"/admin/snippets/choose/appointments/appointment/chosen/{other.pk}/")
    # a 404 under the admin is redirected by LocaleMiddleware to a page that does not exist
    assert chosen.status_code in (302, 404) and other.code not in chosen.content.decode()
    mine_chosen = client.get(f"/admin/snippets/choose/appointments/appointment/chosen/{own.pk}/")
    assert mine_chosen.status_code == 200 and own.code in mine_chosen.content.decode()
    start = timezone.now() + timedelta(days=1)
    response = client.post(
        "/admin/snippets/appointments/closure/add/",
        {
            "desk": theirs.pk,
            "offering": "",
            "start": start.strftime("%Y-%m-%d %H:%M"),
            "end": (start + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),
            "reason": "x",
        },
    )
    assert response.status_code == 200  # the form refuses a desk that is not theirs
    assert not Closure.objects.filter(desk=theirs).exists()


def test_the_outbox_is_listed_for_administrators_without_numbers_or_texts(
    client, django_user_model, operator
):
    from django.utils import timezone

    from messaging.models import Message
    from messaging.sealing import seal

    now = timezone.now()
    Message.objects.create(
        kind="code",
        to="+393471234567",
        secrets=seal({"code": "123456"}),
        language="it",
        dedupe_key="challenge:1:1",
        status="technical_failure",
        error_code="20003",
        due_at=now,
        give_up_at=now,
    )
    admin = django_user_model.objects.create_superuser("root", password="x")
    staff_login(client, admin)
    page = client.get("/admin/snippets/messaging/message/").content.decode()
    assert "technical" in page and "20003" in page
    assert "3471234567" not in page and "123456" not in page
    message = Message.objects.get()
    inspect = client.get(f"/admin/snippets/messaging/message/inspect/{message.pk}/")
    assert inspect.status_code == 200 and "3471234567" not in inspect.content.decode()
    for action in ("edit", "delete"):  # read-only, even for a superuser
        url = f"/admin/snippets/messaging/message/{action}/{message.pk}/"
        assert client.get(url).status_code in (302, 403)
        assert client.post(url, {"to": "+393330000000", "status": "created"}).status_code in (
            302,
            403,
        )
    message.refresh_from_db()
    assert (message.to, message.status) == ("+393471234567", "technical_failure")
    staff_login(client, operator)
    assert client.get("/admin/snippets/messaging/message/").status_code in (302, 403)


@pytest.fixture
def partner(django_user_model):
    from appointments.models import PartnerOrganisation

    user = django_user_model.objects.create_user("ngo", password="x")
    user.groups.add(Group.objects.get(name="Partners"))
    organisation = PartnerOrganisation.objects.create(name="Accoglienza")
    organisation.members.add(user)
    return user


def test_a_partner_books_only_at_its_desks_and_sees_only_its_bookings(
    client, partner, django_user_model
):
    from appointments import selectors
    from appointments.services.booking import Person, appointment_book_on_behalf

    linked, elsewhere = OfferingFactory(), OfferingFactory()
    partner.partner_organisations.get().desks.add(linked.desk)
    assert selectors.user_can_book_on_behalf(user=partner, offering=linked)
    assert not selectors.user_can_book_on_behalf(user=partner, offering=elsewhere)
    colleague = django_user_model.objects.create_user("ngo2", password="x")
    partner.partner_organisations.get().members.add(colleague)
    slots = selectors.offering_slots(offering=linked)
    ours, _ = appointment_book_on_behalf(
        offering=linked, start=slots[0].start, person=Person("", "it"), booked_by=colleague
    )
    theirs, _ = appointment_book_on_behalf(
        offering=linked, start=slots[1].start, person=Person("", "it"), booked_by=None
    )
    staff_login(client, partner)
    page = client.get("/admin/snippets/appointments/appointment/").content.decode()
    assert ours.code in page and theirs.code not in page
    inspect = "/admin/snippets/appointments/appointment/inspect/{}/"
    assert client.get(inspect.format(ours.pk)).status_code == 200
    assert client.get(inspect.format(theirs.pk)).status_code in (302, 403, 404)
    # The booking belongs to the organisation it was made for, not to the person's later ones.
    organisation = partner.partner_organisations.get()
    assert ours.partner == organisation
    from appointments.models import PartnerOrganisation

    PartnerOrganisation.objects.create(name="Another").members.add(colleague)
    organisation.members.remove(colleague)
    assert ours.code in client.get("/admin/snippets/appointments/appointment/").content.decode()
    organisation.is_active = False
    organisation.save()
    assert client.get(inspect.format(ours.pk)).status_code in (302, 403, 404)


def test_an_operator_sees_which_texts_reached_a_booking_and_the_days_failures(
    client, operator, now
):
    from appointments.services.booking import Person, appointment_book_on_behalf
    from messaging.backends import MemoryBackend
    from messaging.models import Message
    from messaging.outbox import message_send, message_status_record

    mine, theirs = OfferingFactory(), OfferingFactory()
    mine.desk.staff.add(operator)
    slot = selectors.offering_slots(offering=mine, now=now)[0]
    booking, _token = appointment_book_on_behalf(
        offering=mine,
        start=slot.start,
        person=Person(phone="+393471234567", language="ar"),
        booked_by=None,
        now=now,
    )
    other_slot = selectors.offering_slots(offering=theirs, now=now)[0]
    other, _token = appointment_book_on_behalf(
        offering=theirs,
        start=other_slot.start,
        person=Person(phone="+393479999999", language="it"),
        booked_by=None,
        now=now,
    )
    for appointment in (booking, other):
        message = Message.objects.get(reference=f"appointment:{appointment.pk}")
        message_send(message_id=message.pk, now=now)
        message.refresh_from_db()
        message_status_record(
            message_id=message.pk,
            provider_id=message.provider_id,
            provider_status="undelivered",
            error_code="30005",
        )
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(operator)
    profile.preferred_language = "en"  # the admin in English, for the words below
    profile.save()
    staff_login(client, operator)
    page = client.get(f"/admin/snippets/appointments/appointment/inspect/{booking.pk}/")
    text = page.content.decode()
    assert page.status_code == 200 and "the number does not exist" in text
    assert "booking confirmed" in text.lower()
    assert MemoryBackend.outbox[0]["body"] not in text  # never the words of the text
    failed = client.get("/admin/texts/failed/").content.decode()
    assert booking.code in failed and other.code not in failed  # only their desks
    assert "the number does not exist" in failed
