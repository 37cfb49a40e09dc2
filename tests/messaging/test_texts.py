"""Every text, in every language, fits: 2 SMS in GSM-7, 3 in UCS-2, with long names.

The worst case: a public host of 40 characters, a long city name, a desk short name of 24
characters, a 22-character manage token. Texts begin with "Sportello" and the city, and
never name the kind of service.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from appointments import notifications
from appointments.models import Appointment
from core import tokens
from messaging.challenges import challenge_issue
from messaging.models import Message
from messaging.segments import gsm_friendly, is_gsm7, segment_count
from tests.factories import ConfirmedAppointmentFactory, OfferingFactory, sms_text

pytestmark = pytest.mark.django_db

HOST = "https://" + "sportello.comune-di-reggio-emilia.gov.it"[:40]
CITY = "Reggio nell'Emilia"
LANGUAGES = [code for code, _name in settings.LANGUAGES]
# Written in GSM-7: these must stay in it (one accented capital would make them UCS-2).
GSM_LANGUAGES = {"it", "en", "es", "so"}


@pytest.fixture
def long_names(settings):
    settings.SITE_URL = HOST
    offering = OfferingFactory(
        desk__city__name=CITY,
        desk__city__slug="reggio-emilia",
        desk__short_name="Via Emilia San Pietro 12",
        desk__phone="+39 0522 456 789",
        service__name="Consulenza legale",
    )
    return offering


def _all_texts(offering, language: str) -> dict[str, str]:
    now = timezone.now()
    start = (now + timedelta(days=3)).replace(hour=10, minute=30, second=0, microsecond=0)
    appointment = ConfirmedAppointmentFactory(
        offering=offering, start=start, end=start + timedelta(minutes=30), language=language
    )
    token = tokens.manage_token()
    notifications.notify_confirmed(appointment=appointment, token=token, now=now)
    notifications.notify_reminder(
        appointment=appointment, which="day", token=token, due_at=now, now=now
    )
    notifications.notify_moved(appointment=appointment, token=token, now=now)
    challenge_issue(phone=appointment.phone, language=language, city=CITY, now=now)
    texts = {
        m.kind: sms_text(m) for m in Message.objects.filter(language=language).exclude(kind="")
    }
    Appointment.objects.filter(pk=appointment.pk).update(status="cancelled")
    for by_desk in (False, True):
        notifications.notify_cancelled(appointment=appointment, by_desk=by_desk, now=now)
        message = Message.objects.get(dedupe_key=f"appt:{appointment.pk}:cancelled")
        texts[f"cancelled-by-desk-{by_desk}"] = sms_text(message)
        message.delete()
    Appointment.objects.filter(pk=appointment.pk).update(
        status="held", hold_expires_at=now + timedelta(hours=2)
    )
    notifications.notify_offer(appointment=appointment, token=token, now=now)
    offer = Message.objects.get(kind="waitlist_offer", language=language)
    offer.due_at = now  # whatever the clock says now (quiet hours move offers to 08:00)
    texts["waitlist_offer"] = sms_text(offer)
    from messaging.outbox import message_queue, message_text

    reply = message_queue(
        kind="reply",
        to=appointment.phone,
        language=language,
        dedupe_key=f"reply:{language}",
        params={"city": CITY, "desk_phone": offering.desk.phone},
    )
    texts["reply"] = message_text(reply)
    from frontdesk import notifications as desk_notifications
    from frontdesk.models import Queue
    from frontdesk.services import walk_in_issue

    ticket = walk_in_issue(
        queue=Queue.objects.get(desk=offering.desk),
        phone=appointment.phone,
        language=language,
        now=now,
    )
    desk_notifications.notify_turn_near(ticket=ticket, token=token, ahead=3, now=now)
    texts["turn_near"] = sms_text(Message.objects.get(kind="turn_near", language=language))
    return texts


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_fits_in_its_segments(long_names, language):
    texts = _all_texts(long_names, language)
    assert len(texts) == 9, sorted(texts)
    for kind, text in texts.items():
        assert text.startswith(f"Sportello {CITY}: "), (kind, text)
        assert "legal" not in text.lower() and "Consulenza" not in text, (kind, text)
        assert text == gsm_friendly(text)
        if language in GSM_LANGUAGES:
            assert is_gsm7(text), (kind, text, {ch for ch in text if not is_gsm7(ch)})
        limit = 2 if is_gsm7(text) else 3
        assert segment_count(text) <= limit, (kind, language, segment_count(text), len(text))


def test_segments_are_counted_as_phones_count_them():
    assert segment_count("a" * 160) == 1 and segment_count("a" * 161) == 2
    assert segment_count("a" * 306) == 2 and segment_count("a" * 307) == 3
    assert segment_count("€" * 80) == 1 and segment_count("€" * 81) == 2  # 2 septets each
    assert segment_count("ب" * 70) == 1 and segment_count("ب" * 71) == 2
    assert segment_count("ب" * 134) == 2 and segment_count("ب" * 135) == 3
    assert segment_count("😀" * 35) == 1 and segment_count("😀" * 36) == 2  # surrogate pairs


def test_latin_texts_lose_the_narrow_spaces_of_date_formats():
    from core.formatting import format_time

    nine = timezone.now().replace(hour=9, minute=30)
    english = format_time(nine, language="en")
    assert not is_gsm7(english)  # CLDR writes "9:30\u202fAM"
    assert is_gsm7(gsm_friendly(english)) and gsm_friendly("È ora") == "E' ora"
    assert gsm_friendly("sáb 5 dic, août, ăîșț") == "sab 5 dic, aout, aist"
    assert gsm_friendly("più è già") == "più è già"  # in GSM-7 already: kept
    assert gsm_friendly("ሰኑ 5 ታሕ ¿sáb?") == "ሰኑ 5 ታሕ ¿sáb?"  # UCS-2 anyway: kept whole
