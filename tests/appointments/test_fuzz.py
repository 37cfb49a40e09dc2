"""Any Unicode, any multipart, any body, on every public form: never a server error, never
a half-written booking, never an SMS without a reason to exist."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appointments import selectors
from appointments.converters import SlotStartConverter
from appointments.models import AccessToken, Appointment, WaitlistEntry
from config.languages import LANGUAGE_CODES
from messaging.models import Message

pytestmark = pytest.mark.django_db

# Text as people and scripts send it: every plane, no lone surrogates (not encodable).
anything = st.text(st.characters(exclude_categories=("Cs",)), max_size=80)
digits_of_any_script = st.text(st.characters(categories=("Nd", "Zs")), min_size=1, max_size=14)
phones = st.one_of(
    anything,
    digits_of_any_script,
    st.sampled_from(
        ["+393471234567", "347 123 4567", "٣٤٧١٢٣٤٥٦٧", "06 1234 5678", "+39899123456"]
    ),
)
fields = st.dictionaries(
    st.sampled_from(
        [
            "phone",
            "name",
            "reason",
            "code",
            "language",
            "interpreter_language",
            "message",
            "page",
            "resend",
            "proof",
            "proof_number",
            "start",
            anything,
        ]
    ),
    st.one_of(anything, phones, st.lists(anything, max_size=3)),
    max_size=6,
)
uploads = st.dictionaries(
    st.sampled_from(["phone", "code", "file"]), st.binary(max_size=200), max_size=2
)
content_types = st.sampled_from(
    ["application/json", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]
)

PROPERTY = settings(
    max_examples=120,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _paths(offering, slot) -> list[str]:
    city, start = offering.desk.city.slug, SlotStartConverter().to_url(slot.start)
    return [
        f"/book/{city}/{offering.pk}/{start}/",
        f"/book/{city}/{offering.pk}/waitlist/",
        "/book/verify/",
        "/book/waitlist/verify/",
        "/book/waitlist/leave/",
        "/manage/",
        "/manage/not-a-token/cancel/",
        f"/manage/not-a-token/move/{start}/",
        "/report-a-problem/",
    ]


def _nothing_half_written() -> None:
    held = Appointment.objects.filter(status=Appointment.Status.HELD)
    assert not held.filter(Q(hold_expires_at__isnull=True) | Q(phone="")).exists()
    for appointment in held.exclude(challenge=None).select_related("challenge"):
        assert Message.objects.filter(
            dedupe_key__startswith=f"challenge:{appointment.challenge_id}:"
        ).exists()
    confirmed = Appointment.objects.filter(status=Appointment.Status.CONFIRMED)
    assert not confirmed.filter(confirmed_at__isnull=True).exists()
    assert set(confirmed.values_list("pk", flat=True)) <= set(
        AccessToken.objects.values_list("appointment_id", flat=True)
    )
    assert not Message.objects.filter(Q(to="") | Q(kind="")).exists()
    for entry in WaitlistEntry.objects.filter(status="pending").exclude(challenge=None):
        assert Message.objects.filter(
            dedupe_key__startswith=f"challenge:{entry.challenge_id}:"
        ).exists()
    for start, offering_id, capacity in (
        Appointment.objects.active()
        .values_list("start", "offering_id", "offering__capacity")
        .distinct()
    ):
        taken = Appointment.objects.active().filter(start=start, offering_id=offering_id)
        assert taken.count() <= capacity


@PROPERTY
@given(
    language=st.sampled_from(LANGUAGE_CODES),
    which=st.integers(min_value=0, max_value=8),
    data=fields,
    files=uploads,
    query=st.dictionaries(st.sampled_from(["page", "new", anything]), anything, max_size=2),
)
def test_any_form_input_is_answered_without_a_server_error(
    offering, first_slot, language, which, data, files, query
):
    cache.clear()
    client = Client(raise_request_exception=False)
    path = f"/{language}{_paths(offering, first_slot)[which]}"
    body = {**data, **{k: SimpleUploadedFile(f"{k}.bin", v) for k, v in files.items()}}
    assert client.get(path, query).status_code < 500
    response = client.post(path, body)
    assert response.status_code < 500, response.content[:500]
    _nothing_half_written()


@PROPERTY
@given(
    language=st.sampled_from(LANGUAGE_CODES),
    which=st.integers(min_value=0, max_value=8),
    body=st.binary(max_size=300) | anything.map(str.encode),
    content_type=content_types,
)
def test_any_raw_body_is_answered_without_a_server_error(
    offering, first_slot, language, which, body, content_type
):
    cache.clear()
    client = Client(raise_request_exception=False)
    path = f"/{language}{_paths(offering, first_slot)[which]}"
    response = client.generic("POST", path, body, content_type=content_type)
    assert response.status_code < 500, response.content[:500]
    _nothing_half_written()


@PROPERTY
@given(phone=phones, code=digits_of_any_script | anything, name=anything, reason=anything)
def test_the_whole_flow_with_any_input_books_whole_or_not_at_all(
    offering, first_slot, phone, code, name, reason
):
    cache.clear()
    client = Client(raise_request_exception=False)
    slot = selectors.offering_slots(offering=offering)[0]
    details = f"/it/book/{offering.desk.city.slug}/{offering.pk}/"
    details += f"{SlotStartConverter().to_url(slot.start)}/"
    first = client.post(details, {"phone": phone, "name": name, "reason": reason})
    assert first.status_code < 500
    second = client.post("/it/book/verify/", {"code": code})
    assert second.status_code < 500
    _nothing_half_written()
