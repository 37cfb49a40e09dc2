"""The public booking flow through Django's test client: real URLs, forms and templates."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from appointments import selectors
from appointments.converters import SlotStartConverter
from appointments.models import Appointment
from messaging.models import Message
from tests.factories import last_sms_code, sms_code_for, sms_text, staff_login

encode_start = SlotStartConverter().to_url

pytestmark = pytest.mark.django_db


def _details_url(offering, slot, lang="it"):
    return f"/{lang}/book/{offering.desk.city.slug}/{offering.pk}/{encode_start(slot.start)}/"


def _book(client, offering, slot, phone="347 123 4567", lang="it"):
    response = client.post(_details_url(offering, slot, lang), {"phone": phone, "name": "Amal"})
    assert response.status_code == 302, response.content.decode()[:2000]
    response = client.post(f"/{lang}/book/verify/", {"code": last_sms_code()})
    assert response.status_code == 302
    return response["Location"]


def _without_values(response) -> str:
    """The page minus what the person typed and the CSRF token."""
    return re.sub(r'value="[^"]*"', "", response.content.decode())


def _t(lang, text):
    with translation.override(lang):
        return translation.gettext(text)


def test_the_whole_flow_from_city_to_confirmation(client, offering, first_slot):
    assert "Perugia" in client.get("/it/book/").content.decode()
    services = client.get("/it/book/perugia/").content.decode()
    assert f"/it/book/perugia/{offering.pk}/" in services
    times = client.get(f"/it/book/perugia/{offering.pk}/").content.decode()
    assert _details_url(offering, first_slot) in times
    manage_url = _book(client, offering, first_slot)
    assert re.fullmatch(r"/it/manage/[\w-]{22}/\?new=1", manage_url)
    page = client.get(manage_url).content.decode()
    appointment = Appointment.objects.get()
    assert appointment.status == "confirmed" and appointment.phone == "+393471234567"
    assert appointment.code in page and offering.desk.address in page
    assert "openstreetmap.org" in page and "calendar.ics" in page
    assert _t("it", "Your booking is confirmed") in page


def test_a_bad_phone_number_gets_a_message_in_the_person_language(client, offering, first_slot):
    response = client.post(_details_url(offering, first_slot, "ar"), {"phone": "12"})
    assert response.status_code == 200
    page = response.content.decode()
    message = _t(
        "ar",
        "This does not look like a phone number. Write it with its country code, for example +39 347 123 4567.",
    )
    assert (
        message in page
        or _t("ar", "This phone number is not complete or not valid. Please check it.") in page
    )
    assert not Appointment.objects.exists() and not Message.objects.exists()


def test_a_number_of_a_country_outside_the_allow_list_is_refused(client, offering, first_slot):
    response = client.post(_details_url(offering, first_slot), {"phone": "+1 202 555 0143"})
    assert (
        _t(
            "it",
            "We cannot send SMS to numbers of this country. Please use an Italian number or ask the desk to book for you.",
        )
        in response.content.decode()
    )
    assert not Appointment.objects.exists()


def test_a_time_taken_meanwhile_shows_the_next_free_times(client, offering, first_slot):
    _book(client, offering, first_slot, phone="+393470000001")
    response = client.post(_details_url(offering, first_slot), {"phone": "+393470000002"})
    assert response.status_code == 409
    page = response.content.decode()
    assert _t("it", "This time was just taken. Please choose another time.") in page
    next_free = selectors.offering_slots(offering=offering)[0]
    assert _details_url(offering, next_free) in page
    assert Appointment.objects.count() == 1


def test_codes_are_limited_per_phone_with_http_429(client, offering):
    offering.desk.phone = "+390755770000"
    offering.desk.save()
    slots = selectors.offering_slots(offering=offering)
    for n in range(3):  # three codes an hour for one number
        response = client.post(_details_url(offering, slots[n]), {"phone": "+393479999999"})
        assert response.status_code in (200, 302)
    response = client.post(_details_url(offering, slots[5]), {"phone": "+393479999999"})
    assert response.status_code == 429
    other = client.post(_details_url(offering, slots[6]), {"phone": "+393471111111"})
    assert other.status_code == 302  # another number from the same address is not blocked
    page = response.content.decode()
    assert _t("it", "This number has received the most codes allowed for now.") in page
    assert f'href="tel:{offering.desk.phone}"' in page


def test_opening_the_manage_link_never_changes_anything(client, offering, first_slot):
    manage_url = _book(client, offering, first_slot).split("?")[0]
    for url in (
        manage_url,
        manage_url + "cancel/",
        manage_url + "move/",
        manage_url + "calendar.ics",
    ):
        assert client.get(url).status_code == 200
    assert Appointment.objects.get().status == "confirmed"
    assert client.post(manage_url + "cancel/").status_code == 302
    assert Appointment.objects.get().status == "cancelled"
    assert Message.objects.filter(dedupe_key__endswith=":cancelled").exists()


def test_moving_a_booking_from_the_manage_link(client, offering):
    slots = selectors.offering_slots(offering=offering)
    manage_url = _book(client, offering, slots[0]).split("?")[0]
    page = client.get(manage_url + "move/").content.decode()
    assert f'action="{manage_url}move/{encode_start(slots[5].start)}/"' in page
    assert offering.service.name in page
    response = client.post(f"{manage_url}move/{encode_start(slots[5].start)}/")
    assert response.status_code == 302
    assert Appointment.objects.get().start == slots[5].start


def test_calendar_file_has_the_visit(client, offering, first_slot):
    manage_url = _book(client, offering, first_slot).split("?")[0]
    response = client.get(manage_url + "calendar.ics")
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "BEGIN:VEVENT" in body and Appointment.objects.get().code in body
    assert "DTSTART" in body and offering.desk.address in body


def test_lookup_answers_the_same_whatever_was_wrong_and_is_rate_limited(
    client, offering, first_slot
):
    _book(client, offering, first_slot)
    code = Appointment.objects.get().code
    wrong_code = client.post("/it/manage/", {"phone": "+393471234567", "code": "AAAAAA"})
    wrong_phone = client.post("/it/manage/", {"phone": "+393471234568", "code": code})
    assert wrong_code.status_code == wrong_phone.status_code == 200
    assert _without_values(wrong_code) == _without_values(wrong_phone)
    right = client.post("/it/manage/", {"phone": "347 123 4567", "code": code.lower()})
    assert right.status_code == 302 and "/it/manage/" in right["Location"]
    for _ in range(7):
        client.post("/it/manage/", {"phone": "+393471234567", "code": "AAAAAA"})
    assert client.post("/it/manage/", {"phone": "+393471234567", "code": code}).status_code == 429


def test_a_full_offering_offers_the_waiting_list(client, now):
    from tests.factories import full_offering

    offering = full_offering()
    page = client.get(f"/so/book/{offering.desk.city.slug}/{offering.pk}/").content.decode()
    assert _t("so", "Tell me when a place is free") in page
    response = client.post(
        f"/so/book/{offering.desk.city.slug}/{offering.pk}/waitlist/", {"phone": "+393471234567"}
    )
    assert response.status_code == 302 and response["Location"] == "/so/book/waitlist/verify/"
    entry = offering.waitlist.get()
    assert (entry.language, entry.status) == ("so", "pending")
    page = client.post("/so/book/waitlist/verify/", {"code": sms_code_for(entry.challenge_id)})
    assert (
        _t("so", "You are on the waiting list. When a place becomes free we send you an SMS.")
        in page.content.decode()
    )
    entry.refresh_from_db()
    assert entry.status == "waiting"


def test_the_verify_page_without_a_hold_says_time_is_over(client):
    response = client.get("/it/book/verify/")
    assert response.status_code == 410
    assert _t("it", "Time is over") in response.content.decode()


def test_an_operator_books_for_a_walk_in_without_phone_or_code(
    client, offering, first_slot, django_user_model
):
    from django.contrib.auth.models import Group

    operator = django_user_model.objects.create_user("op", password="x")
    operator.groups.add(Group.objects.get(name="Operators"))
    offering.desk.staff.add(operator)
    staff_login(client, operator)
    page = client.get(_details_url(offering, first_slot)).content.decode()
    assert _t("it", "Book for someone else") in page
    response = client.post(
        _details_url(offering, first_slot), {"phone": "", "name": "Walk-in", "language": "ti"}
    )
    assert response.status_code == 302 and "/it/manage/" in response["Location"]
    appointment = Appointment.objects.get()
    assert (appointment.status, appointment.booked_by, appointment.language, appointment.phone) == (
        "confirmed",
        operator,
        "ti",
        "",
    )
    assert not Message.objects.exists()


def test_an_operator_of_another_desk_gets_the_public_form(
    client, offering, first_slot, django_user_model
):
    from django.contrib.auth.models import Group

    operator = django_user_model.objects.create_user("op2", password="x")
    operator.groups.add(Group.objects.get(name="Operators"))
    staff_login(client, operator)
    page = client.get(_details_url(offering, first_slot)).content.decode()
    assert _t("it", "Send me the code") in page and _t("it", "Book for someone else") not in page


def test_a_waiting_list_offer_is_taken_from_the_sms_link(client, now):
    from appointments.services.booking import appointment_cancel
    from tests.factories import full_offering, waiting

    offering = full_offering()
    waiting(offering, "+393471234567", "ar")
    appointment_cancel(appointment=offering.booked[0])
    text = sms_text(Message.objects.get(kind="waitlist_offer"))
    short = re.search(r"https?://[^ ]+(/m/[\w-]+)", text).group(1)
    path = client.get(short)["Location"]  # the short link leads to the page in Arabic
    assert path.startswith("/ar/manage/")
    page = client.get(path).content.decode()
    assert _t("ar", "A place is free for you") in page
    assert (
        Appointment.objects.get(phone="+393471234567").status == "held"
    )  # opening changed nothing
    response = client.post(path + "accept/")
    assert response.status_code == 302
    assert Appointment.objects.get(phone="+393471234567").status == "confirmed"


def test_a_mobile_team_shows_where_it_is_each_day(client, now):
    from datetime import timedelta

    from appointments.models import DeskStop
    from tests.factories import OfferingFactory

    offering = OfferingFactory(desk__is_mobile=True)
    day = (now + timedelta(days=2)).date()
    DeskStop.objects.create(desk=offering.desk, date=day, address="Piazza del Bacio, Perugia")
    page = client.get(f"/it/book/{offering.desk.city.slug}/{offering.pk}/").content.decode()
    assert "Piazza del Bacio, Perugia" in page
    manage_url = _book(client, offering, selectors.offering_slots(offering=offering)[0])
    assert "Piazza del Bacio, Perugia" in client.get(manage_url).content.decode()


def test_a_second_tap_on_confirm_lands_on_the_booking(client, offering, first_slot):
    client.post(_details_url(offering, first_slot), {"phone": "347 123 4567"})
    code = last_sms_code()
    first = client.post("/it/book/verify/", {"code": code})
    second = client.post("/it/book/verify/", {"code": code})
    assert first.status_code == second.status_code == 302
    token = second["Location"].split("/")[3]
    assert selectors.appointment_by_token(token=token) == Appointment.objects.get()
    assert token not in str(dict(client.session))  # the session keeps no way back


def test_going_back_to_another_time_releases_the_first(client, offering):
    slots = selectors.offering_slots(offering=offering)
    client.post(_details_url(offering, slots[0]), {"phone": "347 123 4567"})
    client.post(_details_url(offering, slots[2]), {"phone": "347 123 4567"})
    assert list(Appointment.objects.values_list("start", "status").order_by("start")) == [
        (slots[0].start, "released"),
        (slots[2].start, "held"),
    ]


def test_rate_limits_count_the_client_behind_a_trusted_proxy(client, settings, offering):
    settings.SPORTELLO = {
        **settings.SPORTELLO,
        "TRUSTED_PROXIES": 1,
        "RATE_LIMITS": {**settings.SPORTELLO["RATE_LIMITS"], "lookup": "2/h"},
    }
    for n in range(3):  # three residents behind the same proxy are not one client
        response = client.post(
            "/it/manage/",
            {"phone": "+393471234567", "code": "AAAAAA"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
        assert response.status_code == 200
    for _ in range(2):
        client.post(
            "/it/manage/",
            {"phone": "+393471234567", "code": "AAAAAA"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9",
        )
    spoofed = client.post(
        "/it/manage/",
        {"phone": "+393471234567", "code": "AAAAAA"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.9",
    )
    assert spoofed.status_code == 429  # a forged first entry does not buy new tries


def test_problem_reports_never_keep_a_manage_link(client, offering, first_slot, home_page):
    from cms.models import ProblemReport

    manage_url = _book(client, offering, first_slot).split("?")[0]
    form = client.get(
        "/it/report-a-problem/", HTTP_REFERER=f"http://testserver{manage_url}"
    ).content.decode()
    token = manage_url.rstrip("/").rsplit("/", 1)[1]
    assert token not in form
    client.post("/it/report-a-problem/", {"message": "map", "page": manage_url})
    assert token not in ProblemReport.objects.get().page


def test_joining_the_waiting_list_again_while_offered_is_fine(client, now):
    from appointments.services.booking import appointment_cancel
    from tests.factories import full_offering, waiting

    offering = full_offering()
    entry = waiting(offering, "+393471234567", "it")
    appointment_cancel(appointment=offering.booked[0])
    response = client.post(
        f"/it/book/{offering.desk.city.slug}/{offering.pk}/waitlist/", {"phone": "+393471234567"}
    )
    assert response.status_code == 302
    pending = offering.waitlist.get(status="pending")
    page = client.post("/it/book/waitlist/verify/", {"code": sms_code_for(pending.challenge_id)})
    assert page.status_code == 200
    entry.refresh_from_db()
    assert entry.status == "offered"  # the first place and its offer are kept


def test_a_hold_found_by_code_cannot_be_taken_without_the_sms_code(client, offering, first_slot):
    client.post(_details_url(offering, first_slot), {"phone": "347 123 4567"})
    held = Appointment.objects.get()
    response = client.post("/it/manage/", {"phone": "+393471234567", "code": held.code})
    assert response.status_code == 200  # not found: only confirmed bookings are looked up
    assert Appointment.objects.get().status == "held"


def test_pages_about_a_desk_show_its_own_clock(client, now):
    from zoneinfo import ZoneInfo

    from core.formatting import format_time
    from tests.factories import OfferingFactory

    offering = OfferingFactory(desk__time_zone="Europe/Lisbon")  # an hour behind Rome
    slot = selectors.offering_slots(offering=offering)[0]
    page = client.get(_details_url(offering, slot)).content.decode()
    with translation.override("it"):
        lisbon = format_time(slot.start, tz=ZoneInfo("Europe/Lisbon"))
        rome = format_time(slot.start, tz=ZoneInfo("Europe/Rome"))
    assert lisbon in page and rome not in page
