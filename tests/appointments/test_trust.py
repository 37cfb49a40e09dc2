"""The public flow as an attacker and as a person on a shared phone would try it."""

from __future__ import annotations

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache import cache
from django.utils import translation

from appointments import selectors
from appointments.converters import SlotStartConverter
from appointments.models import AccessToken, Appointment, WaitlistEntry
from appointments.services.booking import Person, appointment_book_on_behalf, appointment_cancel
from messaging.backends import MemoryBackend
from messaging.models import Message
from tests.factories import (
    OfferingFactory,
    full_offering,
    last_sms_code,
    manage_path,
    sms_text,
    staff_login,
    waiting,
)

pytestmark = pytest.mark.django_db

to_url = SlotStartConverter().to_url
AR_PHONE = "٣٤٧ ١٢٣ ٤٥٦٧"  # 347 123 4567 in Arabic-Indic digits


def _t(lang, text):
    with translation.override(lang):
        return translation.gettext(text)


def _details(offering, slot, lang="it"):
    return f"/{lang}/book/{offering.desk.city.slug}/{offering.pk}/{to_url(slot.start)}/"


def _limits(settings, **rates):
    settings.SPORTELLO = {
        **settings.SPORTELLO,
        "RATE_LIMITS": {**settings.SPORTELLO["RATE_LIMITS"], **rates},
    }


def _hold(client, offering, slot, phone="+393471234567", lang="it", **extra):
    return client.post(_details(offering, slot, lang), {"phone": phone}, **extra)


# --- what people type ---------------------------------------------------------------------


def test_a_booking_made_with_arabic_digits_throughout(client, offering, first_slot):
    assert _hold(client, offering, first_slot, phone=AR_PHONE, lang="ar").status_code == 302
    code = last_sms_code()
    arabic_code = "".join("٠١٢٣٤٥٦٧٨٩"[int(d)] for d in code)
    response = client.post("/ar/book/verify/", {"code": f" {arabic_code[:3]} {arabic_code[3:]} "})
    assert response.status_code == 302 and "/ar/manage/" in response["Location"]
    appointment = Appointment.objects.get()
    assert (appointment.status, appointment.phone) == ("confirmed", "+393471234567")
    lookup_code = "".join("۰۱۲۳۴۵۶۷۸۹"[int(c)] if c.isdigit() else c for c in appointment.code)
    found = client.post("/fa-af/manage/", {"phone": "۳۴۷۱۲۳۴۵۶۷", "code": lookup_code.lower()})
    assert found.status_code == 302 and "/fa-af/manage/" in found["Location"]


def test_a_landline_gets_no_code_and_a_message_saying_why(client, offering, first_slot):
    response = _hold(client, offering, first_slot, phone="06 1234 5678", lang="ar")
    assert response.status_code == 200
    message = "This is a landline number and cannot receive SMS. Please write a mobile number."
    assert _t("ar", message) in response.content.decode()
    assert not Appointment.objects.exists() and not Message.objects.exists()


def test_the_code_step_shows_the_whole_number_and_a_way_to_change_it(client, offering, first_slot):
    _hold(client, offering, first_slot, phone="347 123 4567", lang="ar")
    page = client.get("/ar/book/verify/").content.decode()
    assert '<span class="ltr">+39 347 123 4567</span>' in page
    assert f'href="{_details(offering, first_slot, "ar")}"' in page
    assert _t("ar", "Wrong number? Change it") in page


# --- budgets of code SMS ------------------------------------------------------------------


def test_refused_attempts_never_count_against_a_number(client, offering, settings):
    _limits(settings, **{"code-phone": "1/h"})
    slots = selectors.offering_slots(offering=offering)
    other = Person(phone="", language="it")
    appointment_book_on_behalf(
        offering=offering, start=slots[0].start, person=other, booked_by=None
    )
    assert _hold(client, offering, slots[0]).status_code == 409  # just taken: no code
    assert _hold(client, offering, slots[1], phone="347 ABC").status_code == 200  # invalid
    assert _hold(client, offering, slots[1]).status_code == 302  # the one code of the hour
    assert Message.objects.count() == 1


def test_a_number_over_its_budget_is_told_so_with_the_desk_phone(client, offering, settings):
    _limits(settings, **{"code-phone": "1/h"})
    offering.desk.phone = "075 577 0000"
    offering.desk.save()
    slots = selectors.offering_slots(offering=offering)
    assert _hold(client, offering, slots[0], lang="ti").status_code == 302
    response = _hold(client, offering, slots[1], lang="ti")
    page = response.content.decode()
    assert response.status_code == 429
    assert _t("ti", "This number has received the most codes allowed for now.") in page
    assert 'href="tel:0755770000"' in page


@pytest.mark.parametrize(
    ("scope", "rate"), [("code-client", "2/h"), ("code-global", "2/h"), ("code-country", "2/h")]
)
def test_address_country_and_global_budgets_stop_a_script(client, offering, settings, scope, rate):
    _limits(
        settings, **{scope: rate, "code-country:39": "" if scope == "code-country" else "1000/h"}
    )
    slots = selectors.offering_slots(offering=offering)
    statuses = [
        _hold(client, offering, slots[n], phone=f"+39347000000{n}").status_code for n in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert Message.objects.count() == 2


def test_a_code_never_sent_is_given_back(client, offering, settings):
    _limits(settings, **{"code-phone": "1/h"})
    slots = selectors.offering_slots(offering=offering)
    MemoryBackend.fail_next = 99
    assert _hold(client, offering, slots[0]).status_code == 302
    from django.utils import timezone

    from messaging.outbox import message_send, messages_send_due

    sms = Message.objects.get()
    message_send(message_id=sms.pk)  # the provider is down: tried again later...
    assert Message.objects.get().status == "sending"
    # ...until the code has run out: a late code is no use, so the outbox gives up.
    messages_send_due(now=timezone.now() + timedelta(minutes=11))
    assert Message.objects.get().status == "technical_failure"
    MemoryBackend.fail_next = 0
    assert _hold(client, offering, slots[1]).status_code == 302  # the budget came back


def test_codes_are_refused_but_bookings_still_open_when_the_cache_is_down(
    client, offering, first_slot
):
    from tests.appointments.test_views import _book

    manage_url = _book(client, offering, first_slot).split("?")[0]
    slot = selectors.offering_slots(offering=offering)[3]
    with mock.patch.object(cache, "add", side_effect=ConnectionError("redis down")):
        refused = _hold(client, offering, slot, phone="+393479999999")
        assert client.get(manage_url).status_code == 200
        assert (
            client.post("/it/manage/", {"phone": "+393479999999", "code": "AAAAAA"}).status_code
            == 200
        )
    assert refused.status_code == 429
    assert _t("it", "We cannot send SMS codes right now. Please try again in a few minutes.") in (
        refused.content.decode()
    )
    assert not Appointment.objects.filter(phone="+393479999999").exists()


# --- holding is not hoarding --------------------------------------------------------------


def test_one_address_keeps_three_live_holds_at_most(client, offering, django_user_model):
    from django.test import Client

    slots = selectors.offering_slots(offering=offering)
    browsers = [Client(REMOTE_ADDR="203.0.113.5") for _ in range(4)]
    answers = [
        _hold(browser, offering, slots[n], phone=f"+39347000001{n}").status_code
        for n, browser in enumerate(browsers)
    ]
    assert answers == [302, 302, 302, 200]
    assert Appointment.objects.filter(status="held").count() == 3
    page = _hold(browsers[3], offering, slots[3], phone="+393470000013").content.decode()
    assert (
        _t(
            "it",
            "Too many times are being held from this connection. Please confirm one with its code, or wait 10 minutes.",
        )
        in page
    )
    other = Client(REMOTE_ADDR="198.51.100.1")  # another address is not held back
    assert _hold(other, offering, slots[4], phone="+393470000099").status_code == 302


def test_on_behalf_bookings_are_limited_per_person_per_hour(
    client, offering, settings, django_user_model
):
    from django.contrib.auth.models import Group

    _limits(settings, **{"on-behalf": "2/h"})
    operator = django_user_model.objects.create_user("op", password="x")
    operator.groups.add(Group.objects.get(name="Operators"))
    offering.desk.staff.add(operator)
    staff_login(client, operator)
    slots = selectors.offering_slots(offering=offering)
    answers = [
        client.post(_details(offering, slots[n]), {"phone": "", "language": "it"}).status_code
        for n in range(3)
    ]
    assert answers == [302, 302, 429]
    assert Appointment.objects.count() == 2


# --- limits after the code, cancelled bookings, offers ------------------------------------


def test_a_proven_number_over_the_service_limit_sees_its_booking(client, offering):
    slots = selectors.offering_slots(offering=offering)
    mine, _token = appointment_book_on_behalf(
        offering=offering,
        start=slots[0].start,
        person=Person(phone="+393471234567", language="it"),
        booked_by=None,
    )
    _hold(client, offering, slots[4])
    response = client.post("/it/book/verify/", {"code": last_sms_code()})
    page = response.content.decode()
    assert response.status_code == 409
    assert _t("it", "This phone number already has a booking for this service.") in page
    assert 'name="code"' not in page  # no code box left on screen
    link = page.split('href="/it/manage/')[1].split('"')[0]
    assert selectors.appointment_by_token(token=link.strip("/")) == mine
    assert Appointment.objects.get(start=slots[4].start).status == "released"


def test_a_cancelled_booking_says_so_and_offers_to_book_again(client, offering, first_slot):
    from tests.appointments.test_views import _book

    manage_url = _book(client, offering, first_slot).split("?")[0]
    client.post(manage_url + "cancel/")
    page = client.get(manage_url).content.decode()
    assert _t("it", "This booking is cancelled") in page
    assert f'href="/it/book/{offering.desk.city.slug}/{offering.pk}/"' in page
    assert (
        _t(
            "it",
            "Show this code at the desk. Keep this page: it lets you change or cancel the booking.",
        )
        not in page
    )
    assert Appointment.objects.get().code not in page


def test_an_offer_shows_no_booking_code_until_taken_and_can_be_declined(client, now):
    offering = full_offering()
    first = waiting(offering, "+393471111111", "it")
    second = waiting(offering, "+393472222222", "it")
    appointment_cancel(appointment=offering.booked[0], now=now)
    first.refresh_from_db()
    path = manage_path(
        sms_text(Message.objects.get(dedupe_key=f"appt:{first.offered_id}:offer")), "it"
    )
    page = client.get(path).content.decode()
    assert _t("it", "A place is free for you") in page and first.offered.code not in page
    assert client.post(path + "decline/").status_code == 200
    second.refresh_from_db()
    assert WaitlistEntry.objects.get(pk=first.pk).status == "declined"
    assert second.status == "offered"


def test_the_waiting_list_is_not_offered_while_times_are_free(client, offering):
    response = client.post(
        f"/it/book/{offering.desk.city.slug}/{offering.pk}/waitlist/", {"phone": "+393471234567"}
    )
    assert response.status_code == 200
    assert _t("it", "Choose a day and time") in response.content.decode()
    assert not WaitlistEntry.objects.exists() and not Message.objects.exists()


def test_a_person_leaves_the_waiting_list_after_proving_the_number(client):
    offering = full_offering()
    url = f"/it/book/{offering.desk.city.slug}/{offering.pk}/waitlist/"
    client.post(url, {"phone": "+393471234567"})
    again = client.post(url, {"phone": "+393471234567"})  # no second code while one is valid
    assert again.status_code == 302 and Message.objects.count() == 1
    page = client.post("/it/book/waitlist/verify/", {"code": last_sms_code()}).content.decode()
    assert _t("it", "Leave the waiting list") in page
    left = client.post("/it/book/waitlist/leave/")
    assert _t("it", "You are no longer on the waiting list.") in left.content.decode()
    assert WaitlistEntry.objects.get(status="left").phone == "+393471234567"
    assert client.post("/it/book/waitlist/leave/").status_code == 410  # once only


# --- secrets and personal data ------------------------------------------------------------


def test_pages_with_personal_data_are_never_stored_by_the_browser(client, offering, first_slot):
    from tests.appointments.test_views import _book

    details = client.get(_details(offering, first_slot))
    manage_url = _book(client, offering, first_slot).split("?")[0]
    for response in (
        details,
        client.get(manage_url),
        client.get(manage_url + "calendar.ics"),
        client.get("/it/manage/"),
    ):
        assert "no-store" in response["Cache-Control"], response.request["PATH_INFO"]


def test_after_a_booking_the_session_keeps_no_way_back(client, offering, first_slot, settings):
    from datetime import timedelta

    from django.utils import timezone

    from tests.appointments.test_views import _book

    manage_url = _book(client, offering, first_slot).split("?")[0]
    token = manage_url.rstrip("/").rsplit("/", 1)[1]
    assert token not in str(dict(client.session))
    later = timezone.now() + timedelta(minutes=3)
    with mock.patch("django.utils.timezone.now", return_value=later):
        response = client.post("/it/book/verify/", {"code": "123456"})
    assert response.status_code == 410  # the next person finds nothing


def test_expired_sessions_are_cleared_on_a_schedule():
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone
    from django_q.models import Schedule

    from appointments.tasks import clear_sessions

    past, future = timezone.now() - timedelta(days=1), timezone.now() + timedelta(days=1)
    Session.objects.create(session_key="old" * 10, session_data="x", expire_date=past)
    Session.objects.create(session_key="new" * 10, session_data="x", expire_date=future)
    assert Schedule.objects.filter(func="appointments.tasks.clear_sessions").exists()
    clear_sessions()
    assert list(Session.objects.values_list("session_key", flat=True)) == ["new" * 10]


def test_a_hold_is_confirmed_only_from_the_browser_that_made_it(client, offering, first_slot):
    _hold(client, offering, first_slot)
    stranger = type(client)()
    assert stranger.post("/it/book/verify/", {"code": last_sms_code()}).status_code == 410
    assert Appointment.objects.get().status == "held"


def test_another_city_slug_with_this_offering_is_not_found(client, offering, first_slot):
    other = OfferingFactory()  # in another city
    other_city = other.desk.city.slug
    start = to_url(first_slot.start)
    for path in (
        f"/it/book/{other_city}/{offering.pk}/",
        f"/it/book/{other_city}/{offering.pk}/{start}/",
    ):
        assert client.get(path).status_code == 404
    response = client.post(
        f"/it/book/{other_city}/{offering.pk}/waitlist/", {"phone": "+393471234567"}
    )
    assert response.status_code == 404
    assert _hold(client, offering, first_slot).status_code == 302  # its own city works


def test_a_busy_address_books_after_the_proof_of_work(client, offering, settings):
    import hashlib
    import re

    settings.SPORTELLO = {
        **settings.SPORTELLO,
        "PROOF": {"AFTER_CODES": 1, "MAX_NUMBER": 300, "WAIT_SECONDS": 20},
    }
    slots = selectors.offering_slots(offering=offering)
    assert _hold(client, offering, slots[0], phone="+393470000001").status_code == 302
    page = client.get(_details(offering, slots[1])).content.decode()
    assert 'src="/static/js/proof.js"' in page
    refused = _hold(client, offering, slots[1], phone="+393470000002")  # no proof
    assert _t("it", "Please wait a few seconds, then press the button again.") in (
        refused.content.decode()
    )
    assert Appointment.objects.count() == 1 and Message.objects.count() == 1
    fields = dict(re.findall(r'data-(salt|challenge|max)="([^"]+)"', refused.content.decode()))
    token = re.search(r'name="proof" value="([^"]+)"', refused.content.decode()).group(1)
    answer = next(
        n
        for n in range(int(fields["max"]) + 1)
        if hashlib.sha256(f"{fields['salt']}{n}".encode()).hexdigest() == fields["challenge"]
    )
    response = client.post(
        _details(offering, slots[1]),
        {"phone": "+393470000002", "proof": token, "proof_number": str(answer)},
    )
    assert response.status_code == 302 and Appointment.objects.count() == 2


def test_an_offer_that_ran_out_shows_no_code_and_offers_to_book_again(client, now):
    from datetime import timedelta

    from appointments.services.booking import holds_expire

    offering = full_offering()
    entry = waiting(offering, "+393471111111", "it")
    appointment_cancel(appointment=offering.booked[0], now=now)
    entry.refresh_from_db()
    path = manage_path(
        sms_text(Message.objects.get(dedupe_key=f"appt:{entry.offered_id}:offer")), "it"
    )
    holds_expire(now=now + timedelta(hours=3))
    page = client.get(path).content.decode()
    assert _t("it", "Time is over") in page and _t("it", "Book again") in page
    assert entry.offered.code not in page


def test_going_back_in_the_history_to_the_code_step_finds_nothing(client, offering, first_slot):
    from tests.appointments.test_views import _book

    _book(client, offering, first_slot)
    tokens_before = AccessToken.objects.count()
    back = client.get("/it/book/verify/")
    assert back.status_code == 410  # not the previous booking...
    page = back.content.decode()
    assert _t("it", "Your booking is confirmed") in page  # ...but no fright either
    assert "/it/manage/" in page and not any(
        selectors.appointment_by_token(token=t)
        for t in re.findall(r"/it/manage/([\w-]{20,})/", page)
    )
    assert AccessToken.objects.count() == tokens_before


def test_new_codes_for_one_hold_are_capped_and_need_the_proof_when_busy(
    client, offering, first_slot, settings
):
    _limits(settings, **{"code-phone": "10/h"})
    _hold(client, offering, first_slot)
    resends = [client.post("/it/book/verify/", {"resend": "1"}) for _ in range(3)]
    assert Message.objects.count() == 3  # the first code and two more, no fourth
    assert _t("it", "Too many tries. Please wait an hour and try again, or call the desk.") in (
        resends[-1].content.decode()
    )
    settings.SPORTELLO = {
        **settings.SPORTELLO,
        "PROOF": {"AFTER_CODES": 1, "MAX_NUMBER": 300, "WAIT_SECONDS": 20},
    }
    page = client.post("/it/book/verify/", {"resend": "1"}).content.decode()
    assert _t("it", "Please wait a few seconds, then press the button again.") in page
    assert 'name="proof_number"' in page


def test_typing_a_stranger_number_cannot_spend_their_code(client, now):
    from django.test import Client

    offering = full_offering()
    url = f"/it/book/{offering.desk.city.slug}/{offering.pk}/waitlist/"
    client.post(url, {"phone": "+393471234567"})  # the owner of the number
    code = last_sms_code()
    stranger = Client(REMOTE_ADDR="198.51.100.9")
    stranger.post(url, {"phone": "+393471234567"})
    for guess in ("000000", "111111", "222222", "333333", "444444", "555555"):
        stranger.post("/it/book/waitlist/verify/", {"code": guess})
    assert Message.objects.count() == 1  # no second code either
    page = client.post("/it/book/waitlist/verify/", {"code": code}).content.decode()
    assert (
        _t("it", "You are on the waiting list. When a place becomes free we send you an SMS.")
        in page
    )


def test_an_offer_to_a_number_at_its_limit_goes_to_the_next_in_line(client, now, settings):
    settings.SPORTELLO = {**settings.SPORTELLO, "MAX_ACTIVE_BOOKINGS_PER_PHONE": 1}
    offering = full_offering()
    first = waiting(offering, "+393471111111", "it")
    second = waiting(offering, "+393472222222", "it")
    elsewhere = OfferingFactory()
    mine, _token = appointment_book_on_behalf(
        offering=elsewhere,
        start=selectors.offering_slots(offering=elsewhere)[0].start,
        person=Person(phone="+393471111111", language="it"),
        booked_by=None,
    )
    appointment_cancel(appointment=offering.booked[0], now=now)
    first.refresh_from_db()
    path = manage_path(
        sms_text(Message.objects.get(dedupe_key=f"appt:{first.offered_id}:offer")), "it"
    )
    response = client.post(path + "accept/")
    assert response.status_code == 409
    main = response.content.decode().split('<ul class="cards">')[1]
    link = main.split('href="/it/manage/')[1].split('"')[0]
    assert selectors.appointment_by_token(token=link.strip("/")) == mine
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("declined", "offered")


def test_out_of_tries_the_code_box_goes_and_a_new_code_brings_it_back(client, offering, first_slot):
    _hold(client, offering, first_slot)
    right = last_sms_code()
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for _ in range(5):
        page = client.post("/it/book/verify/", {"code": wrong}).content.decode()
    assert _t("it", "Too many wrong codes. Please start again.") in page
    assert 'name="code"' not in page and 'name="resend"' in page
    client.post("/it/book/verify/", {"resend": "1"})
    response = client.post("/it/book/verify/", {"code": last_sms_code()})
    assert response.status_code == 302 and Appointment.objects.get().status == "confirmed"


def test_the_cancel_page_of_a_cancelled_booking_leads_back_to_it(client, offering, first_slot):
    from tests.appointments.test_views import _book

    manage_url = _book(client, offering, first_slot).split("?")[0]
    client.post(manage_url + "cancel/")
    for page in ("cancel/", "move/", "calendar.ics"):
        response = client.get(manage_url + page)
        assert response.status_code == 302 and response["Location"] == manage_url


def test_the_booking_names_the_interpreter_language_and_labels_have_no_colon(
    client, offering, first_slot
):
    offering.interpreter_languages = ["ti"]
    offering.save()
    details = client.get(_details(offering, first_slot, "ar")).content.decode()
    label = _t("ar", "Do you need an interpreter?")
    assert f"{label}</label>" in details and f"{label}:" not in details
    client.post(
        _details(offering, first_slot, "ar"),
        {"phone": "+393471234567", "interpreter_language": "ti"},
    )
    response = client.post("/ar/book/verify/", {"code": last_sms_code()})
    page = client.get(response["Location"]).content.decode()
    assert '<span lang="ti">ትግርኛ</span>' in page
